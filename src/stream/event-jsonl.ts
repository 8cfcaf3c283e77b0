/**
 * A hand-written JSONL serializer for generated incidents: the same JSON as JSON.stringify
 * (fields in IncidentEvent order), several times faster.
 */
import type { IncidentEvent } from '../types';

// Anything JSON.stringify would escape (plus lone surrogates, which it escapes too).
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function str(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function num(x: number): string {
  return Number.isFinite(x) ? `${x}` : 'null';
}

/** One event as a JSON object (no newline). JSON.parse of it deep-equals the event. */
export function eventToJson(e: IncidentEvent): string {
  return `{"event_id":${str(e.event_id)},"timestamp":${str(e.timestamp)},"incident_type":${str(e.incident_type)},"severity":${num(e.severity)},"source":${str(e.source)},"source_kind":${str(e.source_kind)},"source_ip":${str(e.source_ip)},"dest_ip":${str(e.dest_ip)},"user":${str(e.user)},"cpu_load":${num(e.cpu_load)},"net_bytes":${num(e.net_bytes)},"temperature_c":${num(e.temperature_c)},"latency_ms":${num(e.latency_ms)},"failed_logins":${num(e.failed_logins)},"message":${str(e.message)},"regime":${str(e.regime)},"critical":${num(e.critical)},"oracle_p":${num(e.oracle_p)}}`;
}

/** Events as JSONL text: one line each, every line ending with "\n". */
export function eventsToJsonl(events: readonly IncidentEvent[]): string {
  if (events.length === 0) return '';
  const lines = new Array<string>(events.length);
  for (let i = 0; i < events.length; i++) lines[i] = eventToJson(events[i]);
  return `${lines.join('\n')}\n`;
}
