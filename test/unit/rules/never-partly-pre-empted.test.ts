/**
 * A never rule after an always rule that certainly matches part of its events: the noise
 * report's rules appended below the recording rules. Reported only when the overlap is
 * certain, so uncertain cases (PATH items, `-C`, an earlier never rule) stay quiet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MoveRuleData } from '../../../server/src/rules/ruleset';
import { checkRuleset } from '../../../server/src/rules/ruleset';
import type { RuleDiagnostic } from '../../../server/src/rules/diagnostics';
import { certainlyOverlap, eventSetOf } from '../../../server/src/rules/match';

const network = '-a always,exit -F arch=b64 -S connect,bind,sendto,sendmsg,sendmmsg ' +
  '-F saddr_fam=2 -k net_ipv4';
const named = '-a never,exit -F arch=b64 -S bind,sendmmsg -F exe=/usr/sbin/named';

function partly(text: string): RuleDiagnostic[] {
  return checkRuleset([{ file: 'audit.rules', text }], { mode: 'file' }).diagnostics
    .filter((d) => d.code === 'never-partly-pre-empted');
}

test('a never rule below an always rule that takes its saddr_fam=2 events is reported', () => {
  const found = partly(`${network}\n${named}\n`);
  assert.equal(found.length, 1);
  assert.equal(found[0].range.start.line, 1);
  assert.equal(found[0].severity, 'warning');
  assert.match(found[0].message, /always rule at audit\.rules:1/);
  assert.match(found[0].message, /saddr_fam=2/);
  assert.equal(found[0].related?.[0].range.start.line, 0);

  // The fix moves the never rule above the always rule.
  const edits = (found[0].data as MoveRuleData).fixes[0].edits;
  assert.equal(edits[0].newText, `${named}\n`);
  assert.equal(edits[0].range.start.line, 0);
  assert.equal(edits[1].range.start.line, 1);
  assert.equal(edits[1].newText, '');
});

test('the same never rule above the always rule is not reported', () => {
  assert.deepEqual(partly(`${named}\n${network}\n`), []);
});

test('a mask that only shares some syscalls is named in the message', () => {
  const found = partly('-a always,exit -F arch=b64 -S bind -k b\n' + `${named}\n`);
  assert.equal(found.length, 1);
  assert.match(found[0].message, /\(its bind events\)/);
  const both = partly('-a always,exit -F arch=b64 -S bind -F uid=0 -k b\n' + `${named}\n`);
  assert.match(both[0].message, /\(its bind events with uid=0\)/);
});

test('full cover stays never-after-always, not a partial one', () => {
  const all = checkRuleset([{
    file: 'audit.rules', text: `-a always,exit -F arch=b64 -S bind,sendmmsg -k b\n${named}\n`,
  }], { mode: 'file' }).diagnostics.map((d) => d.code);
  assert.ok(all.includes('never-after-always'));
  assert.ok(!all.includes('never-partly-pre-empted'));
});

test('uncertain overlaps are not reported', () => {
  // A PATH-item condition: whether a bind event has such an item is not known.
  assert.deepEqual(partly(
    '-a always,exit -F arch=b64 -S bind -F path=/run/x.sock -k s\n' + `${named}\n`), []);
  // Disjoint arches, syscalls or exe values: no shared event at all.
  assert.deepEqual(partly('-a always,exit -F arch=b32 -S bind -k b\n' + `${named}\n`), []);
  assert.deepEqual(partly('-a always,exit -F arch=b64 -S connect -k c\n' + `${named}\n`), []);
  assert.deepEqual(partly(
    '-a always,exit -F arch=b64 -S bind -F exe=/usr/bin/dig -k d\n' + `${named}\n`), []);
  // exit and success describe one return value: success=0 vs exit=0 never meet.
  assert.deepEqual(partly('-a always,exit -F arch=b64 -S bind -F success=0 -k f\n' +
    '-a never,exit -F arch=b64 -S bind -F exit=0\n'), []);
  // `-C uid=euid` ties uid to euid: uid=0 with euid=1000 may match nothing.
  assert.deepEqual(partly('-a always,exit -F arch=b64 -S bind -F uid=0 -k u\n' +
    '-a never,exit -F arch=b64 -S bind -C uid=euid -F euid=1000\n'), []);
});

test('an earlier never rule that may take the events keeps the report away', () => {
  const text = '-a never,exit -F arch=b64 -S bind -F uid=53\n' +
    `${network}\n${named}\n`;
  assert.deepEqual(partly(text), []);
});

test('certainlyOverlap is true only with a shared event', () => {
  const set = (line: string) => {
    const [rule] = checkRuleset([{ file: 'a.rules', text: `${line}\n` }]).loadedRules;
    assert.ok(rule, line);
    return eventSetOf(rule);
  };
  assert.equal(certainlyOverlap(set(network), set(named)), true);
  assert.equal(certainlyOverlap(set('-a always,exit -F arch=b64 -S bind -F auid>=1000'),
    set('-a never,exit -F arch=b64 -S bind -F auid=0')), false);
  assert.equal(certainlyOverlap(set('-a always,exit -F arch=b64 -S bind -F auid>=1000'),
    set('-a never,exit -F arch=b64 -S bind -F auid=1001')), true);
});
