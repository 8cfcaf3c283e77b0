/**
 * A byte-level JSONL encoder for generated incidents: writes each event's JSON straight into a
 * Buffer (ASCII fast path; anything JSON.stringify would escape goes through JSON.stringify).
 * The bytes equal JSON.stringify(event) + "\n" for events whose fields are in IncidentEvent order.
 */
import type { IncidentEvent } from '../types';

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
const K_ID = ascii('{"event_id":"');
const K_TS = ascii('","timestamp":"');
const K_TYPE = ascii('","incident_type":"');
const K_SEV = ascii('","severity":');
const K_SRC = ascii(',"source":"');
const K_KIND = ascii('","source_kind":"');
const K_SIP = ascii('","source_ip":"');
const K_DIP = ascii('","dest_ip":"');
const K_USER = ascii('","user":"');
const K_LOAD = ascii('","cpu_load":');
const K_BYTES = ascii(',"net_bytes":');
const K_TEMP = ascii(',"temperature_c":');
const K_LAT = ascii(',"latency_ms":');
const K_FAIL = ascii(',"failed_logins":');
const K_MSG = ascii(',"message":"');
const K_REG = ascii('","regime":"');
const K_CRIT = ascii('","critical":');
const K_P = ascii(',"oracle_p":');
const K_END = ascii('}\n');

function put(b: Uint8Array, p: number, k: Uint8Array): number {
  const n = k.length;
  for (let i = 0; i < n; i++) b[p++] = k[i];
  return p;
}

/** The body of a plain string (no quotes); -1 when a character needs escaping or is not ASCII. */
function body(b: Uint8Array, p: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || c > 126) return -1;
    b[p++] = c;
  }
  return p;
}

/** Digits of a non-negative integer below 2^31. */
function uint(b: Uint8Array, p: number, x: number): number {
  if (x < 10) {
    b[p] = 48 + x;
    return p + 1;
  }
  let len = 1;
  for (let t = x; t >= 10; t = (t / 10) | 0) len++;
  const end = p + len;
  let q = end;
  for (let t = x; len > 0; len--) {
    const d = (t / 10) | 0;
    b[--q] = 48 + (t - d * 10);
    t = d;
  }
  return end;
}

function text(b: Uint8Array, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
  return p;
}

/**
 * A JSON number, same text as JSON.stringify (at most 25 bytes): integers and values with at most
 * 4 decimals (below 1e9 in size) digit by digit; anything else through String(x).
 */
function num(b: Uint8Array, p: number, x: number): number {
  if (x === (x | 0)) {
    if (x >= 0) return uint(b, p, x);
    if (x === -2147483648) return text(b, p, '-2147483648');
    b[p++] = 45;
    return uint(b, p, -x);
  }
  if (x > -1e9 && x < 1e9) {
    const k = Math.round(x * 10_000);
    // x is the double nearest k / 10^4, so its shortest text is that decimal, trailing zeros trimmed.
    if (k / 10_000 === x) {
      let a = k;
      if (a < 0) {
        b[p++] = 45;
        a = -a;
      }
      const ip = Math.floor(a / 10_000);
      let frac = a - ip * 10_000;
      p = uint(b, p, ip);
      b[p++] = 46;
      let digits = 4;
      while (frac % 10 === 0) {
        frac /= 10;
        digits--;
      }
      for (let d = digits - 1; d >= 0; d--) {
        const q = Math.floor(frac / 10);
        b[p + d] = 48 + (frac - q * 10);
        frac = q;
      }
      return p + digits;
    }
  }
  return text(b, p, Number.isFinite(x) ? String(x) : 'null');
}


/** Printable ASCII without quote or backslash: safe inside a JSON string as is. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const MAX_CACHED = 4096;

/** Cached byte segments "<before><value><after>" for values from small sets (types, assets, users, regimes). */
class Segments {
  private readonly map = new Map<string, Uint8Array>();
  constructor(private readonly before: string, private readonly after: string) {}
  /** The bytes, or null when the value is not plain or the cache is full. */
  get(value: string): Uint8Array | null {
    let seg = this.map.get(value);
    if (seg === undefined) {
      if (this.map.size >= MAX_CACHED || !PLAIN.test(value)) return null;
      seg = ascii(this.before + value + this.after);
      this.map.set(value, seg);
    }
    return seg;
  }
}

function copy(b: Uint8Array, p: number, k: Uint8Array): number {
  if (k.length > 24) {
    b.set(k, p);
    return p + k.length;
  }
  return put(b, p, k);
}

