/**
 * The documented results of the whole-ruleset analysis on the corpus (docs/diagnostics.md
 * and docs/design-matching.md quote them). Expected counts come from reading the files:
 * the comments say how each was obtained.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  RulesFileText,
  RulesetOptions,
  checkRuleset,
} from '../../../server/src/rules/ruleset';
import type { RuleDiagnostic } from '../../../server/src/rules/diagnostics';

const corpus = join(__dirname, '..', '..', '..', '..', '..', 'shared', 'corpus', 'rules');

function folder(name: string): RulesFileText[] {
  const dir = join(corpus, name);
  return readdirSync(dir).map((file) => ({
    file: join(dir, file), text: readFileSync(join(dir, file), 'utf8'),
  }));
}

function byCode(diagnostics: RuleDiagnostic[], code: string): RuleDiagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}

function at(d: RuleDiagnostic): string {
  return `${basename(d.file ?? '')}:${d.range.start.line + 1}`;
}

function relatedAt(d: RuleDiagnostic): string {
  const r = d.related![0];
  return `${basename(r.file ?? '')}:${r.range.start.line + 1}`;
}

function analyse(name: string, options: RulesetOptions = {}) {
  return checkRuleset(folder(name), options);
}

test('audit-userspace 4.2 rules/ as one rules.d folder', (t) => {
  if (!existsSync(corpus)) {
    t.skip('../shared/corpus is not beside the repository');
    return;
  }
  const result = analyse('audit-userspace-4.2');
  const found = result.diagnostics;

  // The ospp, pci-dss and stig files all carry the pkexec and systemd-run rules with key
  // maybe-escalation: the later copies get "Rule exists".
  assert.deepEqual(byCode(found, 'duplicate-rule').map(at), [
    '30-pci-dss-v31.rules:30', '30-pci-dss-v31.rules:31', '30-pci-dss-v31.rules:33',
    '30-pci-dss-v31.rules:34', '30-stig.rules:154', '30-stig.rules:155', '30-stig.rules:157',
    '30-stig.rules:158',
  ]);
  assert.deepEqual(byCode(found, 'duplicate-rule').map(relatedAt), [
    '30-ospp-v42.rules:91', '30-ospp-v42.rules:92', '30-ospp-v42.rules:94',
    '30-ospp-v42.rules:95', '30-ospp-v42.rules:91', '30-ospp-v42.rules:92',
    '30-ospp-v42.rules:94', '30-ospp-v42.rules:95',
  ]);

  // 12-cont-fail.rules (-c) comes before any duplicate: the load goes on.
  assert.deepEqual(byCode(found, 'load-stops'), []);
  assert.deepEqual(byCode(found, 'error-mode-changed').map(at), ['12-ignore-error.rules:7']);

  // 10-base-config.rules and 10-no-audit.rules both start with -D: augenrules keeps one.
  assert.deepEqual(byCode(found, 'control-line-dropped').map(at), ['10-base-config.rules:5']);

  // 10-no-audit.rules: `-a task,never` turns syscall auditing off for new tasks.
  assert.deepEqual(byCode(found, 'task-never-all').map(at), ['10-no-audit.rules:12']);

  // 21-no32bit.rules catches every b32 event first (key 32bit-abi): the b32 chrony never
  // rule is pre-empted, and each of the 125 loaded b32 always rules (129 minus 4 copies
  // refused as duplicates) never records its key.
  assert.deepEqual(byCode(found, 'never-after-always').map(at), ['22-ignore-chrony.rules:3']);
  const shadowed = byCode(found, 'shadowed-rule');
  assert.equal(shadowed.filter((d) => relatedAt(d) === '21-no32bit.rules:5').length, 125);

  // 42-injection.rules: the b64 `-S ptrace -F key=tracing` rule comes first, so the b64
  // code-, data- and register-injection keys are never recorded.
  assert.deepEqual(shadowed.filter((d) => relatedAt(d) === '42-injection.rules:6').map(at),
    ['42-injection.rules:8', '42-injection.rules:10', '42-injection.rules:12']);
  assert.equal(shadowed.length, 142);

  assert.equal(result.loadedRules.length, 261);
});

test('neo23x0 audit.rules loaded as one file', (t) => {
  if (!existsSync(corpus)) {
    t.skip('../shared/corpus is not beside the repository');
    return;
  }
  const found = analyse('neo23x0', { mode: 'file' }).diagnostics;

  // Lines 103-104: `-a never,exit ... -F path=/opt/filebeat -F perm=wa` names the object,
  // not filebeat's own activity.
  assert.deepEqual(byCode(found, 'path-not-caller').map(at),
    ['audit.rules:103', 'audit.rules:104']);

  // Line 271 watches the /etc/systemd/ tree: the generator folders below it (lines 275 and
  // 279) are matched by it first, so their key systemd_generator is never recorded.
  assert.deepEqual(byCode(found, 'shadowed-rule').map(at), ['audit.rules:275', 'audit.rules:279']);
  assert.deepEqual(byCode(found, 'shadowed-rule').map(relatedAt),
    ['audit.rules:271', 'audit.rules:271']);

  // -i on line 44 comes before every rule: the bad lines (487, 488, 718, 719) do not stop
  // the load, and nothing else in the load is refused.
  for (const code of ['load-stops', 'duplicate-rule', 'never-after-always', 'error-mode-late',
    'delete-all-not-first', 'exclude-drops-everything']) {
    assert.deepEqual(byCode(found, code), [], code);
  }
});

test('audit-userspace 3.0.9 (Debian\'s examples) as one rules.d folder, target 3.0.9', (t) => {
  if (!existsSync(corpus)) {
    t.skip('../shared/corpus is not beside the repository');
    return;
  }
  const found = analyse('audit-userspace-3.0.9', { auditVersion: '3.0.9' }).diagnostics;

  // 30-nispom.rules and 30-stig.rules share twelve rules (same keys): stig's copies fail.
  const duplicates = byCode(found, 'duplicate-rule');
  assert.equal(duplicates.length, 12);
  assert.ok(duplicates.every((d) => basename(d.file!) === '30-stig.rules'));
  assert.ok(duplicates.every((d) => relatedAt(d).startsWith('30-nispom.rules:')));
  assert.deepEqual(byCode(found, 'never-after-always').map(at), ['22-ignore-chrony.rules:3']);
});

test('go-libaudit testdata as one folder: the first file fails and stops the load', (t) => {
  if (!existsSync(corpus)) {
    t.skip('../shared/corpus is not beside the repository');
    return;
  }
  const found = analyse('go-libaudit').diagnostics;
  // 01-file-watch-spaces.rules quotes a watch path ("/folder with space"): auditctl rejects
  // line 1, and with no -c or -i nothing after it loads.
  const stops = byCode(found, 'load-stops');
  assert.deepEqual(stops.map(at), ['01-file-watch-spaces.rules:1']);
  assert.match(stops[0].message, /nothing after it is loaded: 117 more lines/);
});
