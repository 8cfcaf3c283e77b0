import { test } from 'node:test';
import assert from 'node:assert/strict';
import { show } from '../../src/show/show';
import type { MimeBundle } from '../../src/show/display';

type Sent = { bundle: MimeBundle; id: string | undefined; update: boolean };
function capture(): Sent[] {
  const sent: Sent[] = [];
  show.setSink((bundle, id, update) => sent.push({ bundle, id, update }));
  return sent;
}
const html = (s: Sent) => String(s.bundle['text/html']);
const text = (s: Sent) => String(s.bundle['text/plain']);

test('one display updated in place: bar, count, share, elapsed time, note; throttled; done always shown', async () => {
  const sent = capture();
  let t = 0;
  try {
    const p = show.progress({ title: 'training', total: 20_000, unit: 'events', minIntervalMs: 1000, now: () => t });
    await p.update(1000, 'F1 0.5');   // shown: the first
    t = 500;
    await p.update(2000, 'F1 0.6');   // too soon: not shown
    t = 1200;
    await p.update(10_000);           // shown, with the last note
    p.done('F1 0.7', 20_000);
    assert.equal(sent.length, 3);
    assert.deepEqual(sent.map((s) => s.update), [false, true, true]);
    assert.ok(sent[0]!.id && sent.every((s) => s.id === sent[0]!.id), 'one display id');
    assert.equal(text(sent[0]!), 'training… [#...................] 1,000 / 20,000 events (5 %) · 0.0 s · F1 0.5');
    assert.equal(text(sent[1]!), 'training… [##########..........] 10,000 / 20,000 events (50 %) · 1.2 s · F1 0.6');
    assert.equal(text(sent[2]!), 'training — done [####################] 20,000 / 20,000 events (100 %) · 1.2 s · F1 0.7');
    assert.match(html(sent[1]!), /<progress max="1" value="0.5"/);
    assert.match(html(sent[2]!), /data-state="done"/);
    const other = show.progress();
    other.done();
    assert.notEqual(sent[3]!.id, sent[0]!.id, 'each progress is its own display');
    assert.equal(text(sent[3]!), 'progress — done 0 · 0.0 s');
  } finally {
    show.setSink(undefined);
  }
});

test('untrusted notes and titles are escaped in the HTML; without a total there is no bar', async () => {
  const sent = capture();
  try {
    const p = show.progress({ title: '<b>t</b>', minIntervalMs: 0 });
    await p.note('<img src=x onerror=alert(1)>');
    assert.ok(!html(sent[0]!).includes('<img') && !html(sent[0]!).includes('<b>t'));
    assert.ok(html(sent[0]!).includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(!html(sent[0]!).includes('<progress'));
  } finally {
    show.setSink(undefined);
  }
});

test('outside a kernel nothing is shown and nothing throws', async () => {
  show.setSink(undefined);
  const p = show.progress({ total: 10 });
  await p.update(5);
  p.done();
});
