// `npm run bench`: runs every benchmark file in turn, each in its own process so that
// peak-memory figures are per benchmark. Benchmarks print their own figures and ratios.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir, suffix) {
  if (!existsSync(dir)) return [];
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...find(path, suffix));
    else if (name.endsWith(suffix)) found.push(path);
  }
  return found;
}

const only = process.argv[2];
const files = [...find('bench', '.bench.mjs'), ...find('out/bench', '.bench.js')]
  .filter((file) => !only || file.includes(only));

let failed = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  const result = spawnSync(process.execPath, ['--expose-gc', file], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
if (files.length === 0) console.log('no benchmarks found');
process.exit(failed === 0 ? 0 : 1);
