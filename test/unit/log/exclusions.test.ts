import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proposeExclusion } from '../../../server/src/log/exclusions';
import { simulateImpact } from '../../../server/src/log/impact';
import type { EventProfile, EventProfileBucket } from '../../../server/src/log/report';
import type { RuleModel } from '../../../server/src/rules/model';
import { parseRulesLine } from '../../../server/src/rules/parse';
import { safetyWarnings } from '../../../server/src/log/safety';

const archOf: Record<string, number> = { x86_64: 0xc000003e, i386: 0x40000003 };

/** One profile bucket; counts and facts that matter to a test are given, the rest null. */
function bucket(facts: Partial<EventProfileBucket>): EventProfileBucket {
  const machine = facts.machine ?? 'x86_64';
  return {
    arch: machine ? archOf[machine] : null, machine, syscall: null, success: true, exit: null,
    exitPositive: false, exe: null, uid: 0, auid: 4294967295, euid: 0, suid: 0, fsuid: 0,
    gid: 0, egid: 0, sgid: 0, fsgid: 0, subj: null, keys: [],
    types: ['PROCTITLE', 'SYSCALL'], events: 1, records: 2, bytes: 400, ...facts,
  };
}

// A DNS server answering on the 64-bit ABI, a 32-bit helper, a shell and sudo.
const profile: EventProfile = {
  buckets: [
    bucket({ exe: '/usr/sbin/named', syscall: 307, keys: ['net_ipv4'], events: 2957,
      bytes: 2_400_000 }),
    bucket({ exe: '/usr/sbin/named', syscall: 49, keys: ['net_ipv4'], events: 6, bytes: 5000 }),
    bucket({ exe: '/usr/sbin/named', syscall: 59, keys: ['exec'], events: 1, bytes: 1200 }),
    bucket({ exe: '/opt/legacy/bin/agent32', machine: 'i386', syscall: 102,
      keys: ['net_ipv4'], events: 40, bytes: 30_000 }),
    bucket({ exe: '/opt/legacy/bin/agent32', machine: 'i386', syscall: 11, keys: ['exec'],
      events: 2, bytes: 2000 }),
    bucket({ exe: '/usr/bin/bash', syscall: 59, keys: ['exec'], events: 32, bytes: 40_000 }),
    bucket({ exe: '/usr/bin/sudo', syscall: 59, keys: ['exec'], uid: 1000, euid: 0,
      events: 3, bytes: 4000 }),
    bucket({ exe: '/usr/bin/dig', syscall: 42, keys: ['net_ipv4'], events: 25, bytes: 20_000 }),
    bucket({ exe: '/usr/bin/dig', syscall: 49, keys: ['net_ipv4'], events: 25, bytes: 20_000 }),
    bucket({ exe: '/usr/sbin/sshd', machine: null, arch: null, syscall: null,
      types: ['USER_LOGIN'], keys: [], events: 4, bytes: 900 }),
  ],
};

const rulesOf = (selection: Parameters<typeof proposeExclusion>[0], version?: '3.0.9' | '4.2') =>
  proposeExclusion(selection, profile, { auditVersion: version });

test('exe: one rule per ABI, names from the log numbers, b32 twin when the log has b32', () => {
  const proposal = rulesOf({ kind: 'exe', exe: '/usr/sbin/named' });
  assert.deepEqual(proposal.rules.map((r) => r.text), [
    '-a never,exit -F arch=b64 -S bind,execve,sendmmsg -F exe=/usr/sbin/named ' +
      '-k exclude_named',
    // The i386 table numbers of the same calls (bind 361, execve 11, sendmmsg 345).
    '-a never,exit -F arch=b32 -S bind,execve,sendmmsg -F exe=/usr/sbin/named ' +
      '-k exclude_named',
  ]);
  assert.deepEqual(proposal.rules[0].model.syscalls.numbers, [49, 59, 307]);
  assert.deepEqual(proposal.rules[1].model.syscalls.numbers, [11, 345, 361]);
  assert.deepEqual(proposal.warnings.map((w) => w.code), ['execve']);
  assert.deepEqual(proposal.refused, []);
});

