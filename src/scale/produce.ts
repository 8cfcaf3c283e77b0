import { GENERATOR_SCHEMA } from '../stream/default-schema';
import { openBytes } from '../stream/open-bytes';
import { readLines } from '../stream/read-lines';
import type { Schema } from '../types';
import { ADD_ENTRIES } from './scripts';

/** Options for {@link produce}. */
export interface ProduceOptions {
  /** Redis URL. Required. */
  redis: string;
  /** Stream the events go to (one entry per `pack` lines, field `e` = the lines joined by "\n"). Required. */
  stream: string;
  /** A JSON Lines file (optionally .gz) or "-" for stdin. Required. */
  input: string;
  /**
   * Also write each event's label to this stream as `{id, label}` entries (and send the event without
   * its label field), as a feedback system would. Default: labels stay on the events.
   */
  labelsStream?: string;
  /** Where the label and the id are (label.field, id). Default: the generator's schema. */
  schema?: Schema;
  /** Events sent per round trip (one script call per round; unpaced, rounded up to whole entries). Default 1000. */
  pipeline?: number;
  /**
   * Events per stream entry: each entry's field `e` holds up to `pack` consecutive lines joined by "\n"
   * (fewer in the last entry of a round). Redis' work per entry (XADD, XREADGROUP, the pending list,
   * XACK, the output entry) is shared by its events; the workers write one output entry per input
   * entry. Default {@link DEFAULT_PACK}; 1 = one event per entry.
   */
  pack?: number;
  /**
   * Offered load in events per second: rounds of at most rate / 100 events (and at most `pipeline`),
   * each sent when its first event is due (rate × elapsed time), as a load generator paces. Default:
   * as fast as Redis takes them.
   */
  rate?: number;
}

/** Events per stream entry of {@link produce} unless told (`onthefly produce --pack`). */
export const DEFAULT_PACK = 16;

/** What {@link produce} sent. */
export interface ProduceStats {
  /** Events added to `stream` (every non-blank line). */
  events: number;
  /** Entries added to `stream` (each of up to `pack` events). */
  entries: number;
  /** Entries added to the labels stream. */
  labels: number;
  /** Lines that were not JSON objects (sent as they are; the workers reject them). */
  unparsed: number;
}

/**
 * Send a JSON Lines file to a Redis stream (`onthefly produce`), one script call per round of `pipeline`
 * lines (ADD_ENTRIES: the round's XADDs, `pack` lines per entry, then its labels), optionally paced at
 * `rate` events/s. Lines
 * are sent as they are — validation is the workers' — except that with `labelsStream` the label is
 * moved from each event into its own entry.
 */
export async function produce(options: ProduceOptions): Promise<ProduceStats> {
  const schema = options.schema ?? GENERATOR_SCHEMA;
  const rate = options.rate;
  if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) throw new RangeError(`produce: rate must be a positive number of events per second, got ${rate}`);
  const pipeline = options.pipeline ?? 1000;
  if (!Number.isInteger(pipeline) || pipeline < 1) throw new RangeError(`produce: pipeline must be a positive integer, got ${pipeline}`);
  const pack = options.pack ?? DEFAULT_PACK;
  if (!Number.isInteger(pack) || pack < 1) throw new RangeError(`produce: pack must be a positive integer, got ${pack}`);
  // Unpaced, a round is `pipeline` events rounded up to whole entries; paced, rate / 100 events.
  const per = rate === undefined ? Math.ceil(pipeline / pack) * pack : Math.max(1, Math.min(pipeline, Math.round(rate / 100)));
  const idField = schema.id ?? 'event_id';
  const labelField = schema.label.field;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const client = (require('redis') as typeof import('redis')).createClient({ url: options.redis });
  client.on('error', () => {});
  await client.connect();
  const stats: ProduceStats = { events: 0, entries: 0, labels: 0, unparsed: 0 };
  try {
    const sha = String(await client.sendCommand(['SCRIPT', 'LOAD', ADD_ENTRIES]));
    const keys = ['2', options.stream, options.labelsStream ?? options.stream];
    let lines: string[] = [];
    let labels: string[] = [];
    const t0 = performance.now();
    let sent = 0;
    const inflight = new Set<Promise<unknown>>();
    let failure: unknown;
    const flush = async (): Promise<void> => {
      if (lines.length === 0) return;
      if (rate !== undefined) {
        const wait = t0 + (sent / rate) * 1000 - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      }
      // Paced, the rounds are open-loop (as a load generator): each goes out when due, without waiting for
      // the previous reply, up to 64 in flight. Unpaced, each round waits for its reply.
      const packed: string[] = [];
      for (let i = 0; i < lines.length; i += pack) packed.push(pack === 1 ? lines[i]! : lines.slice(i, i + pack).join('\n'));
      stats.entries += packed.length;
      const reply = client.sendCommand(['EVALSHA', sha, ...keys, String(packed.length), ...packed, ...labels]);
      if (rate === undefined) {
        await reply;
      } else {
        const p: Promise<unknown> = reply.then(() => undefined, (err: unknown) => { failure ??= err; }).finally(() => inflight.delete(p));
        inflight.add(p);
        if (inflight.size >= 64) await Promise.race(inflight);
        if (failure !== undefined) throw failure;
      }
      sent += lines.length;
      lines = [];
      labels = [];
    };
    for await (const raw of readLines(openBytes(options.input))) {
      const text = raw.text === null ? raw.head ?? '' : raw.text.trim();
      if (text === '') continue;
      let line = text;
      if (options.labelsStream) {
        let event: unknown;
        try {
          event = JSON.parse(text);
        } catch {
          event = null;
        }
        if (event !== null && typeof event === 'object' && !Array.isArray(event)) {
          const e = event as Record<string, unknown>;
          const { [labelField]: label, ...rest } = e;
          if (label !== undefined && e[idField] !== undefined) {
            line = JSON.stringify(rest);
            labels.push(String(e[idField]), String(label));
            stats.labels++;
          }
        } else {
          stats.unparsed++;
        }
      }
      lines.push(line);
      stats.events++;
      if (lines.length >= per) await flush();
    }
    await flush();
    await Promise.all(inflight);
    if (failure !== undefined) throw failure;
    return stats;
  } finally {
    await client.quit().catch(() => {});
  }
}
