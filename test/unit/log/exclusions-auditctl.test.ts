/**
 * Loads every generated exclusion rule into the real auditctl (Debian's 3.0.9) and the
 * kernel, with auditing disabled, one rule at a time, deleting all rules after each. The
 * run holds /tmp/auditd-tools-audit.lock like every test that touches auditctl.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { proposeExclusion } from '../../../server/src/log/exclusions';
import type { EventProfile, EventProfileBucket } from '../../../server/src/log/report';

const lock = '/tmp/auditd-tools-audit.lock';

function auditctlUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'auditctl needs root';
  const which = spawnSync('sh', ['-c', 'command -v auditctl && command -v flock']);
  if (which.status !== 0) return 'auditctl or flock is not installed';
  const status = spawnSync('flock', [lock, 'auditctl', '-s'], { encoding: 'utf8' });
  if (status.status !== 0) return `auditctl -s failed: ${status.stderr.trim()}`;
  if (!/^enabled 0$/m.test(status.stdout)) {
    return 'auditing is not disabled (auditctl -s does not say enabled 0)';
  }
  return undefined;
}

function bucket(facts: Partial<EventProfileBucket>): EventProfileBucket {
  const machine = facts.machine === undefined ? 'x86_64' : facts.machine;
  return {
    arch: machine === 'i386' ? 0x40000003 : 0xc000003e, machine, syscall: null, success: true,
    exit: null, exitPositive: false, exe: null, uid: 0, auid: 4294967295, euid: 0, suid: 0,
    fsuid: 0, gid: 0, egid: 0, sgid: 0, fsgid: 0, subj: null, keys: [], types: ['SYSCALL'],
    events: 1, records: 1, bytes: 300, ...facts,
  };
}

test('generated rules load into the real auditctl 3.0.9 and the kernel', (t) => {
  const why = auditctlUnavailable();
  if (why) {
    t.skip(why);
    return;
  }

  // The kernel resolves exe= through the file's directory, which must exist.
  const root = mkdtempSync('/tmp/auditd-tools-exe-');
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const exes = ['/usr/sbin/named', `${root}/x -k y`, `${root}/a\\ b`,
    `${root}/evil -F exe=/bin/true`, `${root}/My Tools/run me`, `${root}/-F`,
    `${root}/caf\u00e9 d\u00e6mon`];
  for (const exe of exes) mkdirSync(dirname(exe), { recursive: true });

  const buckets: EventProfileBucket[] = [];
  for (const exe of exes) {
    for (const syscall of [0, 2, 49, 59, 257, 307]) buckets.push(bucket({ exe, syscall }));
    buckets.push(bucket({ exe, machine: 'i386', syscall: 102 }));
  }
  const profile: EventProfile = { buckets };

  const expected: { text: string; listed: string[] }[] = [];
  for (const exe of exes) {
    const proposal = proposeExclusion({ kind: 'exe', exe }, profile, { auditVersion: '3.0.9' });
    assert.deepEqual(proposal.refused, []);
    for (const rule of proposal.rules) {
      const key = /-k (\S+)$/.exec(rule.text)![1];
      expected.push({ text: rule.text, listed: [` -F exe=${exe} `, ` -F key=${key}`] });
    }
  }
  for (const type of ['PROCTITLE', 'EXECVE', 'UNKNOWN[1338]']) {
    for (const rule of proposeExclusion({ kind: 'type', type }, profile,
      { auditVersion: '3.0.9' }).rules) {
      expected.push({ text: rule.text, listed: ['-a always,exclude -F msgtype='] });
    }
  }

  const script: string[] = ['set -u'];
  expected.forEach((rule, index) => {
    const file = join(root, `rule-${index}.rules`);
    writeFileSync(file, `${rule.text}\n`, { mode: 0o600 });
    script.push(`echo "@@rule ${index}"`, `auditctl -R '${file}' 2>&1; echo "@@rc $?"`,
      'auditctl -l', 'auditctl -D >/dev/null');
  });
  script.push('echo "@@after"', 'auditctl -l');
  const run = spawnSync('flock', [lock, 'sh', '-c', script.join('\n')], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);

  const sections = run.stdout.split(/^@@rule /m).slice(1);
  assert.equal(sections.length, expected.length);
  sections.forEach((section, index) => {
    const rule = expected[index];
    const [, rc] = /^@@rc (\d+)$/m.exec(section)!;
    const listing = section.split(/^@@rc \d+$/m)[1].split('@@after')[0].trim().split('\n');
    assert.equal(rc, '0', `${rule.text}\n${section}`);
    assert.equal(listing.length, 1, `${rule.text}\n${section}`);
    for (const part of rule.listed) assert.ok(listing[0].includes(part), `${listing[0]} ~ ${part}`);
  });
  assert.match(run.stdout.split('@@after')[1], /No rules/);
  t.diagnostic(`${expected.length} generated rules loaded and removed`);
});
