/*
 * Hostile and random texts for the differential tests of the text fast path (src/features/text.ts,
 * src/dedup/template-mask.ts) against their reference copies: numbers with signs, groups, exponents and
 * units, hex ids, IPv4/IPv6 with ports and zones, UUIDs, MACs, dates and times, paths, URLs, e-mails,
 * placeholder look-alikes, Unicode letters and digits, surrogate pairs (and lone halves), Unicode white
 * space, long tokens and long texts. Deterministic (a seeded generator).
 */

/** mulberry32: a small seeded generator of floats in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHARS = [
  ...'0123456789', ...'0123456789', ...'abcdefABCDEF', ...'xXeEgGzZTt', '.', '.', '-', '-', '+', ':', ':', '/', '\\', '@', '%', '°', 'µ', 'μ',
  '<', '>', '_', ',', ';', '=', '(', ')', '[', ']', '~', '!', '?', '"', "'", '#', '&', '*',
  ' ', ' ', ' ', '\t', '\n', '\u00a0', '\u3000', '\u2028', '\u200b', '\ufeff', '\u180e', '\u001f',
  'é', 'É', 'İ', 'ß', 'Σ', 'ς', 'ǅ', 'ﬁ', '東', 'デ', '١', '٣', '²', 'Ⅻ', '\u0301', 'ı', '\u212a',
  '\u{1d518}', '\u{1f600}', '\u{10400}', '\ud800', '\udc00', '\u0000',
];

const H = '0123456789abcdefABCDEF';

function pick<T>(u: () => number, xs: readonly T[]): T {
  return xs[Math.floor(u() * xs.length)]!;
}

function hex(u: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += pick(u, [...H]);
  return s;
}

function int(u: () => number, max: number): number {
  return Math.floor(u() * max);
}

/** A piece that some mask kind may (or nearly) match. */
function structured(u: () => number): string {
  switch (int(u, 22)) {
    case 0: return `${int(u, 300)}.${int(u, 300)}.${int(u, 300)}.${int(u, 300)}`;
    case 1: return `${int(u, 256)}.${int(u, 256)}.${int(u, 256)}.${int(u, 256)}${pick(u, ['', ':', '.', '.5', 'a', '/', ':8080', '/24'])}${int(u, 3) === 0 ? int(u, 99999) : ''}`;
    case 2: return `${pick(u, ['', '0', '00', '1', '25', '256', '2'])}${int(u, 10)}.${pick(u, ['0', '01', '255', '256'])}.${int(u, 10)}.${pick(u, ['1', '999', '2', '25'])}`;
    case 3: return hex(u, 1 + int(u, 14));
    case 4: return `0${pick(u, ['x', 'X'])}${hex(u, int(u, 10))}${pick(u, ['', 'g', '.', ',', 'Z'])}`;
    case 5: return `${hex(u, 8)}-${hex(u, 4)}-${hex(u, 4)}-${hex(u, 4)}-${hex(u, 12)}${pick(u, ['', 'a', '-', ':'])}`;
    case 6: {
      const sep = pick(u, [':', '-']);
      return pick(u, ['', '', '.', '(', '-', ':']) + Array.from({ length: 5 + int(u, 3) }, () => hex(u, 1 + int(u, 2))).join(sep);
    }
    case 7: return `${int(u, 3000)}-${String(int(u, 13)).padStart(2, '0')}-${String(int(u, 32)).padStart(2, '0')}${pick(u, ['', 'T', ' ', 'T12:00', 'T12:00:01.5Z', ' 09:15', 'x', '1'])}`;
    case 8: return `${int(u, 25)}:${String(int(u, 61)).padStart(2, '0')}${pick(u, ['', ':30', ':30.123', ',5', 'Z', '+01:00'])}`;
    case 9: return `${pick(u, ['', '-', '+', '--', '+-', '.'])}${int(u, 1e6)}${pick(u, ['', '.', '.5', '.25.3', '..1', '.1.2.3.4.5'])}${pick(u, ['', 'e5', 'E-3', 'e+', 'e', 'e+7x', 'E10'])}${pick(u, ['', 'ms', '%', '°C', 'µs', 'MBps', 'abcde', 'kb%', 'x1', 'GHz', 'µ', 'k°'])}`;
    case 10: return `${pick(u, ['', '.', '-.', '+.'])}.${int(u, 100)}${pick(u, ['', 'e2', 'x'])}`;
    case 11: return pick(u, ['fe80::1', '::1', '::', '2001:db8::1', 'fe80::1%eth0', '::ffff:10.0.0.1', '1:2:3:4:5:6:7:8', 'a::b::c', 'std::vector', ':::', '1::', 'fe80::1ff:fe23:4567:890a']);
    case 12: return pick(u, ['/var/log/syslog.1', '~/x/y', './run.sh', '../a/b', 'C:\\Windows\\x.dll', 'C:/Users/Public/update.dll', 'and/or', 'I/O', '10/s', '/etc/sudoers', 'a/b/c']);
    case 13: return pick(u, ['alice.smith+ops@example.co.uk', 'a@b', 'x@y.z', '@', 'root@10.0.0.1', 'user@host-1.example']);
    case 14: return pick(u, ['https://api.example.com/v1/items?id=42', 'http://x.org/a.', 'ftp://h', 'a+b://c/d', 'x://']);
    case 15: return pick(u, ['<NUM>', '<IP>', '<HEX>', '<A>', '<>', '<a>', '<NUM', 'NUM>', '<<NUM>>', '<NUM><IP>', 'x<IP>y', '< B>', '<ÉTÉ>', '<AB1>']);
    case 16: return `${pick(u, ['srv', 'ep', 'worker_', 'user', 'id=', 'pid=', 'v', 'sda', 'x', 'µ', 'É'])}${pick(u, ['', '-', '_', '.', '='])}${int(u, 10000)}${pick(u, ['', ',', ')', ':', ';', '.', '%'])}`;
    case 17: return `sshd[${int(u, 99999)}]`;
    case 18: return `${pick(u, ['Win32', 'Trojan', 'PUA'])}.${pick(u, ['Emotet', 'GenericKD'])}.${hex(u, 4)}`;
    case 19: return `${pick(u, ['ÉTÉ', 'Straße', 'İstanbul', 'ΣΟΦΟΣ', 'ǅemal', 'ﬁle', '東京', 'データ', '١٢٣', 'x²', 'Ⅻ', 'e\u0301', '𝔘𝔫𝔦', '😀emoji', '\ud800x', 'x\udc00'])}${pick(u, ['', '5', '-5', ':', '.'])}`;
    case 20: return 'A'.repeat(1 + int(u, 300)) + pick(u, ['', '1', 'é', '-0']);
    default: return `${int(u, 1e9)}`;
  }
}