test('exe x syscalls: only the selected calls', () => {
  const proposal = rulesOf({ kind: 'exe', exe: '/usr/sbin/named',
    syscalls: [{ machine: 'x86_64', number: 307 }] });
  assert.deepEqual(proposal.rules.map((r) => r.text), [
    '-a never,exit -F arch=b64 -S sendmmsg -F exe=/usr/sbin/named -k exclude_named',
    '-a never,exit -F arch=b32 -S sendmmsg -F exe=/usr/sbin/named -k exclude_named',
  ]);
  assert.deepEqual(proposal.warnings, []);
});

test('a 32-bit program: its own b32 numbers, named from the i386 table', () => {
  const proposal = rulesOf({ kind: 'exe', exe: '/opt/legacy/bin/agent32' });
  assert.deepEqual(proposal.rules.map((r) => r.text), [
    '-a never,exit -F arch=b32 -S execve,socketcall -F exe=/opt/legacy/bin/agent32 ' +
      '-k exclude_agent32',
  ]);
});

test('without b32 events in the log there is no b32 twin', () => {
  const only64: EventProfile = { buckets: profile.buckets.filter((b) => b.machine !== 'i386') };
  const proposal = proposeExclusion({ kind: 'exe', exe: '/usr/bin/dig' }, only64);
  assert.deepEqual(proposal.rules.map((r) => r.text), [
    '-a never,exit -F arch=b64 -S bind,connect -F exe=/usr/bin/dig -k exclude_dig',
  ]);
});

test('safety: interpreter, login program, setuid seen in the log', () => {
  assert.deepEqual(rulesOf({ kind: 'exe', exe: '/usr/bin/bash' }).warnings.map((w) => w.code),
    ['execve', 'interpreter']);
  const sudo = rulesOf({ kind: 'exe', exe: '/usr/bin/sudo' });
  assert.deepEqual(sudo.warnings.map((w) => w.code), ['execve', 'login-program', 'setuid']);
  assert.match(sudo.warnings[2].message, /uid != euid/);
});

test('a login program whose events carry no syscall gets no rule, and says why', () => {
  const proposal = rulesOf({ kind: 'exe', exe: '/usr/sbin/sshd' });
  assert.deepEqual(proposal.rules, []);
  assert.deepEqual(proposal.notes, ['4 event(s) of /usr/sbin/sshd carry no syscall ' +
    '(user-space messages); exit rules do not remove them, and no user-list rule is ' +
    'suggested: they are the logins and authentications of a login program']);
  assert.deepEqual(proposal.warnings.map((w) => w.code), ['login-program']);
});

test('user-space messages of a program: a never rule on the user list, by exe', () => {
  const pamTypes = ['USER_ACCT', 'CRED_ACQ', 'USER_START', 'CRED_DISP', 'USER_END'];
  const cron: EventProfile = { buckets: pamTypes.map((type) => bucket({
    exe: '/usr/sbin/cron', machine: null, arch: null, syscall: null, types: [type],
    events: 20, records: 20, bytes: 6000 })) };
  const proposal = proposeExclusion({ kind: 'exe', exe: '/usr/sbin/cron' }, cron);
  assert.deepEqual(proposal.rules.map((r) => r.text), ['-a never,user -F exe=/usr/sbin/cron']);
  assert.deepEqual(proposal.warnings.map((w) => w.code),
    pamTypes.map(() => 'security-record-type'));

  const totals = { events: 100, records: 100, bytes: 30000,
    rotation: { bytesPerMinute: 3000, minutesPerRotation: null, maxLogFileMB: 8 } };
  const impact = simulateImpact(proposal.rules, cron, totals);
  assert.equal(impact.events, 100);
  assert.equal(impact.bytes, 30000);
});

