// Runs every compiled test file under out/test with node's own test runner.
// Node 20 cannot take a glob, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.js')) found.push(path);
  }
  return found;
}

const filter = process.argv[2];
const files = findTests('out/test').filter((f) => !filter || f.includes(filter));
if (files.length === 0) {
  console.error('no test files found under out/test; run npm run compile-tests first');
  process.exit(2);
}

const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
