import type { Row, Schema } from '../types';

/** Records looked at by default: the first 1000. */
export const FIELD_PRESENCE_ROWS = 1000;

/**
 * Notices schema fields that never hold a value: a misspelt field name in a schema gives a feature that
 * is always missing (or a dedup key always empty), so the model learns nothing from it — without any
 * error. Fed the accepted records' `fields` (numeric fields as number|null, the others string|null, as
 * validation writes them), it looks at the first `rows` of them and reports every feature (numeric,
 * categorical, hashed) and `key` field that was missing or empty in all of them.
 */
export class FieldPresence {
  private readonly names: string[];
  private readonly kinds: string[];
  private readonly seenValue: boolean[];
  private missing: number;
  private rows = 0;

  constructor(schema: Schema, readonly limit = FIELD_PRESENCE_ROWS) {
    const kinds = new Map<string, string>();
    for (const [kind, list] of [['numeric', schema.numeric], ['categorical', schema.categorical], ['hashed', schema.hashed ?? []], ['key', schema.key ?? []]] as const) {
      for (const f of list) if (!kinds.has(f)) kinds.set(f, kind);
    }
    this.names = [...kinds.keys()];
    this.kinds = [...kinds.values()];
    this.seenValue = this.names.map(() => false);
    this.missing = this.names.length;
  }

  /** Looks at one accepted record's fields (only the first `limit` calls count). */
  observe(fields: Row): void {
    if (this.rows >= this.limit || this.missing === 0) return;
    this.rows++;
    for (let i = 0; i < this.names.length; i++) {
      if (this.seenValue[i]) continue;
      const v = fields[this.names[i]!];
      if (v !== null && v !== undefined && v !== '') {
        this.seenValue[i] = true;
        this.missing--;
      }
    }
  }

  /** One sentence per field that had no value in any record looked at (none before the first record). */
  warnings(): string[] {
    if (this.rows === 0) return [];
    const span = this.rows < this.limit ? `all ${this.rows} records` : `the first ${this.rows} records`;
    const out: string[] = [];
    this.names.forEach((name, i) => {
      if (!this.seenValue[i]) out.push(`schema field "${name}" (${this.kinds[i]}) is missing or empty in ${span}: a typo in the schema?`);
    });
    return out;
  }
}
