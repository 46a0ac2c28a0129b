/**
 * Subsumption as computed agrees with brute-force matching: whenever subsumes(a, b) says
 * yes, no generated event matches b without matching a. Values come from small pools so
 * that rules and events meet often; the test also checks it exercised real cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  EventFacts,
  RuleInput,
  eventSetOf,
  matchEvent,
  mayOverlap,
  subsumes,
} from '../../../server/src/rules/match';
import type { FieldOperator } from '../../../server/src/rules/model';
import type { Machine } from '../../../server/src/tables';
import { checkRulesText } from '../../../server/src/rules/check';
import { arch, field, rule } from './match-helpers';

const numbers = [0, 1, 2, 5, 1000, 1001, 4294967295, 4294967283];
const syscalls = [2, 59, 101, 257, 263];
const machinesUsed: Machine[] = ['x86_64', 'i386'];
const exes = ['/usr/bin/a', '/usr/bin/b'];
const names = ['/etc/passwd', '/etc/ssh/sshd_config', '/tmp/x', '/etc'];
const trees = ['/etc', '/etc/ssh', '/tmp'];
const comparisonOps: FieldOperator[] = ['=', '!=', '<', '>', '<=', '>='];

const numericField = fc.record({
  name: fc.constantFrom('uid', 'auid', 'pid', 'exit', 'a0', 'a1', 'inode'),
  op: fc.constantFrom<FieldOperator>(...comparisonOps, '&', '&='),
  value: fc.constantFrom(...numbers),
}).filter((f) => !(f.op.startsWith('&') && !['a0', 'a1'].includes(f.name)))
  .map((f) => field(f.name, f.op, f.value));

const otherField = fc.oneof(
  fc.record({ op: fc.constantFrom<FieldOperator>('=', '!='), value: fc.constantFrom(0, 1) })
    .map((f) => field('success', f.op, f.value)),
  fc.record({ op: fc.constantFrom<FieldOperator>('=', '!='), value: fc.constantFrom(...exes) })
    .map((f) => field('exe', f.op, f.value)),
  fc.constantFrom(...names).map((n) => field('path', '=', n)),
  fc.constantFrom(...trees).map((t) => field('dir', '=', t)),
  fc.integer({ min: 1, max: 15 }).map((bits) => field('perm', '=', bits)),
  fc.record({ op: fc.constantFrom<FieldOperator>('=', '!='), value: fc.constantFrom(0, 5) })
    .map((f) => field('gid', f.op, f.value)),
);

const ruleArbitrary: fc.Arbitrary<RuleInput> = fc.record({
  list: fc.constantFrom<'exit' | 'user'>('exit', 'exit', 'exit', 'user'),
  action: fc.constantFrom<'always' | 'never'>('always', 'never'),
  syscalls: fc.option(fc.subarray(syscalls, { minLength: 1 }), { nil: undefined }),
  arches: fc.subarray(machinesUsed, { maxLength: 2 }).chain((ms) =>
    fc.tuple(...ms.map((m) => fc.constantFrom<FieldOperator>('=', '!=').map((op) => arch(m, op))))),
  fields: fc.array(fc.oneof(numericField, otherField), { maxLength: 4 }),
  comparisons: fc.option(fc.constant([{ left: 'uid', operator: '=' as const, right: 'euid' }]),
    { nil: undefined }),
}).map((parts) => rule(parts));

const itemArbitrary = fc.record({
  name: fc.constantFrom(...names),
  inode: fc.constantFrom(...numbers),
});

const eventArbitrary: fc.Arbitrary<EventFacts> = fc.record({
  list: fc.constantFrom<'exit' | 'user'>('exit', 'exit', 'exit', 'user'),
  machine: fc.constantFrom(...machinesUsed),
  syscall: fc.constantFrom(...syscalls),
  success: fc.boolean(),
  exit: fc.constantFrom(...numbers, -13, -1),
  a0: fc.constantFrom(...numbers),
  a1: fc.constantFrom(0, 1, 2, 0o100, 0o1001),
  a2: fc.constantFrom(0, 1, 2),
  uid: fc.constantFrom(...numbers),
  euid: fc.constantFrom(...numbers),
  auid: fc.constantFrom(...numbers),
  pid: fc.constantFrom(...numbers),
  gid: fc.constantFrom(0, 5, 7),
  exe: fc.constantFrom(...exes),
  items: fc.array(itemArbitrary, { maxLength: 2 }),
});

test('subsumes(a, b) implies every event b matches is matched by a', (t) => {
  let provenPairs = 0;
  let provenPairsWithMatches = 0;

  fc.assert(fc.property(ruleArbitrary, ruleArbitrary, fc.array(eventArbitrary, {
    minLength: 120, maxLength: 120,
  }), (a, b, events) => {
    // Identical rules must be proven; and a rule derived from b by adding a condition is
    // covered by b.
    assert.ok(subsumes(b, b), 'a rule subsumes itself');
    const narrower: RuleInput = { ...b, fields: [...b.fields, field('pid', '=', 5)] };
    assert.ok(subsumes(b, narrower), 'adding a condition narrows the rule');

    if (!subsumes(a, b)) return;
    provenPairs++;
    let matched = false;
    for (const event of events) {
      if (matchEvent(b, event).verdict !== 'match') continue;
      matched = true;
      assert.equal(matchEvent(a, event).verdict, 'match',
        `subsumes(a, b) but an event matches b only:\n${JSON.stringify(event)}`);
    }
    if (matched) provenPairsWithMatches++;
  }), { numRuns: 3000 });

  t.diagnostic(`${provenPairs} proven pairs, ${provenPairsWithMatches} with matching events`);
  assert.ok(provenPairs > 100, `only ${provenPairs} pairs were proven`);
  assert.ok(provenPairsWithMatches > 10, `only ${provenPairsWithMatches} proven pairs matched`);
});

test('a rule subsumed by itself with a condition removed, for each condition', () => {
  fc.assert(fc.property(ruleArbitrary, (b) => {
    for (let i = 0; i < b.fields.length; i++) {
      const wider = { ...b, fields: b.fields.filter((_, j) => j !== i) };
      assert.ok(subsumes(wider, b), `dropping ${b.fields[i].field} widens the rule`);
    }
  }), { numRuns: 1000 });
});

test('mayOverlap(a, b) false means no event matches both', () => {
  let disjointPairs = 0;
  fc.assert(fc.property(ruleArbitrary, ruleArbitrary, fc.array(eventArbitrary, {
    minLength: 40, maxLength: 40,
  }), (a, b, events) => {
    if (mayOverlap(eventSetOf(a), eventSetOf(b))) return;
    disjointPairs++;
    for (const event of events) {
      const both = matchEvent(a, event).verdict === 'match'
        && matchEvent(b, event).verdict === 'match';
      assert.ok(!both, `disjoint rules both match ${JSON.stringify(event)}`);
    }
  }), { numRuns: 2000 });
  assert.ok(disjointPairs > 100, `only ${disjointPairs} pairs were disjoint`);
});

// The same property on rules written as text and read by the engine's parser, so the
// model is also checked on what checkRulesText resolves (errno names, unset, perm letters,
// watches, b64/b32, syscall names).
const textFields = fc.constantFrom(
  '-F auid>=1000', '-F auid!=unset', '-F auid=0', '-F uid=0', '-F uid!=0', '-F euid=0',
  '-F success=1', '-F success=0', '-F exit=-EACCES', '-F exit=-EPERM', '-F a0=0x4',
  '-F a2&0100', '-F a2&=03', '-F exe=/usr/bin/a', '-F exe!=/usr/bin/a', '-F pid>5',
  '-F path=/etc/passwd', '-F dir=/etc/', '-F perm=wa', '-F perm=r', '-C uid!=euid',
);
const textRule = fc.record({
  action: fc.constantFrom('always', 'never'),
  arch: fc.constantFrom('', '-F arch=b64 ', '-F arch=b32 '),
  syscalls: fc.constantFrom('-S all', '-S openat', '-S open,openat', '-S ptrace',
    '-S execve', '-S openat,unlinkat,ptrace'),
  fields: fc.uniqueArray(textFields, { maxLength: 3 }),
}).map((r) => `-a ${r.action},exit ${r.arch}${r.syscalls} ${r.fields.join(' ')} -k k`);

test('subsumption agrees with matching on rules read from text', (t) => {
  let proven = 0;
  let provenWithMatches = 0;
  fc.assert(fc.property(textRule, textRule, fc.array(eventArbitrary, {
    minLength: 60, maxLength: 60,
  }), (lineA, lineB, events) => {
    const checked = checkRulesText(`${lineA}\n${lineB}\n`);
    if (checked.diagnostics.some((d) => d.severity === 'error') || checked.rules.length < 2) {
      return;
    }
    const [a, b] = checked.rules;
    if (!subsumes(a, b)) return;
    proven++;
    let matched = false;
    for (const event of events) {
      if (matchEvent(b, event).verdict !== 'match') continue;
      matched = true;
      assert.equal(matchEvent(a, event).verdict, 'match',
        `${lineA} should cover ${lineB} for ${JSON.stringify(event)}`);
    }
    if (matched) provenWithMatches++;
  }), { numRuns: 3000 });
  t.diagnostic(`${proven} proven pairs, ${provenWithMatches} with matching events`);
  assert.ok(proven > 100, `only ${proven} pairs were proven`);
  assert.ok(provenWithMatches > 15, `only ${provenWithMatches} proven pairs matched`);
});
