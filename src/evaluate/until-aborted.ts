const ABORTED = Symbol('aborted');

/**
 * `p`, or ABORTED as soon as `signal` aborts. The listener is removed when `p` settles: racing every read
 * against one long-lived promise would keep every value read alive through that promise's reactions.
 */
function orAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}

/**
 * The items of `source` until `signal` aborts: a pending read is abandoned at once (a stalled stdin
 * does not hold the run), and a synchronous source yields to the event loop every 64 items so that
 * timers and signal handlers get to run.
 */
export async function* untilAborted<T>(source: AsyncIterable<T> | Iterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  if (signal.aborted) return;
  if (!(Symbol.asyncIterator in source)) {
    let n = 0;
    for (const item of source) {
      if (++n % 64 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal.aborted) return;
      yield item;
    }
    return;
  }
  const it = source[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const r = await orAbort(it.next(), signal);
      if (r === ABORTED) return;
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
      if (signal.aborted) return;
    }
  } finally {
    // Stop the source (a parser thread, a file stream); not awaited, as a read may still be pending.
    if (!finished) void Promise.resolve(it.return?.()).catch(() => {});
  }
}
