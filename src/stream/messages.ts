/**
 * Realistic incident messages. Their variable parts (IPs, numbers, hex ids, paths, users) come
 * from label-free draws or from observed fields, so a message carries no extra information on
 * the label. ASCII only, never a quote, backslash or control character.
 */
import { EXTERNAL_IPS, INTERNAL_IPS } from './assets';
import type { IncidentEvent } from '../types';
import type { Uniform } from './rng';

// Every pool holds strings, so each pick is a monomorphic array load.
const SLA_MS = ['50', '100', '200', '250', '500'];
const THRESH_C = ['45', '50', '55', '60', '70'];
const PORTS = ['22', '53', '80', '443', '445', '1883', '3306', '3389', '5432', '8080', '8443'];
const PATHS = [
  '/etc/ssh/sshd_config', '/etc/nginx/nginx.conf', '/etc/sudoers', '/var/www/html/index.php',
  '/opt/app/config.yaml', '/etc/hosts', '/usr/local/bin/agent', '/home/shared/tmp/run.sh',
  'C:/Windows/Temp/svch0st.exe', 'C:/Users/Public/update.dll', '/etc/crontab', '/srv/data/export.tar',
];
const MALWARE = ['Trojan.GenericKD', 'Win32.Emotet', 'Linux.Mirai', 'Ransom.LockBit', 'Backdoor.Cobalt', 'PUA.CoinMiner'];

/** Decimal strings of 0…999, and zero-padded 000…999 (the lower groups of larger numbers). */
const DEC: string[] = Array.from({ length: 1000 }, (_, i) => String(i));
const DEC3: string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * `String(n)` for a non-negative integer n (counts, bytes, rounded readings). Table look-ups
 * instead of a number-to-string conversion, which costs more than the rest of a message.
 */
export function intStr(n: number): string {
  if (n < 1000) return DEC[n];
  if (n < 1_000_000) {
    const hi = (n / 1000) | 0;
    return DEC[hi] + DEC3[n - hi * 1000];
  }
  if (n < 1_000_000_000) {
    const hi = (n / 1_000_000) | 0;
    const mid = ((n - hi * 1_000_000) / 1000) | 0;
    return DEC[hi] + DEC3[mid] + DEC3[n - hi * 1_000_000 - mid * 1000];
  }
  return String(n);
}

function pick(u: Uniform, xs: readonly string[]): string {
  return xs[(u() * xs.length) | 0];
}

/** Size of each pool of hex ids and process ids. */
const POOL = 16384;

/**
 * POOL values below 16^n from a fixed xorshift32 sequence: the hex ids of n digits. Kept as numbers
 * (64 KiB per pool) and spelled out per use from two-digit tables: a pool of 16,384 strings
 * (≈ 0.4 MB) read at random positions missed the CPU caches on nearly every pick.
 */
function hexPool(n: number): Uint32Array {
  const pool = new Uint32Array(POOL);
  let x = 0x9e3779b9 ^ n;
  for (let i = 0; i < POOL; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    pool[i] = (x >>> 0) % 16 ** n;
  }
  return pool;
}
const HEX4 = hexPool(4);
const HEX6 = hexPool(6);
const HEX7 = hexPool(7);
const HEX8 = hexPool(8);
/** Hex digits of 0…15 and two-digit (zero-padded) hex of 0…255. */
const H1: string[] = Array.from({ length: 16 }, (_, i) => i.toString(16));
const H2: string[] = Array.from({ length: 256 }, (_, i) => H1[i >> 4] + H1[i & 15]);

