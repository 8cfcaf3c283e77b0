/**
 * A byte-level JSONL encoder for generated incidents: writes each event's JSON straight into a
 * Buffer (ASCII fast path, escaping like JSON.stringify otherwise). The bytes equal
 * JSON.stringify(event) + "\n" for events whose fields are in IncidentEvent order.
 */
import type { IncidentEvent } from '../types';

const DIGITS = Array.from({ length: 10 }, (_, i) => 48 + i);

export class JsonlEncoder {
  private buf: Buffer;
  private pos = 0;

  /** @param capacity initial bytes per buffer (default 1 MiB; grows for longer content). */
  constructor(private readonly capacity = 1 << 20) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Bytes waiting to be taken. */
  get length(): number {
    return this.pos;
  }

  /** The encoded bytes so far (a fresh buffer is started: the returned one is never reused). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.capacity);
    this.pos = 0;
    return out;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Raw ASCII text (keys and punctuation; the caller guarantees it needs no escaping). */
  private raw(s: string): void {
    const n = s.length;
    this.ensure(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** A JSON string literal. */
  private str(s: string): void {
    const n = s.length;
    this.ensure(n + 2);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 34;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 32 || c === 34 || c === 92 || c > 126) {
        // Rare: let JSON.stringify escape it, written as UTF-8.
        const lit = JSON.stringify(s);
        this.ensure(Buffer.byteLength(lit) + 1);
        this.pos += this.buf.write(lit, this.pos, 'utf8');
        return;
      }
      b[p++] = c;
    }
    b[p++] = 34;
    this.pos = p;
  }

  /** A JSON number (null when not finite, as JSON.stringify). */
  private num(x: number): void {
    if (x === (x | 0) && x >= 0) {
      this.ensure(11);
      const b = this.buf;
      if (x < 10) {
        b[this.pos++] = DIGITS[x];
        return;
      }
      let len = 1;
      for (let t = x; t >= 10; t = (t / 10) | 0) len++;
      let p = this.pos + len;
      this.pos = p;
      for (let t = x; len > 0; len--) {
        const q = (t / 10) | 0;
        b[--p] = 48 + (t - q * 10);
        t = q;
      }
      return;
    }
    this.raw(Number.isFinite(x) ? String(x) : 'null');
  }

  /** Append one event as a JSON line. */
  write(e: IncidentEvent): void {
    this.raw('{"event_id":');
    this.str(e.event_id);
    this.raw(',"timestamp":');
    this.str(e.timestamp);
    this.raw(',"incident_type":');
    this.str(e.incident_type);
    this.raw(',"severity":');
    this.num(e.severity);
    this.raw(',"source":');
    this.str(e.source);
    this.raw(',"source_kind":');
    this.str(e.source_kind);
    this.raw(',"source_ip":');
    this.str(e.source_ip);
    this.raw(',"dest_ip":');
    this.str(e.dest_ip);
    this.raw(',"user":');
    this.str(e.user);
    this.raw(',"cpu_load":');
    this.num(e.cpu_load);
    this.raw(',"net_bytes":');
    this.num(e.net_bytes);
    this.raw(',"temperature_c":');
    this.num(e.temperature_c);
    this.raw(',"latency_ms":');
    this.num(e.latency_ms);
    this.raw(',"failed_logins":');
    this.num(e.failed_logins);
    this.raw(',"message":');
    this.str(e.message);
    this.raw(',"regime":');
    this.str(e.regime);
    this.raw(',"critical":');
    this.num(e.critical);
    this.raw(',"oracle_p":');
    this.num(e.oracle_p);
    this.raw('}\n');
  }
}
