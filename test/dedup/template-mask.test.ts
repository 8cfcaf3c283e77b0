import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskTemplate, MAX_TEMPLATE_INPUT } from '../../src/dedup/template-mask';

const CASES: Array<[string, string, string]> = [
  // [what, input, template]
  ['IPv4', 'blocked 10.0.0.7 and 192.168.1.254', 'blocked <IP> and <IP>'],
  ['IPv4 with port and CIDR', 'conn 10.1.2.3:8080 net 10.0.0.0/8', 'conn <IP>:<NUM> net <IP>/<NUM>'],
  ['IPv4 at sentence end', 'from 172.16.0.1.', 'from <IP>.'],
  ['IPv6 full', 'src 2001:0db8:85a3:0000:0000:8a2e:0370:7334 ok', 'src <IP> ok'],
  ['IPv6 compressed', 'src 2001:db8::1 dst fe80::1ff:fe23:4567:890a', 'src <IP> dst <IP>'],
  ['IPv6 loopback, zone, mapped v4', 'lo ::1 if fe80::1%eth0 map ::ffff:10.0.0.1', 'lo <IP> if <IP> map <IP>'],
  ['UUID', 'req 550e8400-e29b-41d4-a716-446655440000 done', 'req <UUID> done'],
  ['UUID upper case', 'req 550E8400-E29B-41D4-A716-446655440000', 'req <UUID>'],
  ['hex 0x', 'fault at 0x7ffd1234 code 0XDEAD', 'fault at <HEX> code <HEX>'],
  ['long hex id', 'commit 9f86d081884c7d65 session a3f9c2e1b7d4', 'commit <HEX> session <HEX>'],
  ['short git sha (7 hex digits), not 6', 'rev 6da86c1 color ff0a00', 'rev <HEX> color ff0a00'],
  ['integers and signs', 'retry 3 of 10, delta -5 and +7', 'retry <NUM> of <NUM>, delta <NUM> and <NUM>'],
  ['decimals and exponents', 'load 0.93 p=1e-5 x 3.2E4', 'load <NUM> p=<NUM> x <NUM>'],
  ['numbers with units', 'mem 512MB after 30s at 45% temp 71.5°C lat 200ms', 'mem <NUM> after <NUM> at <NUM> temp <NUM> lat <NUM>'],
  ['ranges', 'ports 3-5', 'ports <NUM>-<NUM>'],
  ['unix paths', 'disk /var/log/syslog.1 and ~/x/y and ./run.sh and ../a/b', 'disk <PATH> and <PATH> and <PATH> and <PATH>'],
  ['windows path', 'load C:\\Windows\\System32\\x.dll failed', 'load <PATH> failed'],
  ['email', 'mail to alice.smith+ops@example.co.uk now', 'mail to <EMAIL> now'],
  ['URL', 'GET https://api.example.com/v1/items?id=42 returned', 'GET <URL> returned'],
  ['URL at sentence end', 'see http://x.org/a.', 'see <URL>.'],
  ['timestamps', 'at 2024-01-05T12:00:00.123Z and 2024-01-05 12:00 and 09:15:30', 'at <TS> and <TS> <TS> and <TS>'],
  ['MAC', 'nic 00:1a:2b:3c:4d:5e and 00-1A-2B-3C-4D-5E', 'nic <MAC> and <MAC>'],
  ['white space collapsed', '  a \t b\n\nc  ', 'a b c'],
];

for (const [what, input, expected] of CASES) {
  test(`mask: ${what}`, () => {
    assert.equal(maskTemplate(input), expected);
  });
}

test('mask: identifiers glued to letters are kept (Drain3-style boundaries)', () => {
  assert.equal(maskTemplate('user17 on srv-03 v1.2 sda1 ipv4 md5'), 'user17 on srv-<NUM> v1.2 sda1 ipv4 md5');
  assert.equal(maskTemplate('worker_12 pid=4711'), 'worker_<NUM> pid=<NUM>'); // '_', '-', '=' delimit like spaces
  assert.equal(maskTemplate('and/or I/O std::vector 10/s'), 'and/or I/O std::vector <NUM>/s');
  assert.equal(maskTemplate('deadbeef is a word here'), 'deadbeef is a word here'); // hex needs a digit
  assert.equal(maskTemplate('12345678'), '<NUM>'); // all digits: a number
});

test('mask: messages differing only in variable tokens share one template', () => {
  const a = maskTemplate('Failed password for user7 from 10.0.0.12 port 52114 ssh2');
  const b = maskTemplate('Failed password for user7 from 192.168.3.4 port 40022 ssh2');
  const c = maskTemplate('Accepted password for user7 from 10.0.0.12 port 52114 ssh2');
  assert.equal(a, b);
  assert.notEqual(a, c);
  assert.equal(a, 'Failed password for user7 from <IP> port <NUM> ssh2');
});

test('mask: idempotent, plain text unchanged, long input cut', () => {
  for (const [, input] of CASES) {
    const t = maskTemplate(input);
    assert.equal(maskTemplate(t), t);
  }
  assert.equal(maskTemplate('plain words only'), 'plain words only');
  assert.equal(maskTemplate(''), '');
  const long = 'x '.repeat(10_000);
  assert.ok(maskTemplate(long).length <= MAX_TEMPLATE_INPUT);
});