test('record type: an exclude-list rule; security types warn', () => {
  const proctitle = rulesOf({ kind: 'type', type: 'PROCTITLE' });
  assert.deepEqual(proctitle.rules.map((r) => r.text), ['-a always,exclude -F msgtype=PROCTITLE']);
  assert.deepEqual(proctitle.warnings, []);
  assert.equal(proctitle.rules[0].model.fields[0].value, 1327);

  const execve = rulesOf({ kind: 'type', type: 'EXECVE' });
  assert.deepEqual(execve.rules.map((r) => r.text), ['-a always,exclude -F msgtype=EXECVE']);
  assert.deepEqual(execve.warnings.map((w) => w.code), ['security-record-type']);

  // A type the log wrote as UNKNOWN[n]: the name if the target knows one, else the number.
  assert.deepEqual(rulesOf({ kind: 'type', type: 'UNKNOWN[1338]' }, '4.2').rules
    .map((r) => r.text), ['-a always,exclude -F msgtype=DM_CTRL']);
  assert.deepEqual(rulesOf({ kind: 'type', type: 'UNKNOWN[1338]' }, '3.0.9').rules
    .map((r) => r.text), ['-a always,exclude -F msgtype=1338']);
  assert.deepEqual(rulesOf({ kind: 'type', type: 'DM_CTRL' }, '3.0.9').refused,
    ['auditctl 3.0.9 does not know the record type DM_CTRL; give it by number with ' +
      '-F msgtype=N']);
  assert.deepEqual(rulesOf({ kind: 'type', type: 'x -F uid=0' }).rules, []);
});

test('key: the programs behind it, restricted to their calls under that key', () => {
  const rule = { keys: ['net_ipv4'], line: 11, file: '30-net.rules' } as unknown as RuleModel;
  const proposal = proposeExclusion({ kind: 'key', key: 'net_ipv4' }, profile,
    { existingRules: [rule], maxProgramsPerKey: 2 });
  assert.deepEqual(proposal.rules.map((r) => r.text), [
    '-a never,exit -F arch=b64 -S bind,sendmmsg -F exe=/usr/sbin/named -k exclude_named',
    '-a never,exit -F arch=b32 -S bind,sendmmsg -F exe=/usr/sbin/named -k exclude_named',
    '-a never,exit -F arch=b64 -S bind,connect -F exe=/usr/bin/dig -k exclude_dig',
    '-a never,exit -F arch=b32 -S bind,connect -F exe=/usr/bin/dig -k exclude_dig',
  ]);
  assert.deepEqual(proposal.notes, [
    '1 more program(s) with 40 event(s) under this key are not covered',
    'the rule at 30-net.rules:12 logs these events under net_ipv4; removing or narrowing it ' +
      'stops them at the source',
  ]);
  assert.deepEqual(proposeExclusion({ kind: 'key', key: 'nope' }, profile).refused,
    ['the log has no events with key "nope"']);
});

