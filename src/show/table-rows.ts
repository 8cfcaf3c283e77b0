/** What a DataFrame (danfojs) looks like to the table helpers: read by shape, so danfojs is never imported here. */
export interface FrameLike {
  readonly columns: readonly string[];
  readonly values: readonly unknown[];
  readonly index: readonly (string | number)[];
}

/** Rows of a table, or a DataFrame. */
export type TableData = readonly object[] | FrameLike;

/** True for a DataFrame-shaped value (columns, values and index arrays; not an array itself). */
export function isFrameLike(data: unknown): data is FrameLike {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  const d = data as Record<string, unknown>;
  try {
    return Array.isArray(d.columns) && Array.isArray(d.values) && Array.isArray(d.index);
  } catch {
    return false; // a getter that throws (not a frame)
  }
}

/**
 * Plain rows of a table's data. A DataFrame becomes one row per index entry; its index goes first, into the
 * column `index` (or `index_` … when a column has that name), unless it is the default 0, 1, 2, ….
 */
export function tableRows(data: TableData): readonly object[] {
  if (!isFrameLike(data)) return data;
  const columns = data.columns;
  const index = data.index;
  const values = data.values as readonly unknown[];
  const isDefault = index.every((v, i) => v === i);
  let indexName = 'index';
  while (columns.includes(indexName)) indexName += '_';
  return values.map((vals, i) => {
    const row: Record<string, unknown> = {};
    if (!isDefault) row[indexName] = index[i];
    // A one-column frame's values may be a flat array (danfo Series-like); a row is then that value.
    const cells = Array.isArray(vals) ? vals : [vals];
    columns.forEach((c, j) => { row[c] = cells[j]; });
    return row;
  });
}
