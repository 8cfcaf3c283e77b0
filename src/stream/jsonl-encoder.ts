/**
 * A byte-level JSONL encoder for generated incidents: writes each event's JSON straight into a
 * Buffer (ASCII fast path, escaping like JSON.stringify otherwise). The bytes equal
 * JSON.stringify(event) + "\n" for events whose fields are in IncidentEvent order.
 */
import type { IncidentEvent } from '../types';

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
const K0 = ascii('{"event_id":');
const K1 = ascii(',"timestamp":');
const K2 = ascii(',"incident_type":');
const K3 = ascii(',"severity":');
const K4 = ascii(',"source":');
const K5 = ascii(',"source_kind":');
const K6 = ascii(',"source_ip":');
const K7 = ascii(',"dest_ip":');
const K8 = ascii(',"user":');
const K9 = ascii(',"cpu_load":');
const K10 = ascii(',"net_bytes":');
const K11 = ascii(',"temperature_c":');
const K12 = ascii(',"latency_ms":');
const K13 = ascii(',"failed_logins":');
const K14 = ascii(',"message":');
const K15 = ascii(',"regime":');
const K16 = ascii(',"critical":');
const K17 = ascii(',"oracle_p":');
const K18 = ascii('}\n');

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

  /** Constant bytes. */
  private bytes(k: Uint8Array): void {
    const n = k.length;
    this.ensure(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = k[i];
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

  /** Digits of a non-negative integer below 2^31. */
  private uint(x: number): void {
    const b = this.buf;
    if (x < 10) {
      b[this.pos++] = 48 + x;
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
  }

  /**
   * A JSON number, same text as JSON.stringify: integers and values with at most 4 decimals
   * (below 1e9 in size) are written digit by digit; anything else through String(x).
   */
  private num(x: number): void {
    this.ensure(32);
    if (x === (x | 0)) {
      if (x < 0) {
        if (x === -2147483648) return this.raw(String(x));
        this.buf[this.pos++] = 45;
        x = -x;
      }
      this.uint(x);
      return;
    }
    if (x > -1e9 && x < 1e9) {
      const k = Math.round(x * 10_000);
      // x is the double nearest k / 10^4, so its shortest text is that decimal (trailing zeros trimmed).
      if (k / 10_000 === x) {
        let a = k;
        if (a < 0) {
          this.buf[this.pos++] = 45;
          a = -a;
        }
        const ip = Math.floor(a / 10_000);
        let frac = a - ip * 10_000;
        if (ip < 2147483648) this.uint(ip);
        else this.raw(String(ip));
        const b = this.buf;
        b[this.pos++] = 46;
        let digits = 4;
        while (frac % 10 === 0) {
          frac /= 10;
          digits--;
        }
        for (let d = digits - 1; d >= 0; d--) {
          const q = Math.floor(frac / 10);
          b[this.pos + d] = 48 + (frac - q * 10);
          frac = q;
        }
        this.pos += digits;
        return;
      }
    }
    this.raw(Number.isFinite(x) ? String(x) : 'null');
  }

  /** Append one event as a JSON line. */
  write(e: IncidentEvent): void {
    this.bytes(K0);
    this.str(e.event_id);
    this.bytes(K1);
    this.str(e.timestamp);
    this.bytes(K2);
    this.str(e.incident_type);
    this.bytes(K3);
    this.num(e.severity);
    this.bytes(K4);
    this.str(e.source);
    this.bytes(K5);
    this.str(e.source_kind);
    this.bytes(K6);
    this.str(e.source_ip);
    this.bytes(K7);
    this.str(e.dest_ip);
    this.bytes(K8);
    this.str(e.user);
    this.bytes(K9);
    this.num(e.cpu_load);
    this.bytes(K10);
    this.num(e.net_bytes);
    this.bytes(K11);
    this.num(e.temperature_c);
    this.bytes(K12);
    this.num(e.latency_ms);
    this.bytes(K13);
    this.num(e.failed_logins);
    this.bytes(K14);
    this.str(e.message);
    this.bytes(K15);
    this.str(e.regime);
    this.bytes(K16);
    this.num(e.critical);
    this.bytes(K17);
    this.num(e.oracle_p);
    this.raw('}\n');
  }
}