// `v.toString(16).padStart(n, '0')` for v < 16^n.
function hex4(u: Uniform): string {
  const v = HEX4[(u() * POOL) | 0];
  return H2[v >>> 8] + H2[v & 255];
}
function hex6(u: Uniform): string {
  const v = HEX6[(u() * POOL) | 0];
  return H2[v >>> 16] + H2[(v >>> 8) & 255] + H2[v & 255];
}
function hex7(u: Uniform): string {
  const v = HEX7[(u() * POOL) | 0];
  return H1[v >>> 24] + H2[(v >>> 16) & 255] + H2[(v >>> 8) & 255] + H2[v & 255];
}
function hex8(u: Uniform): string {
  const v = HEX8[(u() * POOL) | 0];
  return H2[v >>> 24] + H2[(v >>> 16) & 255] + H2[(v >>> 8) & 255] + H2[v & 255];
}
/** A process id, 1000–65000 (one of POOL evenly spaced values). */
function pid(u: Uniform): string {
  return intStr(1000 + Math.floor((((u() * POOL) | 0) * 64000) / POOL));
}

/** The event's fields a message may mention (all observed). */
export type MessageFields = Pick<IncidentEvent, 'source' | 'source_ip' | 'dest_ip' | 'user' | 'cpu_load' | 'net_bytes' | 'temperature_c' | 'latency_ms' | 'failed_logins'>;

type Template = (u: Uniform, f: MessageFields) => string;

// In INCIDENT_TYPES order.
const TEMPLATES: Template[][] = [
  [ // login_failure
    (u, f) => `${intStr(f.failed_logins)} failed login attempts for ${f.user} from ${pick(u, EXTERNAL_IPS)} via sshd[${pid(u)}]`,
    (u, f) => `Authentication failure for user ${f.user} on ${f.source} (${intStr(f.failed_logins)} attempts, session ${hex8(u)})`,
    (u, f) => `Invalid password for ${f.user} from ${pick(u, INTERNAL_IPS)} port ${pick(u, PORTS)}; failures=${intStr(f.failed_logins)}`,
  ],
  [ // malware_detection
    (u, f) => `Malware ${pick(u, MALWARE)} detected in ${pick(u, PATHS)} on ${f.source} (sha256 ${hex8(u)}${hex8(u)})`,
    (u, f) => `AV quarantined ${pick(u, PATHS)} for ${f.user}: signature ${pick(u, MALWARE)}.${hex4(u)}`,
  ],
  [ // sla_violation
    (u, f) => `SLA breach on ${f.source}: p95 latency ${intStr(Math.round(f.latency_ms))} ms exceeds ${pick(u, SLA_MS)} ms`,
    (u, f) => `Service check ${hex6(u)} on ${f.source_ip}:${pick(u, PORTS)} slow: ${intStr(Math.round(f.latency_ms))} ms at load ${intStr(Math.round(f.cpu_load * 100))}%`,
  ],
  [ // network_anomaly
    (u, f) => `Unusual traffic ${intStr(f.net_bytes)} bytes from ${f.source_ip} to ${f.dest_ip}:${pick(u, PORTS)}`,
    (u, f) => `Flow anomaly score ${intStr((u() * 100) | 0)} on ${f.source}: ${intStr(f.net_bytes)} bytes to ${f.dest_ip} (flow ${hex8(u)})`,
  ],
  [ // privilege_escalation
    (u, f) => `User ${f.user} gained root via sudo on ${f.source} (session ${hex8(u)}, pid ${pid(u)})`,
    (u, f) => `Privilege change for ${f.user}: added to group admin on ${f.source_ip} after ${intStr(f.failed_logins)} failed attempts`,
  ],
  [ // data_exfiltration
    (u, f) => `Outbound transfer of ${intStr(f.net_bytes)} bytes to ${f.dest_ip} by ${f.user} from ${f.source}`,
    (u, f) => `Large upload ${intStr(f.net_bytes)} bytes from ${pick(u, PATHS)} to ${f.dest_ip}:${pick(u, PORTS)} (conn ${hex8(u)})`,
  ],
  [ // config_change
    (u, f) => `Config ${pick(u, PATHS)} modified on ${f.source} by ${f.user} (rev ${hex7(u)})`,
    (u, f) => `Change ${hex8(u)} applied to ${f.source} by ${f.user}: ${intStr((u() * 40 + 1) | 0)} lines changed`,
  ],
  [ // thermal_alarm
    (u, f) => `Temperature ${intStr(Math.round(f.temperature_c))} C on ${f.source} above threshold ${pick(u, THRESH_C)} C`,
    (u, f) => `Sensor ${hex4(u)} on ${f.source} reports ${intStr(Math.round(f.temperature_c))} C at load ${intStr(Math.round(f.cpu_load * 100))}%`,
  ],
];