/** One random text: a mix of structured pieces and random characters, joined by random separators. */
export function hostileText(u: () => number): string {
  const parts: string[] = [];
  const n = 1 + int(u, 24);
  for (let k = 0; k < n; k++) {
    const r = u();
    if (r < 0.45) parts.push(structured(u));
    else if (r < 0.9) {
      let w = '';
      const len = 1 + int(u, 12);
      for (let i = 0; i < len; i++) w += pick(u, CHARS);
      parts.push(w);
    } else parts.push(pick(u, ['error', 'Disk', 'LOGIN', 'failed', 'for', 'root', 'on', 'at', 'from']));
    parts.push(pick(u, [' ', ' ', ' ', '', '  ', '\t', '\u00a0', ',', '\n', ':', '-', '.', '/', '\u3000']));
  }
  return parts.join('');
}

/** Fixed hostile cases: edges the random ones may miss (long tokens and texts, the input cut, the token cap). */
export const HOSTILE_CASES: string[] = [
  '', ' ', '   \t\n ', '\u00a0\u3000\u2028', '---', '...', '+', '-', '.5', '5.', '1.2.3', '1.2.3g5', '1.2.3.4.5', '1.2.3.4.', '256.1.1.1', '01.2.3.4',
  '1.2.3.4a', '1.2.3.4.5a', '0x', '0x1fg', '0x1F3a', '0Xdead', 'deadbeef', '3f2a9c1b', 'abcdef1', 'abcdef12g', '1234567', '12345678',
  '1e5', '1e+5', '1e+', '1e', 'e5', '5e5e5', '3.2E4', '+7', '-5', '+-5', '--5', '5ms', '5msec', '5abcd', '5abcde', '5%%', '5%a', '5°C', '5µs', '5μs',
  '2024-01-05', '2024-01-05T12:00:00.123Z', '2024-01-05x', '12024-01-05', '2024-1-05', '09:15:30', '9:15', '123:45',
  '550e8400-e29b-41d4-a716-446655440000', '550e8400-e29b-41d4-a716-44665544000', '550e8400-e29b-41d4-a716-4466554400001',
  '00:1a:2b:3c:4d:5e', '.00:1a:2b:3c:4d:5e', 'x.00:1A:2b:3c:4d:5e:', '.00:1a:2b:3c:4d:5e:6f', '..12:30', '.1:30:15,5', '00-1A-2B-3C-4D-5E', '00-1A-2B-3C-4D-5E-6F', 'x00-1A-2B-3C-4D-5E', '-00-1A-2B-3C-4D-5E',
  'ports 3-5', 'srv-03 failed_logins=5', 'a-5', 'a.5', 'a+5', '(5)', '[5]', '5,6', 'v1.2', 'user17', 'ipv4',
  '10.0.4.11:3306', '10.0.0.0/8', '192.0.2.87:8080', 'fe80::1%eth0', '::ffff:10.0.0.1',
  'ERROR: Disk /var/log at 91% on 10.0.0.7, srv-03', '<NUM><NUM> a<b>c 12<HEX> ١٢٣ digits',
  'Ünïcode ÉTÉ naïve café 東京 データ 𝔘𝔫𝔦 😀emoji mixed<NUM>glued <abc> <A> <> < B> x<IP>y',
  'ΣΟΦΟΣ σοφος ΌΣΟΣ İstanbul Straße ǅemal ﬁle \u212a-5', '\ud800', '\udc00', 'x\ud800', '\ud800\udc00', 'a\ud8005', '5\ud800',
  'A'.repeat(5000), `${'1.'.repeat(3000)}1`, `${'9'.repeat(4095)} 12`, `${'x '.repeat(2047)}é𝔘`, `${'ab '.repeat(2047)}\ud835\udd18`,
  Array.from({ length: 200 }, (_, i) => `w${i}x`).join(' '), Array.from({ length: 100 }, (_, i) => `${i}`).join(' '),
  Array.from({ length: 80 }, (_, i) => `a${i}-${i}.${i}`).join(' '), Array.from({ length: 70 }, () => 'x<NUM>y').join(''),
  'User user082 gained root via sudo on ep-03 (session 3b0e5e93, pid 6574) | panic corrupt corrupt denied',
  'Service check 3d6ba4 on 10.0.4.11:3306 slow: 49 ms at load 19% | checksum heartbeat timeout heartbeat',
  'AV quarantined C:/Windows/Temp/svch0st.exe for user042: signature Win32.Emotet.ac72 | checksum exploit',
];

/** Mask-relevant ASCII units that stand in for the units beyond ASCII in {@link asciiHostileText}. */
const ASCII_STAND_INS = [...'0123456789abcdefXZT.-+:,%_<> \t'];

/** A {@link hostileText} with each unit beyond ASCII replaced by an ASCII one (texts the encoder reads from their bytes). */
export function asciiHostileText(u: () => number): string {
  let out = '';
  for (const ch of hostileText(u)) out += ch.charCodeAt(0) < 128 && ch.length === 1 ? ch : pick(u, ASCII_STAND_INS);
  return out;
}
