import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MASK_MATCHES, MASK_TOKENS, maskTemplate, needsRegex, scanMasks } from '../../src/dedup/template-mask';
import { referenceMaskTemplate } from './template-mask-reference';
import { HOSTILE_CASES, hostileText, seeded } from '../features/hostile-text';

// maskTemplate masks tokens without `:`, `/`, `\` or `@` by a scanner (scanMasks), not the regex: it
// must give exactly the old regex's templates (test/dedup/template-mask-reference.ts, main 00b5d93).

test('maskTemplate equals the regex reference on hostile cases', () => {
  for (const t of HOSTILE_CASES) assert.equal(maskTemplate(t), referenceMaskTemplate(t), JSON.stringify(t.slice(0, 200)));
});

test('maskTemplate equals the regex reference on 12,000 random texts (numbers, ids, IPs, Unicode)', () => {
  const u = seeded(20261201);
  for (let k = 0; k < 12_000; k++) {
    const t = hostileText(u);
    assert.equal(maskTemplate(t), referenceMaskTemplate(t), JSON.stringify(t));
  }
});

test('scanMasks: every token of up to 4 characters from the units its kinds look at masks as the regex does', () => {
  // exhaustive over a small alphabet of the characters the scanner's kinds look at
  const alphabet = ['0', '1', '2', '5', 'a', 'F', 'x', 'e', 'T', 'Z', '.', ',', '-', '+', ':', 'g', '%', 'µ', '_'];
  let n = 0;
  const walk = (prefix: string): void => {
    if (prefix.length > 0) {
      assert.equal(maskTemplate(prefix), referenceMaskTemplate(prefix), prefix);
      n++;
    }
    if (prefix.length < 4) for (const c of alphabet) walk(prefix + c);
  };
  walk('');
  assert.ok(n > 130_000);
  // scanMasks reports the matches it found: "a-5" → one NUM at 2..3
  assert.equal(scanMasks('a-5', 0, 3), 1);
  assert.deepEqual([...MASK_MATCHES.subarray(0, 3)], [2, 3, MASK_TOKENS.indexOf('<NUM>')]);
});

test('needsRegex: only tokens where a URL, e-mail, path or IPv6 address may start go to the regex', () => {
  const needs = (t: string): boolean => needsRegex(t, 0, t.length, 1 | 2 | 4 | 8); // digit, -, :, . (a /, \ or @ always needs it)
  for (const t of ['fe80::1', '::1', 'a::', '1:2:3:4:5:6:7:8', '(ab:cd', 'x;12:3']) assert.equal(needs(t), true, t);
  for (const t of ['10.0.4.11:3306', 'user042:', 'iot-01:', 'slow:', 'std::vector', '12345:6', 'T12:30']) assert.equal(needs(t), false, t);
});

test('scanMasks: near-miss UUIDs, MACs, hex ids and timestamps (the scanners are skipped where their next unit is missing) mask as the regex does', () => {
  // Hex runs of 5–9 units with a `-` or `:` put at every position from 1 to 9, and 0x forms: the
  // scanner calls uuidAt only with a `-` at p + 8, macAt with `:`/`-` at p + 2, hexAt on 7+ units or
  // a leading 0, timestampAt and ipv4At on a digit.
  const u = seeded(13);
  const H = '0123456789abcdefABCDEF';
  const hex = (n: number): string => Array.from({ length: n }, () => H[(u() * H.length) | 0]).join('');
  let n = 0;
  for (let len = 1; len <= 14; len++) {
    for (let at = 0; at <= len; at++) {
      for (const sep of ['-', ':', '.', 'x', 'T', ',']) {
        for (let r = 0; r < 6; r++) {
          const base = hex(len);
          const t = base.slice(0, at) + sep + base.slice(at) + (r % 2 === 0 ? '' : `${sep}${hex(2)}`);
          for (const w of [t, `0${t}`, `(${t})`, `${t}%`]) {
            assert.equal(maskTemplate(w), referenceMaskTemplate(w), w);
            n++;
          }
        }
      }
    }
  }
  assert.ok(n > 10_000);
  // and the shapes themselves: a UUID, MACs both ways, an 0x id, a 7-unit id, times
  for (const t of ['123e4567-e89b-12d3-a456-426614174000', '00:1a:2b:3c:4d:5e', '00-1A-2B-3C-4D-5E', '0xff', '0x1', 'a1b2c3d', '12:30', '2026-12-01T18:05:19Z', '1:2']) {
    assert.equal(maskTemplate(t), referenceMaskTemplate(t), t);
  }
});

test('scanMasks reads units beyond 255 as none of the units its kinds look at (not by their low byte)', () => {
  // The scanners read a token's units from a byte array, units above 255 as 255: U+0130 (low byte
  // '0'), U+0135 ('5'), U+01B0 ('°'), U+01B5 ('µ'), U+0165 ('e'), U+012D ('-'), U+013A (':'), U+012E ('.')
  const wide = ['\u0130', '\u0135', '\u01b0', '\u01b5', '\u0165', '\u012d', '\u013a', '\u012e', '\u0178'];
  for (const w of wide) {
    for (const t of [`5${w}`, `${w}5`, `1${w}2`, `12${w}30`, `0x1f${w}`, `abcdef1${w}`, `2024-01${w}05`, `10.0${w}0.7`, `5e${w}3`, `9.5${w}`, `00:1a${w}2b:3c:4d:5e`, `-${w}7`]) {
      assert.equal(maskTemplate(t), referenceMaskTemplate(t), JSON.stringify(t));
    }
  }
  assert.equal(maskTemplate('5\u01b0'), '<NUM>\u01b0'); // not "5°" (a number with a unit)
});
