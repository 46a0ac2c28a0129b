import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareVersionNames, exclusionBlock, insertionAt, mayOverlap, modelResolver, placeExclusions,
  readRulesFile, rulesDirConflict, type ExclusionToPlace,
} from '../../../client/src/noiseView/rulesPlacement';
import { eventSetOf, type RuleInput } from '../../../server/src/rules/match';
import { checkRulesText } from '../../../server/src/rules/check';
import type { FieldCondition } from '../../../server/src/rules/model';
import type { Range } from '../../../server/src/rules/diagnostics';

const nowhere: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** A rule model as the rules engine resolves it, written out for the cases below. */
function ruleInput(
  action: 'always' | 'never',
  options: { exe?: string; syscalls?: number[]; arch?: 'x86_64' | 'i386' },
): RuleInput {
  const fields: FieldCondition[] = [];
  if (options.exe) {
    fields.push({
      field: 'exe', operator: '=', value: options.exe, raw: options.exe,
      range: nowhere, valueRange: nowhere,
    });
  }
  return {
    list: 'exit',
    action,
    arches: options.arch
      ? [{ machine: options.arch, operator: '=', raw: options.arch, range: nowhere }] : [],
    syscalls: {
      all: !options.syscalls, numbers: options.syscalls ?? [], names: [], written: [],
    },
    fields,
  };
}

const namedExclusion: ExclusionToPlace = {
  text: '-a never,exit -F arch=b64 -S sendto -F exe=/usr/sbin/named -k exclude_named',
  list: 'exit',
  eventSet: eventSetOf(ruleInput('never', {
    exe: '/usr/sbin/named', syscalls: [44], arch: 'x86_64',
  })),
};

const stigLike = [
  '## base',
  '-D',
  '-b 8192',
  '-f 1',
  '',
  '# time changes',
  '-a always,exit -F arch=b64 -S adjtimex -k time-change',
  '',
  '# network',
  '-a always,exit -F arch=b64 -S sendto -k net',
  '-w /etc/passwd -p wa -k identity',
  '-e 2',
  '',
].join('\n');

/** What the resolver of the rules engine would return for the lines of `stigLike`. */
function stigResolver(line: { line: number }): RuleInput | undefined {
  if (line.line === 6) return ruleInput('always', { syscalls: [159], arch: 'x86_64' });
  if (line.line === 9) return ruleInput('always', { syscalls: [44], arch: 'x86_64' });
  return undefined;
}

test('without a rule model: after the configuration lines, before the first always rule', () => {
  const file = readRulesFile(stigLike);
  const placement = placeExclusions(file, [{ text: namedExclusion.text, list: 'exit' }]);
  // Line 5 is the comment of the first always rule: it stays with its rule.
  assert.equal(placement.line, 5);
  assert.equal(placement.preempts?.line, 6);
});

test('with the rule model: before the first always rule that can match the same events', () => {
  const file = readRulesFile(stigLike, stigResolver);
  const placement = placeExclusions(file, [namedExclusion]);
  // adjtimex (159) cannot match a sendto (44) exclusion; the sendto rule at line 9 can.
  assert.equal(placement.preempts?.line, 9);
  assert.equal(placement.line, 8, 'above the "# network" comment of the pre-empted rule');
});

test('a watch is an always,exit rule and is pre-empted conservatively', () => {
  const text = ['-D', '-w /etc/passwd -p wa -k identity', '-e 1'].join('\n');
  const placement = placeExclusions(readRulesFile(text), [namedExclusion]);
  assert.equal(placement.line, 1);
  assert.equal(placement.preempts?.line, 1);
});

test('nothing to pre-empt: at the end of the rules, before -e', () => {
  const text = ['-D', '-a always,exit -F arch=b64 -S adjtimex -k time', '-e 2', ''].join('\n');
  const resolver = (line: { line: number }) => (line.line === 1
    ? ruleInput('always', { syscalls: [159], arch: 'x86_64' }) : undefined);
  const placement = placeExclusions(readRulesFile(text, resolver), [namedExclusion]);
  assert.equal(placement.preempts, undefined);
  assert.equal(placement.line, 2);
});