/** A message for an incident of type index `type`. */
export function makeMessage(u: Uniform, type: number, f: MessageFields): string {
  const ts = TEMPLATES[type];
  return ts[(u() * ts.length) | 0](u, f);
}

/**
 * The `logs` scenario's log words (docs/generator.md): P(w | not critical) is uniform over the 24
 * words, P(w | critical) ∝ e^{ℓ_w}. So each word adds LOG_WORD_LLR[w] = ℓ_w − log(mean e^ℓ) to the
 * log-odds, independently of the other fields given the label.
 */
export const LOG_WORDS: readonly string[] = [
  'healthy', 'heartbeat', 'synced', 'cached', 'rotated', 'scheduled', 'flushed', 'recovered',
  'retry', 'backoff', 'throttled', 'degraded', 'timeout', 'refused', 'rollback', 'restart',
  'denied', 'mismatch', 'checksum', 'segfault', 'oom', 'panic', 'corrupt', 'exploit',
];
const LOG_ELL: readonly number[] = [
  -1.2, -1.2, -1.0, -1.0, -0.8, -0.8, -0.6, -0.6,
  -0.3, -0.2, 0, 0, 0.2, 0.3, 0.4, 0.5,
  0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.4, 1.6,
];
const LOG_LOGZ = Math.log(LOG_ELL.reduce((a, l) => a + Math.exp(l), 0) / LOG_ELL.length);
/** log P(w | critical) − log P(w | not critical), per word of {@link LOG_WORDS}. */
export const LOG_WORD_LLR: readonly number[] = LOG_ELL.map((l) => l - LOG_LOGZ);
const LOG_CUM1: number[] = (() => {
  const w = LOG_ELL.map((l) => Math.exp(l));
  const z = w.reduce((a, b) => a + b, 0);
  let c = 0;
  return w.map((x) => (c += x / z));
})();
const LOG_INDEX = new Map(LOG_WORDS.map((w, i) => [w, i] as [string, number]));
/** Separates a message from its log words. */
export const LOG_SEPARATOR = ' | ';

/** The log words of one event: 3–6 of them (a label-free count), each from P(w | critical). Returns the words and their summed LLR. */
export function logTail(u: Uniform, critical: 0 | 1): { text: string; llr: number } {
  const n = 3 + ((u() * 4) | 0);
  let text = '';
  let llr = 0;
  for (let k = 0; k < n; k++) {
    let w: number;
    if (critical) {
      const x = u();
      w = 0;
      while (w < LOG_CUM1.length - 1 && x >= LOG_CUM1[w]!) w++;
    } else {
      w = (u() * LOG_WORDS.length) | 0;
    }
    text = k === 0 ? LOG_WORDS[w]! : `${text} ${LOG_WORDS[w]}`;
    llr += LOG_WORD_LLR[w]!;
  }
  return { text, llr };
}

/** The summed LLR of a message's log words (the text after its last {@link LOG_SEPARATOR}); NaN when it has none or an unknown word. */
export function logTailLLR(message: unknown): number {
  if (typeof message !== 'string') return NaN;
  const at = message.lastIndexOf(LOG_SEPARATOR);
  if (at < 0) return NaN;
  let llr = 0;
  for (const w of message.slice(at + LOG_SEPARATOR.length).split(' ')) {
    const i = LOG_INDEX.get(w);
    if (i === undefined) return NaN;
    llr += LOG_WORD_LLR[i]!;
  }
  return llr;
}
