// The two real streams of the quality comparison (bench/quality.mjs, scripts/auto-quality-sweep.mjs):
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
