// The whole-ruleset analysis on a 10,000-rule rules.d folder, against the per-file check of
// the same rules measured in the same run (the analysis includes that check); and the
// rule-matching model's throughput: events decided per second by firstMatch over the
// upstream 4.2 rules.d.
import { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { checkRuleset } = require('../out/server/src/rules/ruleset.js');
const { checkRulesText } = require('../out/server/src/rules/check.js');
const { firstMatch } = require('../out/server/src/rules/match.js');

const syscalls = ['openat', 'unlinkat', 'renameat', 'chmod', 'chown', 'ptrace', 'execve',
  'connect', 'bind', 'mount', 'setuid', 'setgid', 'kill', 'truncate', 'mkdir', 'rmdir'];

function generatedFolder(fileCount, rulesPerFile) {
  const files = [];
  let n = 0;
  for (let f = 0; f < fileCount; f++) {
    const lines = [];
    for (let r = 0; r < rulesPerFile; r++, n++) {
      const syscall = syscalls[n % syscalls.length];
      switch (n % 4) {
        case 0:
          lines.push(`-a always,exit -F arch=b64 -S ${syscall} -F uid=${n} -k uid${n}`);
          break;
        case 1:
          lines.push(`-w /etc/app${n}/conf -p wa -k watch${n}`);
          break;
        case 2:
          lines.push(`-a always,exit -F arch=b64 -S ${syscall} -F auid>=${1000 + n} -k auid${n}`);
          break;
        default:
          lines.push(`-a never,exit -F arch=b64 -S ${syscall} -F exe=/usr/bin/tool${n}`);
      }
    }
    files.push({ file: `${String(10 + f).padStart(2, '0')}-generated.rules`,
      text: `${lines.join('\n')}\n` });
  }
  return files;
}

function best(runs, work) {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    work();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return fastest;
}

const folder = generatedFolder(20, 500);
const joined = folder.map((f) => f.text).join('');

const perFileMs = best(5, () => checkRulesText(joined));
let result;
const rulesetMs = best(5, () => {
  result = checkRuleset(folder);
});
console.log(`rules: ${result.loadedRules.length} loaded, ${result.diagnostics.length} diagnostics`);
console.log(`per-file check of the 10,000 rules as one text: ${perFileMs.toFixed(1)} ms`);
console.log(`whole-ruleset analysis (per-file checks + load + matching order): `
  + `${rulesetMs.toFixed(1)} ms, ${(rulesetMs / perFileMs).toFixed(2)}x the per-file check`);

const upstream = join(import.meta.dirname, '..', '..', 'shared', 'corpus', 'rules',
  'audit-userspace-4.2');
if (existsSync(upstream)) {
  const files = readdirSync(upstream).map((name) => ({
    file: name, text: readFileSync(join(upstream, name), 'utf8'),
  }));
  const rules = checkRuleset(files).loadedRules;
  const events = [];
  for (let i = 0; i < 20000; i++) {
    events.push({
      list: 'exit', machine: i % 5 === 0 ? 'i386' : 'x86_64', syscall: [257, 2, 87, 59, 101][i % 5],
      success: i % 3 !== 0, exit: i % 3 === 0 ? -13 : 3, a0: 0, a1: i % 4, a2: i % 4, a3: 0,
      uid: 1000, euid: 1000, auid: 1000 + (i % 2), gid: 1000, pid: i, exe: '/usr/bin/cat',
      items: [{ name: i % 7 === 0 ? '/etc/passwd' : '/tmp/x' }],
    });
  }
  let decided = 0;
  const matchMs = best(3, () => {
    decided = 0;
    for (const event of events) if (firstMatch(rules, event).rule) decided++;
  });
  console.log(`firstMatch over ${rules.length} upstream 4.2 rules: `
    + `${Math.round(events.length / (matchMs / 1000)).toLocaleString('en')} events/s `
    + `(${decided} of ${events.length} decided by a rule)`);
} else {
  console.log('firstMatch throughput skipped: ../shared/corpus is not beside the repository');
}
