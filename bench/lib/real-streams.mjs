// The streams of the quality comparison (bench/quality.mjs, scripts/auto-quality-sweep.mjs,
// scripts/auto-choice-replay.mjs). The two real ones:
// NOAA's Nebraska weather (the CSV for onthefly, the same rows as JSONL with the CSV's strings for
// scikit-learn) and the paper's 1k-event file (its JSON array, and as JSONL for the peer).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Stream entries {name, file, peerFile, schema, dedup}; peer files are written into dir. */
export function realStreams(root, dir) {
  const csv = readFileSync(join(root, 'data/ne-weather.csv'), 'utf8').trim().split(/\r?\n/);
  const head = csv[0].split(',');
  const weather = join(dir, 'ne-weather.jsonl');
  writeFileSync(weather, csv.slice(1).map((l) => JSON.stringify(Object.fromEntries(l.split(',').map((v, i) => [head[i], v])))).join('\n') + '\n');
  const seed = join(dir, 'seed-streams.jsonl');
  writeFileSync(seed, JSON.parse(readFileSync(join(root, 'data/seed-streams_1k.json'), 'utf8')).map((r) => JSON.stringify(r)).join('\n') + '\n');
  return [
    { name: 'ne-weather', file: join(root, 'data/ne-weather.csv'), peerFile: weather, schema: JSON.parse(readFileSync(join(root, 'schemas/ne-weather.json'), 'utf8')), dedup: false },
    { name: 'seed-streams 1k', file: join(root, 'data/seed-streams_1k.json'), peerFile: seed, schema: JSON.parse(readFileSync(join(root, 'schemas/seed-streams.json'), 'utf8')), dedup: true },
  ];
}

/**
 * The whole suite as `onthefly run` arguments: every incident scenario, every --synth stream with and
 * without drift at 0.5, then the real streams. lib: { SCENARIO_NAMES, SYNTH_NAMES, synthSchema } from dist.
 */
export function suiteStreams(root, dir, lib) {
  const streams = [];
  const generatorSchema = JSON.parse(readFileSync(join(root, 'schemas/generator.json'), 'utf8'));
  for (const s of lib.SCENARIO_NAMES) streams.push({ name: `scenario ${s}`, args: ['--scenario', s], schema: generatorSchema, dedup: true });
  for (const s of lib.SYNTH_NAMES) for (const drift of [false, true]) {
    streams.push({ name: `synth ${s}${drift ? ' drift@0.5' : ''}`, args: ['--synth', s, ...(drift ? ['--drift-at', '0.5'] : [])], schema: lib.synthSchema({ name: s }), dedup: false });
  }
  streams.push(...realStreams(root, dir));
  return streams;
}