test('an exclude-list rule goes after the rules, before -e, whatever they are', () => {
  const exclusion: ExclusionToPlace = { text: '-a always,exclude -F msgtype=CWD', list: 'exclude' };
  const placement = placeExclusions(readRulesFile(stigLike), [exclusion]);
  assert.equal(placement.preempts, undefined);
  assert.equal(placement.line, 11);
});

test('an empty file or one with only configuration: after the configuration', () => {
  assert.equal(placeExclusions(readRulesFile(''), [namedExclusion]).line, 0);
  const placement = placeExclusions(readRulesFile('-D\n-b 320\n\n'), [namedExclusion]);
  assert.equal(placement.line, 2);
});

test('a prepended always rule cannot be pre-empted from any line and is reported', () => {
  const text = ['-D', '-a always,exit -S all -k a', '-A always,exit -F arch=b64 -S sendto']
    .join('\n');
  const placement = placeExclusions(readRulesFile(text), [namedExclusion]);
  assert.equal(placement.line, 1);
  assert.deepEqual(placement.unreachable.map((entry) => entry.line), [2]);
});

test('mayOverlap is false only when disjointness is certain', () => {
  const named = namedExclusion.eventSet;
  assert.equal(mayOverlap(named, undefined), true);
  assert.equal(mayOverlap(named, eventSetOf(ruleInput('always', {}))), true);
  const other = eventSetOf(ruleInput('always', { exe: '/usr/bin/other' }));
  assert.equal(mayOverlap(named, other), false);
  assert.equal(mayOverlap(named, eventSetOf(ruleInput('always', { arch: 'i386' }))), false);
  assert.equal(mayOverlap(named, eventSetOf(ruleInput('always', {
    syscalls: [44, 45], arch: 'x86_64',
  }))), true);
  assert.equal(mayOverlap(named, eventSetOf(ruleInput('always', {
    syscalls: [2], arch: 'x86_64',
  }))), false);
});

test('rules.d: an earlier file with a pre-empted rule is a conflict, with a name before it', () => {
  const files = [
    { name: '10-base-config.rules', lines: readRulesFile('-D\n-b 8192\n') },
    {
      name: '30-stig.rules',
      lines: readRulesFile('-a always,exit -F arch=b64 -S sendto -k net\n'),
    },
    { name: '99-finalize.rules', lines: readRulesFile('-e 2\n') },
  ];
  const rules = [{ text: namedExclusion.text, list: 'exit' }];
  const conflict = rulesDirConflict(files, '50-local.rules', rules);
  assert.equal(conflict?.file, '30-stig.rules');
  assert.equal(conflict?.rule.line, 0);
  assert.equal(conflict?.suggestedName, '20-noise-exclusions.rules');
  assert.equal(rulesDirConflict(files, '20-noise.rules', rules), undefined);
  assert.equal(rulesDirConflict(files, '30-stig.rules', rules), undefined,
    'inside the file itself placeExclusions orders the rules');
});

test('version order is the one of ls -v', () => {
  const names = ['30-stig.rules', '9-a.rules', '10-base.rules', '100-x.rules', '10-a.rules'];
  assert.deepEqual([...names].sort(compareVersionNames),
    ['9-a.rules', '10-a.rules', '10-base.rules', '30-stig.rules', '100-x.rules']);
});

test('the comment names the logs and the date, and a newline in a name cannot end it', () => {
  const lines = exclusionBlock(['-a never,exit -S all -F exe=/x'],
    ['audit.log', 'evil\n-e 0.log'], new Date('2026-12-03T10:00:00Z'));
  assert.deepEqual(lines, [
    '## Noise exclusions from audit.log, evil?-e 0.log, 2026-12-03',
    '-a never,exit -S all -F exe=/x',
  ]);
});

