/** Consecutive items in arrays of `size` (the last one may be shorter). */
export function* batchesOf<T>(items: Iterable<T>, size: number): Generator<T[]> {
  if (!(size >= 1)) throw new Error(`batch size must be ≥ 1, got ${size}`);
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** {@link batchesOf} for an async source: one await per batch for the consumer. */
export async function* batchesOfAsync<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