test('hostile executables: escaped as auditctl reads them, or refused with the reason', () => {
  const exes = [
    '/x -k y', '/a\\ b', '/tmp/new\nline', '/tmp/-F', '/tmp/evil -F exe=/bin/true',
    '/tmp/key\u0001two', '/tmp/tab\there', '/tmp/bad\ufffdutf8', '/opt/a!=b', '/opt/x>=1',
    'relative/path', '/tmp/dir/', '/opt/My Tools/run me', '/tmp/bidi\u202eevil',
    '/tmp/c1\u0085nel', '/tmp/zero\u200bwidth', '/opt/café/run', '/opt/\u{1d11e}/run',
    '/opt/tag\u{e0041}/run', '/opt/soft\u00adhyphen', '/opt/lone\ud834/run',
  ];
  const hostile: EventProfile = {
    buckets: exes.map((exe, i) => bucket({ exe, syscall: 2, events: i + 1 })),
  };
  const outcome = exes.map((exe) => {
    const proposal = proposeExclusion({ kind: 'exe', exe }, hostile);
    // The hash that marks a cleaned-up key is shown as @.
    return proposal.rules.length > 0 ? proposal.rules[0].text.replace(/_[0-9a-f]{8}$/, '_@')
      : proposal.refused[0];
  });
  assert.deepEqual(outcome, [
    '-a never,exit -F arch=b64 -S open -F exe=/x\\ -k\\ y -k exclude_x_k_y_@',
    '-a never,exit -F arch=b64 -S open -F exe=/a\\\\\\ b -k exclude_a_b_@',
    'no rule for "/tmp/new\\x0aline": it contains a newline, which ends a rules line',
    '-a never,exit -F arch=b64 -S open -F exe=/tmp/-F -k exclude_F_@',
    '-a never,exit -F arch=b64 -S open -F exe=/tmp/evil\\ -F\\ exe=/bin/true ' +
      '-k exclude_evil_F_exe_bin_true_@',
    'no rule for "/tmp/key\\x01two": it contains the control character 0x01, which a ' +
      'rules file cannot hold unambiguously',
    'no rule for "/tmp/tab\there": it contains the control character 0x09, which a rules ' +
      'file cannot hold unambiguously',
    'no rule for "/tmp/bad�utf8": its bytes in the log are not valid UTF-8, so the rules ' +
      'file cannot name it',
    'no rule for "/opt/a!=b": it contains "!=", which auditctl reads as the operator of -F',
    'no rule for "/opt/x>=1": it contains ">=", which auditctl reads as the operator of -F',
    'no rule for "relative/path": it is not an absolute path (the kernel needs exe= to ' +
      'start with /)',
    'no rule for "/tmp/dir/": it ends with / (the kernel refuses exe= values that do)',
    '-a never,exit -F arch=b64 -S open -F exe=/opt/My\\ Tools/run\\ me ' +
      '-k exclude_My_Tools_run_me_@',
    'no rule for "/tmp/bidi\\u202eevil": it contains U+202E, a character a person cannot ' +
      'see or that reorders the text around it, which a rules file cannot show as it is',
    'no rule for "/tmp/c1\\u0085nel": it contains U+0085, a character a person cannot ' +
      'see or that reorders the text around it, which a rules file cannot show as it is',
    'no rule for "/tmp/zero\\u200bwidth": it contains U+200B, a character a person cannot ' +
      'see or that reorders the text around it, which a rules file cannot show as it is',
    '-a never,exit -F arch=b64 -S open -F exe=/opt/café/run -k exclude_caf_run_@',
    '-a never,exit -F arch=b64 -S open -F exe=/opt/\u{1d11e}/run -k exclude_run_@',
    'no rule for "/opt/tag\\u{e0041}/run": it contains U+E0041, a character a person ' +
      'cannot see or that reorders the text around it, which a rules file cannot show as it is',
    'no rule for "/opt/soft\\u00adhyphen": it contains U+00AD, a character a person cannot ' +
      'see or that reorders the text around it, which a rules file cannot show as it is',
    'no rule for "/opt/lone\ud834/run": it is not valid text (a lone surrogate)',
  ]);
});

test('hostile executables: the rules engine reads back exactly the exe, no other option', () => {
  const exes = ['/x -k y', '/a\\ b', '/tmp/-F', '/tmp/evil -F exe=/bin/true', '/o\\\\p q\\',
    '/opt/My Tools/run me', '/tmp/#not-a-comment', '/tmp/"quoted"', "/tmp/it's"];
  const hostile: EventProfile = { buckets: exes.map((exe) => bucket({ exe, syscall: 2 })) };
  for (const exe of exes) {
    const [rule] = proposeExclusion({ kind: 'exe', exe }, hostile).rules;
    const parsed = parseRulesLine(rule.text, 0);
    assert.equal(parsed.kind, 'rule', rule.text);
    assert.deepEqual(parsed.problems, [], rule.text);
    assert.deepEqual(parsed.options.map((o) => o.name), ['-a', '-F', '-S', '-F', '-k'],
      rule.text);
    assert.equal(parsed.options[3].argument!.text, `exe=${exe}`);
    assert.match(parsed.options[4].argument!.text, /^exclude_[A-Za-z0-9._-]+$/);
  }
});

