import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { parseSchema } from '../../src/stream/schema';
import { cleanObject, csvValidator, validateRow, type Validated } from '../../src/stream/validate';
import type { Row, Schema } from '../../src/types';

/** The schema with a label that may be missing (label.required false: read as 0). */
function optionalLabel(s: Schema): Schema {
  return { ...s, label: { ...s.label, required: false } };
}

const schemas = [
  parseSchema({ label: { field: 'y', positive: [1, 'yes', true] }, numeric: ['n', 'm'], categorical: ['a'], text: 't' }),
  parseSchema({ label: { field: 'y', negative: ['0', 'No'] }, numeric: ['n'], categorical: ['a', 'b'], key: ['a'], timestamp: 'ts', timestampFormat: 'iso', timeFeatures: ['hour'], oracle: 'p', regime: 'r', id: 'id' }),
  optionalLabel(parseSchema({ label: { field: 'y', positive: ['1'] }, numeric: ['n', 'm'], categorical: [], timestamp: 'ts', timestampFormat: 'epoch_s', id: 'id' })),
  parseSchema({ label: { field: 'y', positive: [1] }, numeric: ['n'], categorical: ['a'], timestamp: 'ts', oracle: 'p' }),
  parseSchema({ label: { field: 'y', positive: [1] }, numeric: ['n'], categorical: ['a'], timestamp: null }),
];

/** Cell values validation treats differently: numbers, padded numbers, junk, empties, times, labels. */
const VALUES = ['', ' ', '0', '1', ' 1.0 ', '-2.5', '1e3', '1e', '0x1F', 'Infinity', 'NaN', 'abc', 'yes', 'YES ', 'true', 'No', 'no', '0.5', '1.5', '-0.1',
  '2026-01-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-01-01 10:00', '1700000000', '1700000000000', '1.7e9', '\u00a0', 'x,y', 'é✓', '.5', '5.', '+.5'];

test('csvValidator: a row accepted from its cells is exactly validateRow\'s record; null exactly when validateRow rejects it', () => {
  const rng = seedrandom.alea('csv-validator');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  let accepted = 0;
  let rejected = 0;
  for (const schema of schemas) {
    const names = ['y', 'n', 'm', 'a', 'b', 't', 'ts', 'p', 'r', 'id', 'extra'];
    for (let h = 0; h < 40; h++) {
      // a header: some of the schema's columns (the label sometimes missing), in any order, plus extras
      const header = names.filter((n) => rng() < (n === 'y' ? 0.9 : 0.75)).sort(() => rng() - 0.5);
      const check = csvValidator(schema, header);
      assert.ok(check !== null);
      for (let r = 0; r < 60; r++) {
        const cells = header.map(() => pick(VALUES));
        const line = 2 + r;
        const row: Row = cleanObject();
        header.forEach((name, k) => (row[name] = cells[k]));
        const want = validateRow(row, line, schema);
        const got: Validated | null = check!(cells, line);
        if ('rejected' in want) {
          assert.equal(got, null, `${JSON.stringify(header)} ${JSON.stringify(cells)}: validateRow rejects (${want.rejected.reason})`);
          rejected++;
        } else {
          assert.deepEqual(got, want, `${JSON.stringify(header)} ${JSON.stringify(cells)}`);
          assert.deepEqual(Object.keys(got!.record.fields), Object.keys(want.record.fields), 'fields key order');
          accepted++;
        }
      }
    }
  }
  assert.ok(accepted > 500 && rejected > 500, `both exercised (${accepted} accepted, ${rejected} rejected)`);
});

test('csvValidator: a header with a forbidden key sends every row to validateRow', () => {
  assert.equal(csvValidator(schemas[0]!, ['y', 'n', '__proto__']), null);
  assert.equal(csvValidator(schemas[0]!, ['constructor', 'y']), null);
});
