// The editor's share of the whole-ruleset analysis, without a server: match counts of an
// analysed log (samples/audit.log), their lens titles, and the rule summary on hover.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeLogs } from '../../../server/src/log/analyze';
import type { NoiseReport } from '../../../server/src/log/report';
import { hoverAt } from '../../../server/src/rules/hover';
import { checkRulesText } from '../../../server/src/rules/check';
import { matchCounts } from '../../../server/src/rules/match';
import { analyseRequest } from '../../../server/src/lsp/analysis';
import { lensTitle, ruleCodeLenses } from '../../../server/src/lsp/codeLens';
import type { ServerLogger } from '../../../server/src/lsp/logger';
import { logSamples } from '../../../server/src/lsp/logSamples';
import {
  AnalysedLogs,
  RuleLogCount,
  withRuleSummary,
} from '../../../server/src/lsp/rulesetAnalysis';
import { defaultSettings } from '../../../server/src/lsp/settings';

const repoRoot = join(__dirname, '..', '..', '..', '..');
const sampleLog = join(repoRoot, 'samples', 'audit.log');
const corpusRules = join(repoRoot, '..', 'shared', 'corpus', 'rules');

const quiet = { error() {}, warn() {}, info() {}, debug() {} } as unknown as ServerLogger;

const extraRules = [
  '-a always,exit -F arch=b64 -S sendmmsg -k net',
  '-a always,exit -F arch=b64 -S execve -F auid>=1000 -F auid!=unset -k exec',
  '-a never,exit -F arch=b64 -S connect -F exe=/usr/bin/dig',
  '-a always,exclude -F msgtype=CWD',
  '-a never,exclude -F msgtype=PROCTITLE',
  '-a always,user -F msgtype=DAEMON_START',
].join('\n');

describe('match counts of samples/audit.log', () => {
  let report: NoiseReport;
  let logs: AnalysedLogs;

  before(async () => {
    report = await analyzeLogs([sampleLog], { workers: 0 });
    logs = new AnalysedLogs(quiet);
    assert.equal(await logs.load([sampleLog]), true);
  });

  test('counted per projection, they equal matchCounts over every bucket', () => {
    const texts = [extraRules];
    for (const name of readdirSync(join(repoRoot, 'samples', 'rules.d')).sort()) {
      texts.push(readFileSync(join(repoRoot, 'samples', 'rules.d', name), 'utf8'));
    }
    for (const folder of ['neo23x0', 'audit-userspace-4.2']) {
      for (const name of readdirSync(join(corpusRules, folder)).sort()) {
        if (!name.endsWith('.rules')) continue;
        texts.push(readFileSync(join(corpusRules, folder, name), 'utf8'));
      }
    }
    let compared = 0;
    let matching = 0;
    let undecided = 0;
    for (const text of texts) {
      const rules = checkRulesText(text, { hostMachine: 'x86_64' }).rules
        .filter((rule) => rule.operation !== 'delete');
      const expected = matchCounts(rules, logSamples(report));
      const counts = logs.countsFor(rules)!;
      for (const rule of rules) {
        const want = expected.get(rule)!;
        const got = counts.get(rule)!;
        assert.deepEqual([got.matched, got.undecided], [want.matched, want.unknown],
          `line ${rule.line + 1}: ${text.split('\n')[rule.line]}`);
        compared++;
        if (got.matched > 0) matching++;
        if (got.undecided > 0) undecided++;
      }
    }
    assert.ok(compared > 500, `${compared} rules compared`);
    assert.ok(matching >= 5 && undecided >= 5, `${matching} matching, ${undecided} undecided`);
  });

  test('exclude rules count records: msgtype=CWD matches every CWD record of the log', () => {
    const rules = checkRulesText(extraRules, { hostMachine: 'x86_64' }).rules;
    const counts = logs.countsFor(rules)!;
    const cwd = counts.get(rules[3])!;
    const proctitle = counts.get(rules[4])!;
    const typeCount = (type: string) => report.byType.find((t) => t.type === type)?.records;
    assert.equal(cwd.unit, 'record');
    assert.equal(cwd.total, report.records);
    assert.ok(cwd.matched > 0);
    assert.equal(cwd.matched, typeCount('CWD'));
    assert.equal(proctitle.matched, typeCount('PROCTITLE'));

    // A user message is one record: its type is known, so msgtype= decides.
    const daemonStart = counts.get(rules[5])!;
    assert.equal(daemonStart.undecided, 0);
    assert.equal(daemonStart.matched, report.restarts);
  });

  test('an edit recounts only the rule it changed: the others are the same objects', () => {
    const first = checkRulesText(extraRules, { hostMachine: 'x86_64' }).rules;
    const edited = checkRulesText(`${extraRules}\n-a always,exit -F arch=b64 -S bind`, {
      hostMachine: 'x86_64',
    }).rules;
    const before = logs.countsFor(first)!;
    const after = logs.countsFor(edited)!;
    for (let i = 0; i < first.length; i++) {
      assert.deepEqual(after.get(edited[i]), before.get(first[i]));
    }
    const bind = report.bySyscall.find((s) => s.name === 'bind')?.events;
    assert.equal(after.get(edited[edited.length - 1])!.matched, bind);
  });

  test('lenses: one per rule, counts in words', () => {
    const rules = checkRulesText(extraRules, { hostMachine: 'x86_64' }).rules;
    const lenses = ruleCodeLenses(rules, logs.countsFor(rules)!, [sampleLog]);
    assert.deepEqual(lenses.map((lens) => lens.range.start.line), [0, 1, 2, 3, 4, 5]);
    assert.match(lenses[0].command!.title, /^[\d,]+ events matched \(\d+\.\d%\) in audit\.log$/);
    assert.match(lenses[3].command!.title, /^[\d,]+ records matched/);
  });

  test('a forgotten log leaves no counts', async () => {
    const other = new AnalysedLogs(quiet);
    await other.load([sampleLog]);
    await other.load([]);
    assert.equal(other.countsFor([]), undefined);
  });

  test('a log that cannot be read leaves no counts and no crash', async () => {
    const other = new AnalysedLogs(quiet);
    assert.equal(await other.load([join(repoRoot, 'samples', 'no-such.log')]), true);
    assert.equal(other.log, undefined);
  });
});

