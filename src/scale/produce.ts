import { GENERATOR_SCHEMA } from '../stream/default-schema';
import { openBytes } from '../stream/open-bytes';
import { readLines } from '../stream/read-lines';
import type { Schema } from '../types';

/** Options for {@link produce}. */
export interface ProduceOptions {
  /** Redis URL. Required. */
  redis: string;
  /** Stream the events go to (one entry per line, field `e` = the line). Required. */
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
  /** XADDs sent per pipelined round trip. Default 1000. */
  pipeline?: number;
}

/** What {@link produce} sent. */
export interface ProduceStats {
  /** Entries added to `stream` (every non-blank line). */
  events: number;
  /** Entries added to the labels stream. */
  labels: number;
  /** Lines that were not JSON objects (sent as they are; the workers reject them). */
  unparsed: number;
}

/**
 * Send a JSON Lines file to a Redis stream with pipelined XADDs (`onthefly produce`). Lines are sent as
 * they are — validation is the workers' — except that with `labelsStream` the label is moved from each
 * event into its own entry.
 */
export async function produce(options: ProduceOptions): Promise<ProduceStats> {
  const schema = options.schema ?? GENERATOR_SCHEMA;
  const per = options.pipeline ?? 1000;
  if (!Number.isInteger(per) || per < 1) throw new RangeError(`produce: pipeline must be a positive integer, got ${per}`);
  const idField = schema.id ?? 'event_id';
  const labelField = schema.label.field;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const client = (require('redis') as typeof import('redis')).createClient({ url: options.redis });
  client.on('error', () => {});
  await client.connect();
  const stats: ProduceStats = { events: 0, labels: 0, unparsed: 0 };
  try {
    let round: Promise<unknown>[] = [];
    for await (const raw of readLines(openBytes(options.input))) {
      const text = raw.text === null ? raw.head ?? '' : raw.text.trim();
      if (text === '') continue;
      let line = text;
      let labelEntry: string[] | null = null;
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
            labelEntry = ['XADD', options.labelsStream, '*', 'id', String(e[idField]), 'label', String(label)];
          }
        } else {
          stats.unparsed++;
        }
      }
      round.push(client.sendCommand(['XADD', options.stream, '*', 'e', line]));
      stats.events++;
      if (labelEntry) {
        round.push(client.sendCommand(labelEntry));
        stats.labels++;
      }
      if (round.length >= per) {
        await Promise.all(round);
        round = [];
      }
    }
    await Promise.all(round);
    return stats;
  } finally {
    await client.quit().catch(() => {});
  }
}
