/**
 * CSV rows straight into a {@link PackedBuilder}: the cells of an accepted row go to the batch's
 * columns through validateRow's own checks (ValueChecker), without the row object, the `fields` object
 * or the record. Cells are the row's strings, as the row object would hold them; only a column read
 * solely as a number (the label, numeric fields, the timestamp, the oracle) has a plain decimal cell
 * ("12", "-0.5", "3.") turned into its number here, digits / 10^k, which validateRow's checks treat
 * exactly as the string (they trim it, see it is decimal and take Number() of it: the same double, as
 * both are exact and the quotient correctly rounded).
 */
import type { Schema } from '../types';
import type { PackedBuilder } from './packed-builder';
import { FORBIDDEN_KEYS } from './schema';
import { recordLayout, valueChecker } from './validate';
import { POW10 } from './pow10';

/** A cell of digits with an optional sign and decimal point (at most 15 digits) → its number; anything else → the cell itself. */
export function plainDecimal(cell: string): number | string {
  const n = cell.length;
  if (n === 0 || n > 17) return cell;
  let i = 0;
  let c = cell.charCodeAt(0);
  const neg = c === 45;
  if (neg || c === 43) i++;
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (; i < n; i++) {
    c = cell.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) frac = 0;
    else return cell;
  }
  if (digits === 0 || digits > 15) return cell;
  const v = frac > 0 ? m / POW10[frac]! : m;
  return neg ? -v : v;
}

/**
 * A taker of a CSV file's rows (see CsvSink.header) that adds each row validateRow accepts to `out`;
 * null for a header with a forbidden key (every row then goes through validateRow).
 */
export function csvPackedRows(schema: Schema, header: readonly string[], out: PackedBuilder): ((cells: readonly string[], line: number) => boolean) | null {
  if (header.some((h) => FORBIDDEN_KEYS.has(h))) return null;
  const checker = valueChecker(schema);
  const names = checker.names;
  const layout = recordLayout(schema);
  // the names read as strings (the others are read only as numbers)
  const stringRoles = new Set<string>([...layout.strings, schema.regime ?? 'regime', schema.id ?? 'event_id']);
  const cols: number[] = [];
  const slots: number[] = [];
  const numeric: boolean[] = [];
  header.forEach((h, k) => {
    const e = names.indexOf(h);
    if (e < 0) return;
    cols.push(k);
    slots.push(e);
    numeric.push(!stringRoles.has(h));
  });
  const src = new Array<unknown>(names.length).fill(undefined);
  const w = cols.length;
  return (cells, line) => {
    for (let j = 0; j < w; j++) {
      const cell = cells[cols[j]!]!;
      src[slots[j]!] = numeric[j] ? plainDecimal(cell) : cell;
    }
    const res = checker.check(src, line);
    if (res === null) return false;
    out.addChecked(line, res);
    return true;
  };
}