test('lens titles: singular, thousands, share, undecided', () => {
  const count = (matched: number, undecided = 0, unit: RuleLogCount['unit'] = 'event') =>
    ({ matched, undecided, total: 4000, unit });
  assert.equal(lensTitle(count(1), ['/var/log/audit/audit.log']),
    '1 event matched (0.0%) in audit.log');
  assert.equal(lensTitle(count(2000, 12), ['a.log', 'b.log']),
    '2,000 events matched (50.0%) in 2 logs · 12 undecided');
  assert.equal(lensTitle(count(0, 0, 'record'), ['audit.log']), '0 records matched in audit.log');
});

describe('the rule summary on hover', () => {
  const text = '-a always,exit -F arch=b64 -S openat -F success=0 -F auid>=1000 -k access\n';
  const analysis = analyseRequest({
    uri: 'untitled:1', version: 1, file: 'untitled:1', text: () => text,
  }, defaultSettings);
  const options = { auditVersion: '4.2' as const, hostMachine: 'x86_64' as const };
  const hover = (character: number, count?: RuleLogCount) => withRuleSummary(
    hoverAt(analysis.document, { line: 0, character }, { ...options, rules: analysis.rules }),
    analysis, { line: 0, character }, () => count,
  );

  test('on the list,action word: the summary above the word\'s own text', () => {
    const result = hover(4);
    assert.ok(result);
    assert.match(result.contents, /^This rule logs every failed openat .*tagged access\.\n/);
    assert.match(result.contents, /\*\*always\*\* \(action\)/);
    assert.deepEqual(result.range.start, { line: 0, character: 3 });
  });

  test('on -a: the summary once, with the counts when a log was analysed', () => {
    const result = hover(1, { matched: 12, undecided: 3, total: 4000, unit: 'event' });
    assert.ok(result);
    assert.equal((result.contents.match(/This rule/g) ?? []).length, 1);
    assert.match(result.contents,
      /Matched 12 events \(0\.3%\) of the last analysed log\. 3 events more could not be/);
  });

  test('other words keep their hover', () => {
    const at = text.indexOf('openat') + 2;
    const plain = hoverAt(analysis.document, { line: 0, character: at }, options);
    assert.deepEqual(hover(at), plain);
  });
});
