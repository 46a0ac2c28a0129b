/**
 * Property: whatever executable path a log carries, the generated rule either reads back
 * (through the rules engine's auditctl word splitting and getopt) as exactly the intended
 * options with exactly that path, and passes the checker, or is refused with a reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { proposeExclusion } from '../../../server/src/log/exclusions';
import type { EventProfile, EventProfileBucket } from '../../../server/src/log/report';
import { checkRulesText } from '../../../server/src/rules/check';
import { parseRulesLine } from '../../../server/src/rules/parse';

function profileFor(exe: string): EventProfile {
  const bucket: EventProfileBucket = {
    arch: 0xc000003e, machine: 'x86_64', syscall: 257, success: true, exit: null,
    exitPositive: false, exe, uid: 0, auid: 4294967295, euid: 0, suid: 0, fsuid: 0, gid: 0,
    egid: 0, sgid: 0, fsgid: 0, subj: null, keys: [], types: ['SYSCALL'], events: 1,
    records: 1, bytes: 300,
  };
  return { buckets: [bucket] };
}

// Pieces that stress auditctl's reading: separators, escapes, options, control bytes.
const hostilePiece = fc.constantFrom(' ', '\\', '\\ ', '\\\\', '-k', '-F', '-S', 'exe=', '#',
  '"', "'", '\t', '\n', '\r', '\u0001', '\u007f', '=', '!=', '>=', '&', ',', '/', '..',
  '\ufffd', '\u00e9', '\u{1f600}', 'a', 'bin', '-a never,exit');
const exePath = fc.array(fc.oneof(hostilePiece, fc.string({ maxLength: 6 })), { maxLength: 12 })
  .map((pieces) => `/${pieces.join('')}`);

test('generated exe rules read back exactly or are refused (3,000 generated paths)', () => {
  fc.assert(fc.property(exePath, (exe) => {
    const proposal = proposeExclusion({ kind: 'exe', exe }, profileFor(exe));
    if (proposal.rules.length === 0) {
      assert.equal(proposal.refused.length, 1);
      assert.match(proposal.refused[0], /^no rule for .+: /);
      return;
    }

    const [rule] = proposal.rules;
    const parsed = parseRulesLine(rule.text, 0);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.options.map((o) => o.name), ['-a', '-F', '-S', '-F', '-k']);
    assert.equal(parsed.options[3].argument!.text, `exe=${exe}`);

    const checked = checkRulesText(`${rule.text}\n`, { hostMachine: 'x86_64' });
    const errors = checked.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => `${d.code}: ${d.message}`), []);
    assert.equal(checked.rules[0].fields.find((f) => f.field === 'exe')!.value, exe);
  }), { numRuns: 3000, seed: 4242 });
});
