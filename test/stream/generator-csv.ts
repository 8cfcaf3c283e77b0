/** Test fixture shared by the reader tests: a generator stream written as CSV. */
import { generateEvents } from '../../src/stream/generator';

/** A generator stream as CSV: quoted messages (commas, quotes), CRLF, a BOM, and some broken rows. */
export function generatorCsv(): string {
  const events = generateEvents({ scenario: 'logs', events: 1500, seed: 3 }) as unknown as Record<string, unknown>[];
  const cols = Object.keys(events[0]!);
  const q = (v: unknown): string => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = events.map((e) => cols.map((c) => q(e[c])).join(','));
  lines.splice(100, 0, 'too,few,fields');
  lines.splice(200, 0, cols.map(() => '"a\nb"').join(',')); // a multi-line record with the right field count
  lines.splice(300, 0, `"unterminated,${cols.slice(1).map(() => 'x').join(',')}`);
  lines.splice(400, 0, cols.map((c) => (c === 'cpu_load' ? 'abc' : '1')).join(','));
  return '\ufeff' + cols.join(',') + '\r\n' + lines.join('\r\n') + '\r\n';
}
