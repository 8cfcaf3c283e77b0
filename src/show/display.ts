/**
 * The bridge to the Jupyter kernel (tslab). Nothing is loaded here: when this code runs inside a
 * tslab kernel, tslab's own `jupyter` module is already in `require.cache`, and its
 * `lastWriteDisplayData` sends display_data / update_display_data messages for the running cell.
 * Going through it (rather than `tslab.display`) lets one output carry several MIME types
 * (tslab's public `display.raw` sends exactly one), so each frontend picks the one it renders.
 */

/** A MIME bundle: MIME type → data (strings, or JSON for `application/…+json`). */
export type MimeBundle = Record<string, unknown>;

/** Where display messages go: a tslab kernel, or a test's capture. */
export type DisplaySink = (bundle: MimeBundle, displayId: string | undefined, update: boolean) => void;

type WriteDisplayData = (
  msg: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id?: string } },
  update: boolean,
) => void;

let override: DisplaySink | null | undefined;
let kernelModule: { lastWriteDisplayData?: unknown } | null = null;

/** Replace the kernel sink (tests, other frontends); `undefined` goes back to auto-detection, `null` disables display. */
export function setDisplaySink(sink: DisplaySink | null | undefined): void {
  override = sink;
}

/**
 * tslab's jupyter module that is executing cells now. More than one tslab may be loaded in a kernel
 * process (a tslab binary from one install hands over to the tslab installed next to the notebook), so
 * every candidate is checked and the one whose `lastWriteDisplayData` is set wins.
 */
function findKernelModule(): { lastWriteDisplayData?: unknown } | null {
  if (kernelModule && typeof kernelModule.lastWriteDisplayData === 'function') return kernelModule;
  let fallback: { lastWriteDisplayData?: unknown } | null = null;
  for (const key of Object.keys(require.cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(key)) continue;
    const exp = require.cache[key]?.exports as { lastWriteDisplayData?: unknown } | undefined;
    if (!exp || !('lastWriteDisplayData' in exp)) continue;
    if (typeof exp.lastWriteDisplayData === 'function') {
      kernelModule = exp;
      return exp;
    }
    fallback ??= exp;
  }
  return fallback;
}

/** The active sink, or null when there is nowhere to display (plain Node, no override). */
export function currentSink(): DisplaySink | null {
  if (override !== undefined) return override;
  const mod = findKernelModule();
  const write = mod?.lastWriteDisplayData;
  if (typeof write !== 'function') return null;
  return (bundle, displayId, update) => {
    (write as WriteDisplayData)({ data: bundle, metadata: {}, transient: displayId ? { display_id: displayId } : {} }, update);
  };
}

/** True inside a tslab kernel (or with a sink set). */
export function canDisplay(): boolean {
  return currentSink() !== null;
}

/** Send one MIME bundle; a no-op outside a kernel. Returns whether it was sent. */
export function sendBundle(bundle: MimeBundle, displayId?: string, update = false): boolean {
  const sink = currentSink();
  if (!sink) return false;
  sink(bundle, displayId, update);
  return true;
}