test('the insertion keeps a blank line around the block and respects a missing final newline',
  () => {
    const block = ['## Noise exclusions from audit.log, 2026-12-03', '-a never,exit -S all'];
    const apply = (text: string, line: number, eol = '\n') => {
      const { offset, text: inserted } = insertionAt(text, line, block, eol);
      return text.slice(0, offset) + inserted + text.slice(offset);
    };
    assert.equal(apply('-D\n-a always,exit -S all\n', 1),
      '-D\n\n## Noise exclusions from audit.log, 2026-12-03\n-a never,exit -S all\n\n'
        + '-a always,exit -S all\n');
    assert.equal(apply('-D\n\n# c\n-w /etc -p wa\n', 2),
      '-D\n\n## Noise exclusions from audit.log, 2026-12-03\n-a never,exit -S all\n\n'
        + '# c\n-w /etc -p wa\n');
    assert.equal(apply('-D\n-b 320', 2),
      '-D\n-b 320\n\n## Noise exclusions from audit.log, 2026-12-03\n-a never,exit -S all\n');
    assert.equal(apply('', 0), '## Noise exclusions from audit.log, 2026-12-03\n'
      + '-a never,exit -S all\n');
    assert.equal(apply('-D\r\n-e 2\r\n', 1, '\r\n'),
      '-D\r\n\r\n## Noise exclusions from audit.log, 2026-12-03\r\n-a never,exit -S all\r\n'
        + '\r\n-e 2\r\n');
  });

test('with the rules engine\'s own models: the generated never rule goes above the first '
  + 'always rule that catches its events', () => {
  const text = [
    '-D',
    '-b 8192',
    '-a always,exit -F arch=b64 -S adjtimex,settimeofday -k time-change',
    '-a always,exit -F arch=b64 -S execve -F exe=/usr/bin/other -k exec',
    '-a always,exit -F arch=b32 -S socketcall -k net32',
    '-a always,exit -F arch=b64 -S sendto,recvfrom -k net',
    '-a always,exit -F arch=b64 -S all -F auid>=1000 -F auid!=unset -k user',
    '-e 2',
  ].join('\n');
  const exclusion = checkRulesText(
    '-a never,exit -F arch=b64 -S sendto,recvfrom -F exe=/usr/sbin/named -k exclude_named',
  ).rules[0];
  assert.ok(exclusion, 'the exclusion line resolves');
  const placement = placeExclusions(readRulesFile(text, modelResolver(text, 'x86_64')),
    [{ text: '', list: 'exit', eventSet: eventSetOf(exclusion) }]);
  // adjtimex, an execve by another exe and a b32 rule cannot catch named's sendto.
  assert.equal(placement.preempts?.line, 5);
  assert.equal(placement.line, 5);

  // The same file without models: above the first always rule, conservatively.
  assert.equal(placeExclusions(readRulesFile(text), [{ text: '', list: 'exit' }]).line, 2);
});

test('a watch whose permissions no excluded syscall can have is not pre-empted', () => {
  const text = [
    '-D',
    '-w /etc/sudoers -p wa -k scope',
    '-a always,exit -F arch=b64 -S init_module,finit_module -k modules',
    '-w /usr/bin/kmod -p x -k modules',
  ].join('\n');
  const place = (exclusion: string) => {
    const rule = checkRulesText(exclusion).rules[0];
    return placeExclusions(readRulesFile(text, modelResolver(text, 'x86_64')),
      [{ text: exclusion, list: 'exit', eventSet: eventSetOf(rule) }]);
  };
  // finit_module neither writes nor changes attributes: the -p wa watch cannot catch it.
  const kmod = place('-a never,exit -F arch=b64 -S finit_module -F exe=/usr/bin/kmod -k x');
  assert.equal(kmod.preempts?.line, 2);
  // fchmodat changes attributes: the watch may catch it, so the exclusion goes above it.
  const chmod = place('-a never,exit -F arch=b64 -S fchmodat -F exe=/usr/bin/chmod -k x');
  assert.equal(chmod.preempts?.line, 1);
  // execve is what -p x watches.
  const exec = place('-a never,exit -F arch=b64 -S execve -F exe=/usr/bin/kmod -k x');
  assert.equal(exec.preempts?.line, 3);
});
