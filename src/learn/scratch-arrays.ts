/**
 * Typed arrays reused from call to call, by name: get(name, size) is a view of exactly `size`
 * entries (contents unspecified) on a buffer that only grows; the view itself is reused while the
 * size repeats (batch after batch of the same size), so a call allocates nothing.
 */
export class ScratchArrays<T extends Float64Array | Int32Array> {
  private readonly slots = new Map<string, { buffer: T; view: T | null }>();

  constructor(private readonly make: (length: number) => T) {}

  get(name: string, size: number): T {
    let s = this.slots.get(name);
    if (!s || s.buffer.length < size) {
      s = { buffer: this.make(Math.max(size, 2 * (s?.buffer.length ?? 0))), view: null };
      this.slots.set(name, s);
    }
    if (s.view === null || s.view.length !== size) s.view = s.buffer.subarray(0, size) as T;
    return s.view;
  }
}