export class JsonlEncoder {
  private buf: Buffer;
  private pos = 0;
  private readonly typeSeg = new Segments('","incident_type":"', '","severity":');
  /** Keyed by source, checked against kind and address (the asset's fixed ones). */
  private readonly srcSeg = new Map<string, { kind: string; ip: string; bytes: Uint8Array }>();
  private readonly userSeg = new Segments('","user":"', '","cpu_load":');
  private readonly regimeSeg = new Segments('","regime":"', '","critical":');

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

  /** ',"source":"S","source_kind":"K","source_ip":"I","dest_ip":"' for an asset, cached. */
  private assetSegment(src: string, kind: string, ip: string): Uint8Array | null {
    const hit = this.srcSeg.get(src);
    if (hit !== undefined) return hit.kind === kind && hit.ip === ip ? hit.bytes : null;
    if (this.srcSeg.size >= MAX_CACHED || !PLAIN.test(src) || !PLAIN.test(kind) || !PLAIN.test(ip)) return null;
    const bytes = ascii(`,"source":"${src}","source_kind":"${kind}","source_ip":"${ip}","dest_ip":"`);
    this.srcSeg.set(src, { kind, ip, bytes });
    return bytes;
  }

  /** Append one event as a JSON line. */
  write(e: IncidentEvent): void {
    const id = e.event_id, ts = e.timestamp, type = e.incident_type, src = e.source, kind = e.source_kind;
    const sip = e.source_ip, dip = e.dest_ip, user = e.user, msg = e.message, reg = e.regime;
    // Room for the keys (≈ 230 bytes), 9 numbers (≤ 25 bytes each) and the plain string bodies.
    this.ensure(512 + id.length + ts.length + type.length + src.length + kind.length + sip.length + dip.length + user.length + msg.length + reg.length);
    const b = this.buf;
    const start = this.pos;
    let p = start;
    p = put(b, p, K_ID);
    p = body(b, p, id);
    if (p >= 0) { p = put(b, p, K_TS); p = body(b, p, ts); }
    if (p >= 0) {
      const seg = this.typeSeg.get(type);
      if (seg) p = copy(b, p, seg);
      else { p = put(b, p, K_TYPE); p = body(b, p, type); if (p >= 0) p = put(b, p, K_SEV); }
    }
    if (p >= 0) {
      p = num(b, p, e.severity);
      const seg = this.assetSegment(src, kind, sip);
      if (seg) p = copy(b, p, seg);
      else {
        p = put(b, p, K_SRC); p = body(b, p, src);
        if (p >= 0) { p = put(b, p, K_KIND); p = body(b, p, kind); }
        if (p >= 0) { p = put(b, p, K_SIP); p = body(b, p, sip); }
        if (p >= 0) p = put(b, p, K_DIP);
      }
    }
    if (p >= 0) p = body(b, p, dip);
    if (p >= 0) {
      const seg = this.userSeg.get(user);
      if (seg) p = copy(b, p, seg);
      else { p = put(b, p, K_USER); p = body(b, p, user); if (p >= 0) p = put(b, p, K_LOAD); }
    }
    if (p >= 0) {
      p = num(b, p, e.cpu_load);
      p = put(b, p, K_BYTES); p = num(b, p, e.net_bytes);
      p = put(b, p, K_TEMP); p = num(b, p, e.temperature_c);
      p = put(b, p, K_LAT); p = num(b, p, e.latency_ms);
      p = put(b, p, K_FAIL); p = num(b, p, e.failed_logins);
      p = put(b, p, K_MSG); p = body(b, p, msg);
    }
    if (p >= 0) {
      const seg = this.regimeSeg.get(reg);
      if (seg) p = copy(b, p, seg);
      else { p = put(b, p, K_REG); p = body(b, p, reg); if (p >= 0) p = put(b, p, K_CRIT); }
    }
    if (p >= 0) {
      p = num(b, p, e.critical);
      p = put(b, p, K_P); p = num(b, p, e.oracle_p);
      p = put(b, p, K_END);
      this.pos = p;
      return;
    }
    // Rare: a string needs escaping (or is not ASCII): let JSON.stringify write the whole line.
    this.pos = start;
    const line = `${JSON.stringify(e, ORDER)}\n`;
    this.ensure(Buffer.byteLength(line));
    this.pos += this.buf.write(line, this.pos, 'utf8');
  }
}

/** Field order of IncidentEvent (for the JSON.stringify fallback). */
const ORDER: string[] = ['event_id', 'timestamp', 'incident_type', 'severity', 'source', 'source_kind', 'source_ip', 'dest_ip', 'user',
  'cpu_load', 'net_bytes', 'temperature_c', 'latency_ms', 'failed_logins', 'message', 'regime', 'critical', 'oracle_p'];
