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