test('safety: events that write under /etc (the profile\'s etcWrite) warn with their count', () => {
  const writer: EventProfile = { buckets: [
    bucket({ exe: '/usr/sbin/cfgagent', syscall: 82, events: 7, etcWrite: true }),
    bucket({ exe: '/usr/sbin/cfgagent', syscall: 257, events: 90 }),
  ] };
  const proposal = proposeExclusion({ kind: 'exe', exe: '/usr/sbin/cfgagent' }, writer);
  assert.deepEqual(proposal.rules.map((r) => r.text), [
    '-a never,exit -F arch=b64 -S openat,rename -F exe=/usr/sbin/cfgagent -k exclude_cfgagent',
  ]);
  assert.deepEqual(proposal.warnings, [{ code: 'etc-writes',
    message: '7 of the dropped events write under /etc (system configuration)' }]);

  const readsOnly = proposeExclusion({ kind: 'exe', exe: '/usr/sbin/cfgagent',
    syscalls: [{ machine: 'x86_64', number: 257 }] }, writer);
  assert.deepEqual(readsOnly.warnings, []);
});

test('a path too long for auditctl\'s line buffer is refused; a replaced binary explained', () => {
  const long = `/opt/${'d/'.repeat(1500)}tool`;
  const spaced = `/opt/${'a b/'.repeat(700)}tool`;
  const replaced = '/usr/sbin/named (deleted)';
  const logOf: EventProfile = { buckets: [
    bucket({ exe: long, syscall: 2 }), bucket({ exe: spaced, syscall: 2 }),
    bucket({ exe: replaced, syscall: 307 }),
  ] };
  const fits = proposeExclusion({ kind: 'exe', exe: long }, logOf);
  assert.equal(fits.rules.length, 1);
  assert.ok(Buffer.byteLength(fits.rules[0].text) <= 6143);

  // Escaping adds a byte per space: a 4,009-byte path (under PATH_MAX) with 2,400 spaces
  // needs 6,409 bytes in the line, more than auditctl reads at once.
  const tooLong = `/opt/${'a   /'.repeat(800)}tool`;
  assert.equal(Buffer.byteLength(tooLong), 4009);
  const refusedLog: EventProfile = { buckets: [bucket({ exe: tooLong, syscall: 2 })] };
  assert.deepEqual(proposeExclusion({ kind: 'exe', exe: tooLong }, refusedLog).refused,
    [`no rule for ${JSON.stringify(tooLong)}: the line would be longer than auditctl's ` +
      '6143-byte line buffer, which cuts it in two']);
  assert.equal(proposeExclusion({ kind: 'exe', exe: spaced }, logOf).rules.length, 1);

  const named = proposeExclusion({ kind: 'exe', exe: replaced }, logOf);
  assert.deepEqual(named.rules.map((r) => r.text),
    ['-a never,exit -F arch=b64 -S sendmmsg -F exe=/usr/sbin/named -k exclude_named']);
  assert.match(named.notes[0], /excluded only once they restart$/);
});

test('keys: a plain file name as it is; an odd path named from its odd part, with a hash', () => {
  const keyOf = (exe: string) => {
    const log: EventProfile = { buckets: [bucket({ exe, syscall: 2 })] };
    const text = proposeExclusion({ kind: 'exe', exe }, log).rules[0].text;
    return /-k (\S+)$/.exec(text)![1];
  };

  assert.equal(keyOf('/usr/sbin/named'), 'exclude_named');
  assert.equal(keyOf('/usr/lib/systemd/systemd-journald'), 'exclude_systemd-journald');

  // The file is named "bash -k y" in a folder "x -F exe=": the key must not read "bash".
  const odd = keyOf('/tmp/x -F exe=/bin/bash -k y');
  assert.match(odd, /^exclude_x_F_exe_bin_bash_k_y_[0-9a-f]{8}$/);
  assert.match(keyOf('/tmp/evil -F exe=/bin/true'), /^exclude_evil_F_exe_bin_true_[0-9a-f]{8}$/);
  assert.match(keyOf('/tmp/-F'), /^exclude_F_[0-9a-f]{8}$/);
  assert.match(keyOf('/opt/My Tools/run me'), /^exclude_My_Tools_run_me_[0-9a-f]{8}$/);
  for (const exe of ['/tmp/x -F exe=/bin/bash -k y', '/tmp/-F', '/tmp/--', '/tmp/ ']) {
    const key = keyOf(exe);
    assert.doesNotMatch(key, /(^|_)-|\s/, key);
  }

  // Two paths that clean up alike keep different keys.
  assert.notEqual(keyOf('/opt/a b'), keyOf('/opt/a=b'));
});

test('a "(deleted)" exe with rpm\'s temporary ;hex name: the rule names the installed path', () => {
  const upgraded = '/usr/bin/python2.7;58d1ccfb (deleted)';
  const logOf: EventProfile = { buckets: [bucket({ exe: upgraded, syscall: 42 })] };
  const proposal = proposeExclusion({ kind: 'exe', exe: '/usr/bin/python2.7;58d1ccfb' }, logOf);
  assert.deepEqual(proposal.rules.map((r) => r.text),
    ['-a never,exit -F arch=b64 -S connect -F exe=/usr/bin/python2.7 -k exclude_python2.7']);
  assert.equal(proposal.notes.length, 1);
  assert.match(proposal.notes[0], /rpm's temporary name for \/usr\/bin\/python2\.7/);
  assert.match(proposal.notes[0], /removes no event of this log/);

  // A ';' that is not rpm's suffix, or a file that was not replaced, keeps its name.
  for (const exe of ['/opt/a;b (deleted)', '/opt/tool;58d1ccfb']) {
    const plain = exe.replace(' (deleted)', '');
    const own = proposeExclusion({ kind: 'exe', exe: plain },
      { buckets: [bucket({ exe, syscall: 42 })] });
    assert.match(own.rules[0].text, new RegExp(`exe=${plain.replace(/[;()]/g, '\\$&')} `));
  }
});

test('a syscall number no rule can hold (over 2047, no name) is refused, not written', () => {
  const odd: EventProfile = { buckets: [
    bucket({ exe: '/usr/bin/t', syscall: 99999, events: 5 }),
    bucket({ exe: '/usr/bin/t', syscall: 1073741825, events: 3 }),
    bucket({ exe: '/usr/bin/t', syscall: 2, events: 1 }),
  ] };
  const proposal = proposeExclusion({ kind: 'exe', exe: '/usr/bin/t' }, odd);
  assert.deepEqual(proposal.rules.map((r) => r.text),
    ['-a never,exit -F arch=b64 -S open -F exe=/usr/bin/t -k exclude_t']);
  assert.equal(proposal.refused.filter((why) => /up to 2047/.test(why)).length, 2);
});

test('safety: the programs that change what is audited are flagged, by name', () => {
  for (const exe of ['/usr/sbin/auditctl', '/sbin/augenrules', '/usr/sbin/auditd']) {
    const warnings = safetyWarnings({ exe, syscalls: ['sendto'] });
    assert.deepEqual(warnings.map((w) => w.code), ['audit-program'], exe);
    assert.match(warnings[0].message, /intruder/);
  }
  assert.deepEqual(safetyWarnings({ exe: '/usr/bin/auditctl-wrapper' }), []);
});
