#!/usr/bin/env node
// Records the verdict of Debian's auditctl 3.0.9, together with the running kernel, on
// every line of a generated line set, and writes them to
// test/fixtures/auditctl-verdicts/auditctl-3.0.9.json.
//
// Each line is written to a one-line rules file (mode 0600) and loaded with
// `auditctl -R file` under scripts/auditctl-shim.c (LD_PRELOAD): rule adds and
// deletes and read-only requests reach the kernel, so the kernel's own rule checks
// count; every request that would change kernel settings is answered by the shim.
// `auditctl -D` runs after every line. All of it happens while holding
// /tmp/auditd-tools-audit.lock, and only while `auditctl -s` says `enabled 0`.
//
// Usage (as root, auditd package installed):
//   node scripts/record-auditctl-verdicts.mjs             record everything, write the fixture
//   node scripts/record-auditctl-verdicts.mjs --lines
//       print the line set, one JSON string and its origin a line
//   node scripts/record-auditctl-verdicts.mjs --self-check --shim SO
//       prove that the shim blocks -e 1, -b 9999 and --loginuid-immutable
//   node scripts/record-auditctl-verdicts.mjs --run-lines IN.json --out OUT.json --shim SO
//       run the lines of IN.json (an array of strings) and write their results
import { spawnSync } from 'node:child_process';
import {
  chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync,
  rmSync, statSync, writeFileSync, mkdirSync,
} from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const scriptPath = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(scriptPath), '..');
const sharedRoot = path.join(repoRoot, '..', 'shared');
const corpusRoot = path.join(sharedRoot, 'corpus', 'rules');
const fixturePath = path.join(
  repoRoot, 'test', 'fixtures', 'auditctl-verdicts', 'auditctl-3.0.9.json',
);
const shimSource = path.join(repoRoot, 'scripts', 'auditctl-shim.c');
const auditLock = '/tmp/auditd-tools-audit.lock';
const lockHeldVariable = 'AUDITD_TOOLS_AUDIT_LOCK_HELD';

/** Seed of the variant generator; change it only together with a re-recording. */
export const generatorSeed = 20261203;

// ---------------------------------------------------------------------------------
// Deterministic randomness

function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

function chooser(random) {
  const below = (count) => Math.floor(random() * count);
  return {
    below,
    pick: (items) => items[below(items.length)],
    chance: (probability) => random() < probability,
  };
}

// ---------------------------------------------------------------------------------
// The corpus

function listRulesFiles(directory) {
  const found = [];
  for (const name of readdirSync(directory).sort()) {
    const full = path.join(directory, name);
    if (statSync(full).isDirectory()) found.push(...listRulesFiles(full));
    else found.push(full);
  }
  return found;
}

/** Every line auditctl would act on: not blank, first word not starting with '#'. */
function corpusLines() {
  const lines = [];
  for (const file of listRulesFiles(corpusRoot)) {
    const relative = path.relative(corpusRoot, file);
    const text = readFileSync(file, 'utf8');
    text.split('\n').forEach((line, index) => {
      if (index === text.split('\n').length - 1 && line === '') return;
      const firstWord = line.split(' ').find((word) => word !== '');
      if (firstWord === undefined || firstWord.startsWith('#')) return;
      lines.push({ line, origin: `corpus ${relative}:${index + 1}` });
    });
  }
  return lines;
}

// ---------------------------------------------------------------------------------
// Catalogues used by the generator

const listNames = ['exit', 'task', 'user', 'exclude', 'filesystem'];

/** One plausible value per field; the list of the field's natural home decides the rule. */
const fieldSamples = [
  ['pid', '1'], ['ppid', '1'], ['uid', '0'], ['euid', '0'], ['suid', '0'], ['fsuid', '0'],
  ['gid', '0'], ['egid', '0'], ['sgid', '0'], ['fsgid', '0'], ['auid', '1000'],
  ['loginuid', '1000'], ['pers', '1'], ['arch', 'b64'], ['msgtype', 'EXECVE'],
  ['subj_user', 'system_u'], ['subj_role', 'object_r'], ['subj_type', 'sshd_t'],
  ['subj_sen', 's0'], ['subj_clr', 's0'], ['obj_user', 'system_u'], ['obj_role', 'object_r'],
  ['obj_type', 'shadow_t'], ['obj_lev_low', 's0'], ['obj_lev_high', 's0'],
  ['sessionid', '1'], ['fstype', 'tracefs'], ['devmajor', '8'], ['devminor', '1'],
  ['inode', '12'], ['exit', '-EACCES'], ['success', '0'], ['path', '/etc/passwd'],
  ['perm', 'wa'], ['dir', '/etc'], ['filetype', 'file'], ['obj_uid', '0'], ['obj_gid', '0'],
  ['field_compare', '1'], ['exe', '/usr/bin/id'], ['saddr_fam', '2'], ['a0', '1'],
  ['a1', '0x10'], ['a2', '1'], ['a3', '1'], ['key', 'k1'], ['loginuid_set', '1'],
  ['AUID', '1000'], ['Path', '/etc/shadow'], ['foo', '1'],
];

const operators = ['=', '!=', '<', '>', '<=', '>=', '&', '&='];
const oddOperators = ['==', '=>', '=<', '!', '=!', '<>', '~', '!=='];

/** Values worth trying for a field, good and bad, keyed by the field's value kind. */
const valueSamples = {
  uid: ['0', '1000', '-1', 'unset', 'UNSET', '4294967295', '4294967296', '0x3e8', '010',
    '12abc', 'root', 'nobody', 'daemon', 'chrony', 'ntp', 'no_such_user', '-5', ''],
  gid: ['0', '100', '-1', 'unset', 'root', 'adm', 'nogroup', 'wheel', 'no_such_group', '0x10',
    ''],
  success: ['0', '1', '2', 'yes', 'no', '-1', 'true', '01', ''],
  exit: ['EPERM', '-EPERM', 'eperm', '-eacces', '-13', '13', '0', 'EFOO', '-EFOO', 'ENOTSUP',
    'EOPNOTSUPP', 'EHWPOISON', '-', '- EPERM', '0x10', ''],
  perm: ['r', 'w', 'x', 'a', 'rwxa', 'RWXA', 'rwxaa', 'wa', 'ww', 'rwxq', 'e', '-', '1', ''],
  arch: ['b64', 'b32', 'B64', 'x86_64', 'X86_64', 'i386', 'i686', 'aarch64', 'arm', 'armv7l',
    'ppc64le', 's390x', 'riscv64', 'uring', 'c000003e', '0xc000003e', '3221225534',
    '40000003', 'foo', 'b16', ''],
  msgtype: ['EXECVE', 'execve', 'Cwd', 'SYSCALL', '1300', '1309', 'UNKNOWN[1338]',
    'unknown[1338]', 'USER_AUTH', 'AVC', 'FOO', 'DM_CTRL', 'LANDLOCK_ACCESS', '99999', '-1',
    ''],
  filetype: ['file', 'dir', 'socket', 'link', 'character', 'block', 'fifo', 'FILE', 'pipe',
    'directory', '0100000', ''],
  number: ['0', '1', '-1', '0x10', '010', '12abc', 'abc', '4294967295', '99999999999', ''],
  signed: ['0', '-1', '0x1ffffffff', '-0x10', 'abc', '12abc', '4294967296', ''],
  sessionid: ['1', '-1', 'unset', 'foo', '0x10', '4294967295', ''],
  saddr_fam: ['2', '10', '0', '45', '46', '47', 'inet', 'AF_INET', ''],
  fstype: ['tracefs', 'debugfs', 'TRACEFS', 'cgroup', 'cgroup2', 'ext4', '0x74726163', '1', ''],
  path: ['/etc/passwd', '/etc/passwd/', 'etc/passwd', './passwd', '/etc/../etc/passwd',
    '/etc/*', '/etc/pass?d', '/', '/tmp/with\\ space', '/no/such/dir/file', ''],
  dir: ['/etc', '/etc/', 'etc', '/no/such/dir', '/etc/passwd', '/', '+', ''],
  exe: ['/usr/bin/id', '/usr/bin/id/', 'usr/bin/id', '/usr/bin/*', '/no/such/dir/bin',
    '/usr/bin/no-such-binary', ''],
  key: ['k', 'a b', '"quoted"', 'x'.repeat(256), 'x'.repeat(257), 'key#1', 'T1078_Valid', ''],
  label: ['system_u', 'unconfined_t', 's0-s0:c0.c1023', ''],
  compare: ['1', '0', '5', '24', '99', 'abc', ''],
};

const fieldValueKind = {
  uid: 'uid', euid: 'uid', suid: 'uid', fsuid: 'uid', auid: 'uid', loginuid: 'uid',
  obj_uid: 'uid', gid: 'gid', egid: 'gid', sgid: 'gid', fsgid: 'gid', obj_gid: 'gid',
  success: 'success', exit: 'exit', perm: 'perm', arch: 'arch', msgtype: 'msgtype',
  filetype: 'filetype', pid: 'number', ppid: 'number', pers: 'number', devmajor: 'number',
  devminor: 'number', inode: 'number', a0: 'signed', a1: 'signed', a2: 'signed',
  a3: 'signed', sessionid: 'sessionid', saddr_fam: 'saddr_fam', fstype: 'fstype',
  path: 'path', dir: 'dir', exe: 'exe', key: 'key', subj_user: 'label', subj_role: 'label',
  subj_type: 'label', subj_sen: 'label', subj_clr: 'label', obj_user: 'label',
  obj_role: 'label', obj_type: 'label', obj_lev_low: 'label', obj_lev_high: 'label',
  field_compare: 'compare',
};

/** Where a field lives, so a sample rule for it is one the list accepts. */
function homeRule(field) {
  const name = field.toLowerCase();
  if (name === 'msgtype') return '-a always,exclude';
  if (name === 'fstype') return '-a never,filesystem';
  if (name === 'arch') return '-a always,exit';
  return '-a always,exit -F arch=b64 -S openat';
}

const syscallTypos = [
  (name, pick) => name.slice(0, pick.below(name.length)) + name.slice(pick.below(name.length) + 1),
  (name) => name.toUpperCase(),
  (name) => name[0].toUpperCase() + name.slice(1),
  (name) => `${name}64`,
  (name) => `sys_${name}`,
  (name) => `${name}_`,
  (name) => `${name}s`,
  (name) => (name.length > 2 ? name[1] + name[0] + name.slice(2) : `${name}x`),
  (name) => name.replace(/_/g, ''),
  (name) => name.replace(/at$/, ''),
  (name) => `${name}2`,
];

const inventedSyscalls = ['opn', 'create', 'exec', 'chmod64', 'unlinkat2', 'read_write', 'kill9',
  'SYS_open', 'openat()', 'open;', 'all,', ',', 'ALL', 'All', 'none', 'modules', '*'];

/** Names valid somewhere, but not in the x86_64 table of auditctl 3.0.9. */
const foreignSyscalls = ['socketcall', 'ipc', 'stat64', 'lstat64', 'chown32', 'fchown32',
  'setuid32', 'truncate64', 'fcntl64', 'mmap2', 'sigreturn', 'waitpid', 'oldstat',
  'fchmodat2', 'file_setattr', 'file_getattr', 'lsm_set_self_attr', 'lsm_get_self_attr',
  'cachestat', 'map_shadow_stack', 'futex_wake', 'statmount', 'listmount', 'mseal',
  'getxattrat', 'renameat2', 'openat2', 'clone3', 'faccessat2', 'process_madvise'];

const syscallNumbers = ['0', '2', '59', '263', '321', '334', '451', '2047', '2048', '4096',
  '-1', '0x3b', '073', '2abc', '99999999999'];

const controlLines = [
  '-D', '-D -k mykey', '-D x', '-D -k', '-D -l', '-b 8192', '-b 0', '-b 0x100', '-b 010',
  '-b -1', '-b abc', '-b 99999999999', '-b', '-r 0', '-r 100', '-r -5', '-r abc', '-r',
  '-f 0', '-f 1', '-f 2', '-f 3', '-f -1', '-f 01', '-f', '-e 0', '-e 1', '-e 2', '-e 3',
  '-e -1', '-e 01', '-e one', '-e', '-e 1 -f 1', '-b 8192 -f 1', '-D -b 8192 -f 1 -i',
  '-i', '-c', '-i ', '-c -i', '-l', '-l -k mykey', '-l -i', '-l x', '-s', '-s -i', '-s x',
  '-v', '-h', '-R /etc/audit/audit.rules', '-t', '-q /mnt,/mnt/sub', '-q /mnt', '-m hello',
  '-m', '--backlog_wait_time 60000', '--backlog_wait_time 0', '--backlog_wait_time -1',
  '--backlog_wait_time abc', '--backlog_wait_time=60000', '--backlog_wait_time',
  '--loginuid-immutable', '--loginuid-immutable x', '--reset-lost',
  '--reset_backlog_wait_time_actual', '--signal TERM', '--signal hup', '--signal FOO',
  '--signal', '--backlog 10', '--foo', '--key x', '--', '-- -D', '-x', '-Z', '-', 'D',
  '-e 2 -D', '-a', '-A', '-d', '-S', '-F', '-k', '-w', '-W', '-p', '-C',
];

const handWrittenLines = [
  '-a exit,possible -S open', '-a possible,exit -S open', '-a exit,entry -S open',
  '-a entry,always -S open', '-a always,exit,never -S open', '-a always -S open',
  '-a exit -S open', '-a always,exit -S all', '-a always,exit -S ALL',
  '-a always,exit -S open,', '-a always,exit -S ,open', '-a always,exit -S open,,close',
  '-a always,exit -S all,open', '-a always,exit -S open -S close -S all',
  '-a never,task', '-a always,task', '-a never,task -k x', '-a never,user -k x',
  '-a never,exclude -k x', '-a always,task -S open', '-S open -a always,task',
  '-a always,user -S open', '-a always,exclude -S open', '-a never,filesystem -S open',
  '-a always,io_uring -S openat', '-a always,exit -F arch=b64 -S open -k',
  '-a always,exit -F arch=b64 -S open -k -F key', '-a always,exit -F arch=b64 -S open -k "a b"',
  '-a always,exit -F arch=b64 -S open -k a\\ b', '-a always,exit -F arch=b64 -k x -S open',
  '-a always,exit -F arch=b64 -F key=x -S open', '-a always,exit -F auid>=1000 -k x',
  '-a always,exit -S all -k x', '-a always,exit -F exe=/usr/bin/id -k x',
  '-a never,filesystem -F fstype=tracefs -k x', '-a always,exit -F path=/etc/shadow -k x',
  '-a always,exit -F dir=/etc -k x', '-a always,exit -F perm=wa -k x',
  '-a always,exit -p wa', '-a always,exit -F path=/etc/shadow -p wa',
  '-a always,exit -F path=/etc/shadow -p wa -k x', '-a always,exit -F path=/etc/shadow -p wz',
  '-a always,exit -F path=/etc/shadow -F path=/etc/passwd',
  '-a always,exit -F path=/etc/shadow -F dir=/etc', '-a always,exit -F path!=/etc/shadow',
  '-a always,exit -F dir!=/etc', '-a always,exit -F path=/etc/shadow -F inode=12',
  '-a always,exit -F exe=/usr/bin/id -F exe=/usr/bin/env', '-a always,exit -F exe!=/usr/bin/id',
  '-a always,exit -F key=a -F key=b -S open', '-a always,exit -S open -k a -k b',
  '-a always,exit -F arch=b32 -F arch=b64 -S open',
  '-a always,exit -F arch=b64 -F arch=b32 -S open',
  '-a always,exit -F arch=b64 -F arch=b32 -S socketcall',
  '-a always,exit -F arch=b32 -F arch=b64 -S socketcall', '-a always,exit -S open -F arch=b64',
  '-a always,exit -F arch=b64 -S open -F arch=b32', '-a always,exit -S socketcall',
  '-a always,exit -F arch=b32 -S socketcall', '-a always,exit -F arch=b64 -S socketcall',
  '-a always,exit -F arch=aarch64 -S open', '-a always,exit -F arch=aarch64 -S openat',
  '-a always,exit -F arch=i386 -S open', '-a always,exit -F arch=ppc64 -S open',
  '-a always,exit -F arch=s390x -S open', '-a always,exit -F arch=arm -S open',
  '-a always,exit -S open', '-a always,exit -S 2', '-a always,exit -F arch=b64 -S 2abc',
  '-w /etc/passwd', '-w /etc/passwd -p wa', '-w /etc/passwd -p wa -k passwd',
  '-w /etc/passwd -k passwd -p wa', '-w /etc/passwd -p', '-w /etc/passwd -p rwxaa',
  '-w /etc/passwd -p q', '-w /etc/passwd -p WA', '-w /etc/passwd -p ww', '-w etc/passwd',
  '-w ./passwd', '-w /etc/../etc/passwd', '-w /etc/*', '-w /etc/pass?d', '-w /etc/',
  '-w /etc', '-w /', '-w /tmp/with\\ space', '-w /etc/passwd -S open',
  '-w /etc/passwd -F uid=0', '-w /etc/passwd -F arch=b64', '-w /etc/passwd -a always,exit',
  '-a always,exit -w /etc/passwd', '-w /etc/passwd -w /etc/shadow', '-p wa -w /etc/passwd',
  '-k x -w /etc/passwd', '-w /etc/passwd -p wa -k x -k y', '-w /etc/passwd -W /etc/passwd',
  '-W /etc/passwd -p wa', '-W etc/passwd', '-d always,exit -S open',
  '-d exit,possible -S open', '-w /etc/passwd -p wa #comment', '-w /etc/passwd -p wa # note',
  '# -w /etc/passwd', '   # indented comment', '-w /etc/passwd\t-p wa', '\t',
  '\t-w /etc/passwd -p wa', '-w /etc/passwd -p wa\t', '-w /etc/passwd -p wa\r',
  '-w /etc/passwd -p wa -k key\r', '-a always,exit -F arch=b64 -S open\r',
  '   -w /etc/passwd -p wa', '-w  /etc/passwd   -p wa', '-w /etc/passwd -p wa ',
  '-aalways,exit -Farch=b64 -Sopen -kx', '-w/etc/passwd -pwa -kx',
  '-a always,exit -F arch=b64 -S open auid>=1000', '-a always,exit -F arch=b64 -S open -a0=2',
  '-a always,exit -F arch=b64 -S open -F a0=2 -a always,exit -S close',
  '-a always,exit -F arch=b64 -S open -F', '-a always,exit -F arch=b64 -S',
  '-a always,exit -F arch=b64 -S open -F auid >= 1000', '-a always,exit -F =1',
  '-a always,exit -F uid=', '-a always,exit -F uid', '-F uid=0 -a always,exit',
  '-C uid=auid -a always,exit', '-a always,exit -C uid=auid', '-a always,exit -C uid!=auid',
  '-a always,exit -C uid>=euid', '-a always,exit -C uid<euid', '-a always,exit -C gid=uid',
  '-a always,exit -C uid=uid', '-a always,exit -C obj_uid=auid', '-a always,exit -C auid=obj_uid',
  '-a always,exit -C egid=obj_gid', '-a always,exit -C pid=ppid', '-a always,exit -C uid=',
  '-a always,exit -C =uid', '-a always,exit -C uid', '-a always,exit -C foo=uid',
  '-a always,exit -C uid=foo', '-a always,task -C uid=auid', '-a always,user -C uid=auid',
  '-a always,exit -F arch=b64 -S open -C uid!=euid -k x',
  '-a always,exit -F path=/a<=b', '-a always,exit -F arch=b64 -S open -F uid&1',
  '-a always,exit -F arch=b64 -S open -F a0&1', '-a always,exit -F arch=b64 -S open -F a0&=1',
  '-a always,exit -F arch=b64 -S open -F pers&1',
  '-a always,exit -F arch=b64 -S open -F devminor&1',
  '-a always,exit -F arch=b64 -S open -F devmajor&1', '-a never,filesystem -F uid=0',
  '-a never,filesystem -F fstype=tracefs -F uid=0', '-a never,filesystem -F fstype=tracefs',
  '-a never,filesystem -F fstype=debugfs', '-a always,filesystem -F fstype=tracefs',
  '-a always,exclude -F msgtype=EXECVE', '-a never,exclude -F msgtype=CWD',
  '-a always,exclude -F msgtype>=1300 -F msgtype<=1399', '-a always,exclude -F euid=0',
  '-a always,exclude -F exe=/usr/bin/id', '-a always,exclude -F sessionid=1',
  '-a always,exclude -F perm=wa', '-a always,exclude -F subj_type=sshd_t',
  '-a always,user -F msgtype=USER_AUTH', '-a always,user -F sessionid=1',
  '-a always,task -F sessionid=1', '-a always,user -F path=/etc/passwd',
  '-a always,exit -F msgtype=EXECVE', '-a always,exit -F fstype=tracefs',
  '-a always,exit -F arch=b64 -S open -F key=' + 'k'.repeat(256),
  '-a always,exit -F arch=b64 -S open -F key=' + 'k'.repeat(257),
  '-a always,exit -F arch=b64 -S open -k ' + 'k'.repeat(256),
  '-a always,exit -F arch=b64 -S open -k ' + 'k'.repeat(257),
  '-a always,exit -F arch=b64 -S open -k ' + 'k'.repeat(128) + ' -k ' + 'k'.repeat(127),
  '-a always,exit -F arch=b64 -S open -k ' + 'k'.repeat(128) + ' -k ' + 'k'.repeat(128),
  '-w /' + 'd'.repeat(255), '-w /' + 'd'.repeat(256), '-w /tmp/' + 'd/'.repeat(2100) + 'x',
  '-a always,exit -F path=/' + 'p'.repeat(4096),
  '-a always,exit -F arch=b64 -S open -k ' + 'k'.repeat(6200),
];

/** Kernel-side combinations: the kernel rewrites auid=unset, and allows one path/dir/inode. */
function kernelProbeLines() {
  const lines = [];
  const rule = '-a always,exit -F arch=b64 -S openat';
  for (const operator of operators) {
    for (const [field, value] of [['auid', 'unset'], ['auid', '-1'], ['loginuid', '4294967295'],
      ['uid', 'unset'], ['auid', '1000'], ['sessionid', 'unset'], ['exe', '/usr/bin/id']]) {
      lines.push(`${rule} -F ${field}${operator}${value}`);
    }
  }
  const watched = ['path=/etc/shadow', 'dir=/etc', 'inode=12', 'exe=/usr/bin/id',
    'perm=wa', 'filetype=file', 'arch=b64', 'key=k2'];
  for (const first of watched) {
    for (const second of watched) lines.push(`-a always,exit -F ${first} -F ${second}`);
  }
  return lines;
}

/** Rules with a given number of -F fields (plus the implicit arch and key) around 63. */
function fieldCountLines() {
  const lines = [];
  for (const total of [61, 62, 63, 64, 65]) {
    const fields = [];
    for (let index = 0; fields.length < total - 2; index++) fields.push(`-F a0!=${index}`);
    lines.push(`-a always,exit -F arch=b64 -S open ${fields.join(' ')} -k many`);
    const watchFields = [];
    for (let index = 0; watchFields.length < total - 3; index++) {
      watchFields.push(`-F uid!=${index + 1}`);
    }
    lines.push(`-w /etc/passwd -p wa ${watchFields.join(' ')} -k many`);
  }
  return lines;
}

// ---------------------------------------------------------------------------------
// Systematic products: list x field, field x operator, field x value

function systematicLines() {
  const lines = [];
  for (const list of listNames) {
    for (const [field, value] of fieldSamples) {
      lines.push(`-a always,${list} -F ${field}=${value}`);
    }
  }
  for (const [field, value] of fieldSamples) {
    for (const operator of operators) {
      lines.push(`${homeRule(field)} -F ${field}${operator}${value}`);
    }
  }
  for (const [field, kind] of Object.entries(fieldValueKind)) {
    for (const value of valueSamples[kind]) {
      lines.push(`${homeRule(field)} -F ${field}=${value}`);
    }
  }
  return lines;
}

// ---------------------------------------------------------------------------------
// Random variants of corpus lines

const splitWords = (line) => line.split(' ').filter((word) => word !== '');

function optionIndices(words, option) {
  return words.flatMap((word, index) =>
    (word === option && index + 1 < words.length ? [index] : []));
}

function splitField(text) {
  for (const operator of ['!=', '>=', '<=', '&=', '=', '>', '<', '&']) {
    const at = text.indexOf(operator);
    if (at > 0) return [text.slice(0, at), operator, text.slice(at + operator.length)];
  }
  return undefined;
}

/** Moves the option at `from` (with its argument) so it lands before index `to`. */
function movePair(words, from, to) {
  const pair = words.slice(from, from + 2);
  const rest = [...words.slice(0, from), ...words.slice(from + 2)];
  const target = to > from ? to - 2 : to;
  return [...rest.slice(0, target), ...pair, ...rest.slice(target)];
}

/**
 * Each maker takes the words of a corpus line and returns the words of a variant (joined
 * with single spaces), or undefined when the line has nothing to vary. 'whitespace' returns
 * the whole line as one word, so that its own tabs, CRs and runs of spaces survive.
 */
const variantMakers = {
  'wrong list': (words, pick) => {
    const [at] = optionIndices(words, '-a').concat(optionIndices(words, '-A'));
    if (at === undefined) return undefined;
    const parts = words[at + 1].split(',');
    const listAt = listNames.includes(parts[0]) ? 0 : 1;
    parts[listAt] = pick.pick(['entry', 'watch', 'exits', 'Exit', 'EXIT', 'task', 'user',
      'exclude', 'filesystem', 'io_uring', 'uring', 'foo', '', 'never', 'exit ']);
    return [...words.slice(0, at + 1), parts.join(','), ...words.slice(at + 2)];
  },
  'wrong action': (words, pick) => {
    const [at] = optionIndices(words, '-a').concat(optionIndices(words, '-A'));
    if (at === undefined) return undefined;
    const parts = words[at + 1].split(',');
    const actionAt = listNames.includes(parts[0]) ? 1 : 0;
    parts[actionAt] = pick.pick(['ALWAYS', 'Always', 'NEVER', 'Never', 'possible', 'sometimes',
      'allow', '', 'never', 'always', 'alway', 'nevr']);
    if (pick.chance(0.3)) parts.reverse();
    return [...words.slice(0, at + 1), parts.join(','), ...words.slice(at + 2)];
  },
  'wrong operator': (words, pick) => {
    const fieldAts = optionIndices(words, '-F');
    if (fieldAts.length === 0) return undefined;
    const at = pick.pick(fieldAts);
    const parts = splitField(words[at + 1]);
    if (parts === undefined) return undefined;
    const operator = pick.pick(pick.chance(0.75) ? operators : oddOperators);
    return [...words.slice(0, at + 1), parts[0] + operator + parts[2], ...words.slice(at + 2)];
  },
  'syscall typo': (words, pick) => {
    const syscallAts = optionIndices(words, '-S');
    if (syscallAts.length === 0) return undefined;
    const at = pick.pick(syscallAts);
    const names = words[at + 1].split(',');
    const index = pick.below(names.length);
    if (names[index] === 'all' || names[index].length < 3) return undefined;
    names[index] = pick.pick(syscallTypos)(names[index], pick);
    return [...words.slice(0, at + 1), names.join(','), ...words.slice(at + 2)];
  },
  'unknown syscall': (words, pick) => {
    const syscallAts = optionIndices(words, '-S');
    if (syscallAts.length === 0) return undefined;
    const at = pick.pick(syscallAts);
    const names = words[at + 1].split(',');
    names[pick.below(names.length)] = pick.pick(
      pick.chance(0.5) ? foreignSyscalls : pick.chance(0.5) ? inventedSyscalls : syscallNumbers,
    );
    return [...words.slice(0, at + 1), names.join(','), ...words.slice(at + 2)];
  },
  'bad value': (words, pick) => {
    const fieldAts = optionIndices(words, '-F');
    if (fieldAts.length === 0) return undefined;
    const at = pick.pick(fieldAts);
    const parts = splitField(words[at + 1]);
    const kind = parts && fieldValueKind[parts[0].toLowerCase()];
    if (kind === undefined) return undefined;
    const value = pick.pick(valueSamples[kind]);
    return [...words.slice(0, at + 1), parts[0] + parts[1] + value, ...words.slice(at + 2)];
  },
  'arch mix': (words, pick) => {
    const archAt = words.findIndex((word) => word.startsWith('arch='));
    if (archAt < 0) return undefined;
    const choice = pick.below(4);
    if (choice === 0) return [...words.slice(0, archAt), `arch=${pick.pick(valueSamples.arch)}`,
      ...words.slice(archAt + 1)];
    if (choice === 1) return [...words.slice(0, archAt - 1), '-F', 'arch=b32', '-F', 'arch=b64',
      ...words.slice(archAt + 1)];
    if (choice === 2) {
      const other = words[archAt] === 'arch=b32' ? 'arch=b64' : 'arch=b32';
      return [...words.slice(0, archAt + 1), '-F', other, ...words.slice(archAt + 1)];
    }
    return [...words.slice(0, archAt - 1), ...words.slice(archAt + 1)];
  },
  'b32 names under b64': (words, pick) => {
    const syscallAts = optionIndices(words, '-S');
    const archAt = words.indexOf('arch=b64');
    if (syscallAts.length === 0 || archAt < 0) return undefined;
    const at = pick.pick(syscallAts);
    const extra = pick.pick(['socketcall', 'ipc', 'stat64', 'chown32', 'truncate64', 'mmap2']);
    return [...words.slice(0, at + 1), `${words[at + 1]},${extra}`, ...words.slice(at + 2)];
  },
  'arch after -S': (words) => {
    const archAt = words.findIndex((word) => word.startsWith('arch='));
    const [syscallAt] = optionIndices(words, '-S');
    if (archAt < 0 || syscallAt === undefined || syscallAt < archAt) return undefined;
    return movePair(words, archAt - 1, syscallAt + 2);
  },
  'key before -S': (words) => {
    const [keyAt] = optionIndices(words, '-k');
    const [syscallAt] = optionIndices(words, '-S');
    if (keyAt === undefined || syscallAt === undefined || keyAt < syscallAt) return undefined;
    return movePair(words, keyAt, syscallAt);
  },
  'field before list': (words) => {
    const [listAt] = optionIndices(words, '-a');
    const [fieldAt] = optionIndices(words, '-F');
    if (listAt === undefined || fieldAt === undefined) return undefined;
    return movePair(words, fieldAt, listAt);
  },
  'perm before watch': (words) => {
    const [watchAt] = optionIndices(words, '-w');
    const [permAt] = optionIndices(words, '-p');
    if (watchAt === undefined || permAt === undefined) return undefined;
    return movePair(words, permAt, watchAt);
  },
  'field on another list': (words, pick) => {
    const [listAt] = optionIndices(words, '-a');
    if (listAt === undefined) return undefined;
    const [field, value] = pick.pick(fieldSamples);
    const list = pick.pick(listNames);
    const action = words[listAt + 1].split(',').find((part) => !listNames.includes(part));
    const kept = words.filter((word, index) => {
      const option = words[index - 1];
      return !(option === '-S' || word === '-S') || index <= listAt;
    });
    return [...kept.slice(0, listAt + 1), `${action},${list}`, ...kept.slice(listAt + 2),
      '-F', `${field}=${value}`];
  },
  'attached argument': (words, pick) => {
    const optionAts = words.flatMap((word, index) =>
      /^-[aAdSFkwWp]$/.test(word) && index + 1 < words.length ? [index] : []);
    if (optionAts.length === 0) return undefined;
    const at = pick.pick(optionAts);
    return [...words.slice(0, at), words[at] + words[at + 1], ...words.slice(at + 2)];
  },
  'missing argument': (words, pick) => {
    const optionAts = words.flatMap((word, index) => (/^-[aAdSFkwWpC]$/.test(word) ? [index] : []));
    if (optionAts.length === 0) return undefined;
    const at = pick.pick(optionAts);
    if (pick.chance(0.5)) return words.slice(0, at + 1);
    return [...words.slice(0, at + 1), ...words.slice(at + 2)];
  },
  'option dropped': (words, pick) => {
    const optionAts = words.flatMap((word, index) => (/^-[FSpk]$/.test(word) ? [index] : []));
    if (optionAts.length === 0) return undefined;
    const at = pick.pick(optionAts);
    return [...words.slice(0, at), ...words.slice(at + 1)];
  },
  'whitespace': (words, pick) => {
    const line = words.join(' ');
    const choice = pick.below(8);
    const space = line.indexOf(' ', pick.below(line.length));
    if (choice === 0 && space > 0) return [line.slice(0, space) + '\t' + line.slice(space + 1)];
    if (choice === 1) return [`${line}\r`];
    if (choice === 2) return [`${line} # ${pick.pick(['note', 'T1078', '', '#'])}`];
    if (choice === 3) return [`${line}#inline`];
    if (choice === 4) return [`  ${line}`];
    if (choice === 5) return [`${line}\t`];
    if (choice === 6) return [words.join('   ')];
    return [`\t${line}`];
  },
  'relative path': (words, pick) => {
    const pathAt = words.findIndex((word, index) =>
      (words[index - 1] === '-w' || /^(path|dir|exe)=/.test(word)) && word.includes('/'));
    if (pathAt < 0) return undefined;
    const [prefix, value] = words[pathAt].includes('=') && words[pathAt - 1] !== '-w'
      ? [words[pathAt].slice(0, words[pathAt].indexOf('=') + 1),
        words[pathAt].slice(words[pathAt].indexOf('=') + 1)]
      : ['', words[pathAt]];
    const changed = pick.pick([
      value.replace(/^\/+/, ''), `.${value}`, `${value}/`, `${value}/..`, `${value}*`,
      `/../${value.replace(/^\/+/, '')}`, value.replace(/\/[^/]*$/, '/no-such-dir$&'),
    ]);
    return [...words.slice(0, pathAt), prefix + changed, ...words.slice(pathAt + 1)];
  },
  'long key': (words, pick) => {
    const [keyAt] = optionIndices(words, '-k');
    const length = pick.pick([255, 256, 257, 300]);
    if (keyAt === undefined) return [...words, '-F', `key=${'q'.repeat(length)}`];
    return [...words.slice(0, keyAt + 1), 'q'.repeat(length), ...words.slice(keyAt + 2)];
  },
  'key starting with a dash': (words) => {
    const [keyAt] = optionIndices(words, '-k');
    if (keyAt === undefined) return undefined;
    return [...words.slice(0, keyAt + 1), '-F', ...words.slice(keyAt + 1)];
  },
  'duplicated option': (words, pick) => {
    const optionAts = words.flatMap((word, index) =>
      /^-[aAwkpFS]$/.test(word) && index + 1 < words.length ? [index] : []);
    if (optionAts.length === 0) return undefined;
    const at = pick.pick(optionAts);
    return [...words, words[at], words[at + 1]];
  },
  'fused rules': (words, pick, pool) => {
    const other = splitWords(pick.pick(pool));
    return [...words, ...other];
  },
  'case changed': (words, pick) => {
    const at = pick.below(words.length);
    const changed = pick.chance(0.5) ? words[at].toUpperCase() : words[at].toLowerCase();
    if (changed === words[at]) return undefined;
    return [...words.slice(0, at), changed, ...words.slice(at + 1)];
  },
};

function variantLines(seed, baseLines) {
  const pick = chooser(seededRandom(seed));
  const pool = baseLines.filter((line) => !line.includes('\\') && /^-[aAw] /.test(line));
  const produced = [];
  const perMaker = 48;

  for (const [kind, makeVariant] of Object.entries(variantMakers)) {
    let made = 0;
    for (let attempt = 0; made < perMaker && attempt < perMaker * 20; attempt++) {
      const words = makeVariant(splitWords(pick.pick(pool)), pick, pool);
      if (words === undefined) continue;
      produced.push({ line: words.join(' '), origin: `variant: ${kind}` });
      made++;
    }
  }
  return produced;
}

/** Lines assembled at random from the pieces auditctl knows, in random order and number. */
function randomRuleLines(seed, count) {
  const pick = chooser(seededRandom(seed));
  const tablePath = path.join(repoRoot, 'server', 'src', 'tables', 'generated', 'syscalls.json');
  const tables = JSON.parse(readFileSync(tablePath, 'utf8')).versions['3.0.9'];
  const syscallNames = [...tables.x86_64, ...tables.i386].map(([, name]) => name);
  const listActions = ['always,exit', 'always,exit', 'exit,always', 'never,exit', 'always,task',
    'never,task', 'always,user', 'never,user', 'always,exclude', 'never,filesystem',
    'ALWAYS,exit', 'always,entry', 'exit,possible', 'always,io_uring'];
  const syscallChoice = () => (pick.chance(0.8) ? pick.pick(syscallNames)
    : pick.pick([...foreignSyscalls, ...inventedSyscalls, ...syscallNumbers, 'all']));

  const pieces = [
    () => [pick.pick(['-a', '-a', '-a', '-A', '-d']), pick.pick(listActions)],
    () => ['-F', `arch=${pick.pick(['b64', 'b64', 'b32', 'b32', ...valueSamples.arch])}`],
    () => ['-S', Array.from({ length: 1 + pick.below(4) }, syscallChoice).join(',')],
    () => {
      const [field, usual] = pick.pick(fieldSamples);
      const kind = fieldValueKind[field.toLowerCase()];
      const value = kind && pick.chance(0.5) ? pick.pick(valueSamples[kind]) : usual;
      return ['-F', `${field}${pick.chance(0.7) ? '=' : pick.pick(operators)}${value}`];
    },
    () => ['-k', pick.pick(['k', 'key-1', 'a\\ b', 'q'.repeat(1 + pick.below(300))])],
    () => ['-p', pick.pick(valueSamples.perm.filter((perm) => perm !== ''))],
    () => ['-w', pick.pick(['/etc/passwd', '/etc/', '/etc/ssh/sshd_config', '/tmp',
      '/var/log/wtmp', 'etc/passwd', '/etc/*'])],
    () => ['-C', pick.pick(['uid=auid', 'uid!=euid', 'auid!=obj_uid', 'gid=egid', 'uid=gid',
      'euid>=uid', 'obj_gid!=sgid'])],
  ];

  const lines = [];
  for (let index = 0; index < count; index++) {
    const words = pick.chance(0.85) ? pieces[0]() : [];
    const length = 1 + pick.below(6);
    for (let step = 0; step < length; step++) words.push(...pick.pick(pieces.slice(1))());
    lines.push(words.join(' '));
  }
  return lines;
}

/** Plausible values only, so that near-valid rules mostly reach the kernel's checks. */
const plausibleValues = {
  uid: ['0', '1000', '-1', 'unset', '4294967295', 'root'], gid: ['0', '100', 'root'],
  success: ['0', '1'], exit: ['-EACCES', '-EPERM', '0', '-13', 'EPERM'],
  perm: ['r', 'w', 'x', 'a', 'wa', 'rwxa'], arch: ['b64', 'b32'], msgtype: ['EXECVE', '1300'],
  filetype: ['file', 'dir', 'socket'], number: ['0', '1', '42'], signed: ['0', '1', '0x10', '-1'],
  sessionid: ['1', 'unset'], saddr_fam: ['2', '10'], fstype: ['tracefs', 'debugfs'],
  path: ['/etc/passwd', '/etc/shadow', '/usr/bin/id'], dir: ['/etc', '/usr/bin', '/etc/'],
  exe: ['/usr/bin/id', '/usr/bin/passwd'], key: ['k'], label: ['system_u', 's0'],
  compare: ['1', '2'],
};

/** Rules shaped like real ones (list first, arch before -S, known names), varied inside. */
function nearValidRuleLines(seed, count) {
  const pick = chooser(seededRandom(seed));
  const tablePath = path.join(repoRoot, 'server', 'src', 'tables', 'generated', 'syscalls.json');
  const tables = JSON.parse(readFileSync(tablePath, 'utf8')).versions['3.0.9'];
  const namesOf = (machine) => tables[machine].map(([, name]) => name);
  const exitFields = fieldSamples.map(([field]) => field)
    .filter((field) => !['msgtype', 'fstype', 'foo', 'loginuid_set'].includes(field));

  const someFields = (words) => {
    for (let index = pick.below(5); index > 0; index--) {
      const field = pick.pick(exitFields);
      const value = pick.pick(plausibleValues[fieldValueKind[field.toLowerCase()]] ?? ['1']);
      const operator = pick.chance(0.6) ? '=' : pick.pick(operators);
      words.push('-F', `${field}${operator}${value}`);
    }
    if (pick.chance(0.1)) words.push('-C', pick.pick(['uid!=euid', 'auid=obj_uid', 'gid!=egid']));
  };
  const someKey = (words) => {
    if (pick.chance(0.6)) words.push('-k', pick.pick(['k', 'watch-key', 'T1078']));
    else if (pick.chance(0.3)) words.push('-F', 'key=k');
  };

  const lines = [];
  for (let index = 0; index < count; index++) {
    const words = [];
    const shape = pick.below(10);
    if (shape < 6) {
      words.push('-a', pick.pick(['always,exit', 'never,exit', 'exit,always']));
      const arch = pick.chance(0.85) ? pick.pick(['b64', 'b32']) : undefined;
      if (arch) words.push('-F', `arch=${arch}`);
      const table = namesOf(pick.chance(0.1) || arch === 'b32' ? 'i386' : 'x86_64');
      for (let option = 1 + pick.below(2); option > 0; option--) {
        const names = Array.from({ length: 1 + pick.below(5) }, () => pick.pick(table));
        words.push('-S', names.join(','));
      }
      someFields(words);
    } else if (shape < 8) {
      words.push('-w', pick.pick([...plausibleValues.path, ...plausibleValues.dir]));
      if (pick.chance(0.8)) words.push('-p', pick.pick(plausibleValues.perm));
      if (pick.chance(0.1)) words.push('-F', pick.pick(['uid=0', 'auid>=1000', 'arch=b64']));
    } else {
      words.push('-a', 'always,exit');
      if (pick.chance(0.5)) words.push('-F', `arch=${pick.pick(['b64', 'b32'])}`);
      const target = pick.chance(0.5) ? `path=${pick.pick(plausibleValues.path)}`
        : `dir=${pick.pick(plausibleValues.dir)}`;
      words.push('-F', target);
      if (pick.chance(0.5)) words.push('-F', `perm=${pick.pick(plausibleValues.perm)}`);
      else if (pick.chance(0.5)) words.push('-p', pick.pick(plausibleValues.perm));
      someFields(words);
    }
    someKey(words);
    lines.push(words.join(' '));
  }
  return lines;
}

/** Rules auditctl 3.0.9 and the kernel accept one at a time (see the recorded lines). */
const loadableRules = [
  '-w /etc/passwd -p wa -k identity', '-w /etc/shadow -p wa',
  '-w /etc/ssh/sshd_config -p rwxa',
  '-a always,exit -F arch=b64 -S open,openat -F exit=-EACCES -k access',
  '-a always,exit -F arch=b32 -S open,openat -F exit=-EACCES -k access',
  '-a always,exit -F arch=b64 -S execve -F auid>=1000 -F auid!=unset -k exec',
  '-a never,exit -F arch=b64 -S adjtimex -F auid=unset -F uid=0',
  '-a always,exit -F arch=b64 -S init_module,finit_module -k modules',
  '-a always,exit -F path=/usr/bin/passwd -F perm=x -F auid>=1000 -k passwd',
  '-a always,exit -F dir=/etc -F perm=wa -k etc',
  '-a always,exit -F arch=b64 -S all -F exe=/usr/bin/id -k id',
  '-a always,exclude -F msgtype=CWD', '-a never,filesystem -F fstype=tracefs',
  '-a never,task', '-a always,user -F uid=0',
  '-a always,exit -F arch=b64 -S openat -C uid!=euid -k compare',
  '-a always,exit -F arch=b64 -S connect -F a0=2 -F success=1',
  '-a always,exit -F arch=b32 -S all -k 32bit',
];

/** Pairs of rules that look alike: the kernel decides which of them are the same rule. */
const rulePairs = [
  ['-a always,exit -F arch=b64 -S open,close -k k',
    '-a always,exit -F arch=b64 -S close,open -k k'],
  ['-a always,exit -F arch=b64 -S open -k k', '-a exit,always -F arch=b64 -S open -k k'],
  ['-a always,exit -F arch=b64 -S open -k k', '-A always,exit -F arch=b64 -S open -k k'],
  ['-a always,exit -F arch=b64 -S open -k k', '-a never,exit -F arch=b64 -S open -k k'],
  ['-a always,exit -F arch=b64 -S open -k k', '-a always,exit -F arch=b64 -S 2 -k k'],
  ['-a always,exit -F arch=b64 -S open -k k', '-a always,exit -F arch=b64 -S open -F key=k'],
  ['-a always,exit -F arch=b64 -S open -k a -k b', '-a always,exit -F arch=b64 -S open -k a'],
  ['-a always,exit -F arch=b64 -S open -F uid=0 -F gid=0',
    '-a always,exit -F arch=b64 -S open -F gid=0 -F uid=0'],
  ['-a always,exit -F arch=b64 -S open -F auid>=1000',
    '-a always,exit -F arch=b64 -S open -F auid>=0x3e8'],
  ['-a always,exit -F arch=b64 -S open -F auid!=unset',
    '-a always,exit -F arch=b64 -S open -F auid!=-1'],
  ['-a always,exit -F arch=b64 -S open -F uid=0', '-a always,exit -F arch=b64 -S open -F uid=root'],
  ['-a always,exit -F arch=b64 -S all', '-a always,exit -F arch=b64'],
  ['-a always,exit -F arch=b64 -S open', '-a always,exit -F arch=x86_64 -S open'],
  ['-a always,exit -F arch=b64 -S open', '-a always,exit -F arch=b32 -S open'],
  ['-a always,exit -S open', '-a always,exit -F arch=b64 -S open'],
  ['-w /etc/passwd -p wa -k k', '-a always,exit -F path=/etc/passwd -F perm=wa -k k'],
  ['-w /etc/passwd -p wa', '-w /etc/passwd -p aw'],
  ['-w /etc/passwd -p wa', '-w /etc/passwd -p w'],
  ['-w /etc/passwd -p wa', '-w /etc/passwd -p wa -k k'],
  ['-w /etc/passwd', '-w /etc/passwd -p rwxa'],
  ['-w /etc', '-w /etc/'],
  ['-w /etc', '-a always,exit -F dir=/etc -F perm=rwxa'],
  ['-a always,exclude -F msgtype=CWD', '-a never,exclude -F msgtype=1307'],
  ['-a never,task', '-A never,task'],
  ['-a never,task', '-a always,task'],
];

/**
 * Multi-line files, each starting with -c (keep going, report every failed line) and -D
 * (start from no rules, so the file alone decides): duplicates (the kernel's EEXIST),
 * rules that only look alike, deletes of rules added earlier, and -D in between.
 */
function fileCases() {
  const cases = [];
  const add = (origin, ...rules) => cases.push({ lines: ['-c', '-D', ...rules], origin });
  const asDelete = (rule) => rule.replace(/^-a /, '-d ').replace(/^-A /, '-d ')
    .replace(/^-w /, '-W ');
  const withOtherKey = (rule) => (/ -k \S+/.test(rule) ? rule.replace(/ -k \S+/, ' -k other')
    : `${rule} -k other`);

  for (const rule of loadableRules) {
    add('file: the same rule twice', rule, rule);
    add('file: the same rule with another key', rule, withOtherKey(rule));
    add('file: add, then delete', rule, asDelete(rule));
    add('file: delete before add', asDelete(rule), rule);
    add('file: add, -D, add again', rule, '-D', rule);
  }
  for (const [first, second] of rulePairs) {
    add('file: a rule and a look-alike', first, second);
    add('file: add one, delete the look-alike', first, asDelete(second));
  }
  add('file: -D -k between duplicates', '-w /etc/passwd -p wa -k k', '-D -k k',
    '-w /etc/passwd -p wa -k k');
  add('file: -D -k of another key', '-w /etc/passwd -p wa -k k', '-D -k other',
    '-w /etc/passwd -p wa -k k');
  add('file: three copies', '-a never,task', '-a never,task', '-a never,task');
  return cases;
}

/** Every corpus file as a whole, with -c first so auditctl reports every failed line. */
function corpusFileCases() {
  return listRulesFiles(corpusRoot).map((file) => {
    const text = readFileSync(file, 'utf8').replace(/\n$/, '');
    const origin = `corpus file ${path.relative(corpusRoot, file)}`;
    return { lines: ['-c', ...text.split('\n')], origin };
  });
}

/** The whole line set: corpus lines, hand-written probes, products and seeded variants. */
export function buildLineSet(seed = generatorSeed) {
  const entries = [];
  const seen = new Set();
  const add = (line, origin) => {
    if (seen.has(line)) return;
    seen.add(line);
    entries.push({ line, origin });
  };

  const corpus = corpusLines();
  for (const { line, origin } of corpus) add(line, origin);
  for (const line of controlLines) add(line, 'probe: control option');
  for (const line of handWrittenLines) add(line, 'probe: rule form');
  for (const line of fieldCountLines()) add(line, 'probe: field count');
  for (const line of kernelProbeLines()) add(line, 'probe: kernel checks');
  for (const line of systematicLines()) add(line, 'product: list/field/operator/value');
  for (const { line, origin } of variantLines(seed, corpus.map((entry) => entry.line))) {
    add(line, origin);
  }
  for (const line of randomRuleLines(seed + 1, 1200)) add(line, 'random: assembled rule');
  for (const line of nearValidRuleLines(seed + 2, 1000)) add(line, 'random: near-valid rule');
  return entries;
}

// ---------------------------------------------------------------------------------
// What the host decides

const uidFields = new Set(['uid', 'euid', 'suid', 'fsuid', 'auid', 'loginuid', 'obj_uid']);
const gidFields = new Set(['gid', 'egid', 'sgid', 'fsgid', 'obj_gid']);
const hostNames = new Map();

function hostHas(database, name) {
  const cacheKey = `${database}:${name}`;
  if (!hostNames.has(cacheKey)) {
    const lookup = spawnSync('getent', [database, name], { encoding: 'utf8' });
    hostNames.set(cacheKey, lookup.status === 0);
  }
  return hostNames.get(cacheKey);
}

function isDirectory(target) {
  try {
    return statSync(target).isDirectory();
  } catch {
    return false;
  }
}

/** Splits a line the way auditctl does: on spaces, with `\ ` kept inside a word. */
function auditctlWords(line) {
  const words = [];
  let current = '';
  for (let index = 0; index < line.length; index++) {
    const character = line[index];
    if (character === '\\' && (line[index + 1] === ' ' || line[index + 1] === '\\')) {
      current += line[++index];
    } else if (character === ' ') {
      if (current !== '') words.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  if (current !== '') words.push(current);
  return words;
}

/**
 * Why the verdict on this line depends on the machine it was recorded on, or undefined.
 * A validator cannot know user and group names, which paths exist, whether auditd runs,
 * or which rules are loaded; lines whose verdict here turned on one of those are marked.
 * Names that exist here and paths that exist here are listed as host facts only.
 */
export function hostDependence(line) {
  const reasons = [];
  const facts = [];
  const words = auditctlWords(line.replace(/\r$/, ''));
  if (words.length === 0 || words[0].startsWith('#')) return { reasons, facts };
  const optionValue = (index, option) =>
    words[index] === option ? words[index + 1] : words[index]?.startsWith(option)
      ? words[index].slice(option.length) : undefined;

  words.forEach((word, index) => {
    if (word === '--signal' || word.startsWith('--signal=')) {
      reasons.push('--signal needs a running auditd');
    }
    if (word === '-d' || word.startsWith('-d') && word.length > 2 && !word.startsWith('--')) {
      reasons.push('-d deletes a rule that must be loaded in the kernel');
    }

    const watch = optionValue(index, '-w') ?? optionValue(index, '-W');
    if (words[index].startsWith('-W') && watch !== undefined) {
      reasons.push('-W deletes a watch that must be loaded in the kernel');
    }
    if (watch !== undefined && watch.startsWith('/')) {
      const trimmed = watch.replace(/\/+$/, '') || '/';
      const needed = isDirectory(trimmed) ? trimmed : path.dirname(trimmed);
      if (isDirectory(needed)) facts.push(`${needed} exists here`);
      else reasons.push(`${needed} does not exist here`);
    }

    const field = optionValue(index, '-F');
    const parts = field !== undefined && splitField(field);
    if (!parts) return;
    const [name, , value] = [parts[0].toLowerCase(), parts[1], parts[2]];

    if (uidFields.has(name) && value !== '' && !/^-?\d/.test(value) && value !== 'unset') {
      if (hostHas('passwd', value)) facts.push(`user ${value} exists here`);
      else reasons.push(`user ${value} does not exist here`);
    }
    if (gidFields.has(name) && value !== '' && !/^-?\d/.test(value) && value !== 'unset') {
      if (hostHas('group', value)) facts.push(`group ${value} exists here`);
      else reasons.push(`group ${value} does not exist here`);
    }
    if ((name === 'path' || name === 'exe' || name === 'dir') && value.startsWith('/') &&
        (name === 'dir' || !value.endsWith('/'))) {
      // The kernel resolves a dir= tree itself, but only the parent of a path= or exe=.
      const needed = name === 'dir' ? value : path.dirname(value);
      const found = name === 'dir' ? existsSync(needed) : isDirectory(needed);
      if (found) facts.push(`${needed} exists here`);
      else reasons.push(`${needed} does not exist here`);
    }
  });
  return { reasons: [...new Set(reasons)], facts: [...new Set(facts)] };
}

// ---------------------------------------------------------------------------------
// Running auditctl

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30000, ...options });
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  return result;
}

/** `auditctl -s` as a map of its key/value lines, asked without the shim. */
export function auditStatus() {
  const result = run('auditctl', ['-s']);
  const status = {};
  for (const statusLine of result.stdout.split('\n')) {
    const [key, ...rest] = statusLine.split(' ');
    if (key) status[key] = rest.join(' ');
  }
  return status;
}

function loadedRules() {
  return run('auditctl', ['-l']).stdout.trim();
}

export function compileShim(directory) {
  const output = path.join(directory, 'auditctl-shim.so');
  const result = run('gcc', ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra', '-Werror', '-o',
    output, shimSource, '-ldl']);
  if (result.status !== 0) throw new Error(`gcc failed:\n${result.stderr}`);
  return output;
}

function requireLockHeld() {
  if (process.env[lockHeldVariable] !== '1') {
    throw new Error(`hold ${auditLock} first (run through the script's own entry points)`);
  }
}

function requireAuditingDisabled() {
  const enabled = auditStatus().enabled;
  if (enabled !== '0') {
    throw new Error(`refusing to run: auditctl -s says enabled ${enabled}, not 0`);
  }
}

function shimEnvironment(shim, workDirectory) {
  return {
    ...process.env,
    LD_PRELOAD: shim,
    AUDITCTL_SHIM_LOG: path.join(workDirectory, 'shim.log'),
    AUDITCTL_SHIM_SYSLOG: path.join(workDirectory, 'syslog.txt'),
    LC_ALL: 'C',
  };
}

/** Runs auditctl under the shim; stdout and stderr land in one file, in order. */
function runShimmed(shim, workDirectory, args) {
  for (const name of ['shim.log', 'syslog.txt', 'output.txt']) {
    rmSync(path.join(workDirectory, name), { force: true });
  }
  const outputFile = path.join(workDirectory, 'output.txt');
  const outputFd = openSync(outputFile, 'w', 0o600);
  let result;
  try {
    result = spawnSync('auditctl', args, {
      cwd: workDirectory,
      env: shimEnvironment(shim, workDirectory),
      stdio: ['ignore', outputFd, outputFd],
      timeout: 60000,
    });
  } finally {
    closeSync(outputFd);
  }
  if (result.error) throw new Error(`auditctl ${args.join(' ')}: ${result.error.message}`);

  const readIfThere = (name) => {
    const file = path.join(workDirectory, name);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  };
  // A crash is reported the way a shell does: 128 + the signal number.
  const exitCode = result.status ?? 128 + (osConstants.signals[result.signal] ?? 0);
  return {
    exitCode,
    ...(result.signal ? { signal: result.signal } : {}),
    output: readFileSync(outputFile, 'utf8'),
    syslog: readIfThere('syslog.txt'),
    shimLog: readIfThere('shim.log'),
  };
}

/** Proves the shim answers AUDIT_SET itself, with requests that change nothing if leaked. */
function probeShim(shim, workDirectory) {
  const status = auditStatus();
  const probe = runShimmed(shim, workDirectory, ['-r', status.rate_limit]);
  if (!/^fake AUDIT_SET /m.test(probe.shimLog)) {
    throw new Error(`the shim did not intercept AUDIT_SET (log: ${JSON.stringify(probe.shimLog)})`);
  }
}

function deleteAllRules(shim, workDirectory) {
  const cleared = runShimmed(shim, workDirectory, ['-D']);
  if (cleared.exitCode !== 0) throw new Error(`auditctl -D failed: ${cleared.output}`);
}

/**
 * Runs each item as a rules file: a string is a one-line file, an array of strings a
 * multi-line one. The caller holds the lock.
 */
export function runLines(lines, shim) {
  requireLockHeld();
  requireAuditingDisabled();
  const before = loadedRules();
  if (before !== 'No rules') {
    throw new Error(`refusing to run: rules are loaded by someone else:\n${before}`);
  }

  const workDirectory = mkdtempSync(path.join(tmpdir(), 'auditctl-verdicts-'));
  try {
    probeShim(shim, workDirectory);
    const results = [];
    lines.forEach((line, index) => {
      const rulesFile = path.join(workDirectory, 'line.rules');
      const fileLines = Array.isArray(line) ? line : [line];
      writeFileSync(rulesFile, `${fileLines.join('\n')}\n`, { mode: 0o600 });
      chmodSync(rulesFile, 0o600);

      const outcome = runShimmed(shim, workDirectory, ['-R', 'line.rules']);
      deleteAllRules(shim, workDirectory);
      const hostReasons = fileLines.flatMap((fileLine) => hostDependence(fileLine).reasons);
      results.push({ ...outcome, hostReasons });

      if (index % 100 === 99) requireAuditingDisabled();
    });

    requireAuditingDisabled();
    const after = loadedRules();
    if (after !== 'No rules') throw new Error(`rules left loaded after the run:\n${after}`);
    return results;
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
}

/**
 * Runs -e 1, -b 9999 and --loginuid-immutable through the shim and checks with a
 * shim-free `auditctl -s` that the kernel kept enabled 0, its backlog limit and an
 * unlocked loginuid_immutable. A harmless probe runs first, so the real requests
 * are only tried once the shim is known to answer AUDIT_SET itself.
 */
export function selfCheck(shim) {
  requireLockHeld();
  requireAuditingDisabled();
  const workDirectory = mkdtempSync(path.join(tmpdir(), 'auditctl-shim-check-'));
  try {
    probeShim(shim, workDirectory);
    const before = auditStatus();
    const attempts = [
      { args: ['-e', '1'], request: 'AUDIT_SET' },
      { args: ['-b', '9999'], request: 'AUDIT_SET' },
      { args: ['--loginuid-immutable'], request: 'AUDIT_SET_FEATURE' },
    ].map(({ args, request }) => {
      const outcome = runShimmed(shim, workDirectory, args);
      const shimLog = outcome.shimLog.trim().split('\n');
      const answered = shimLog.some((entry) => entry.startsWith(`fake ${request} `)) &&
        !shimLog.some((entry) => entry.startsWith(`pass ${request} `));
      return { args, request, answeredByShim: answered, exitCode: outcome.exitCode, shimLog };
    });
    const after = auditStatus();

    if (after.enabled !== '0') run('auditctl', ['-e', '0']);
    // A lock set earlier by something else cannot be undone before a reboot; then only
    // the shim's own log shows that AUDIT_SET_FEATURE was kept from the kernel.
    const wasUnlocked = /^0 unlocked/.test(before.loginuid_immutable ?? '');
    const unchanged = after.enabled === '0' && after.backlog_limit === before.backlog_limit &&
      after.loginuid_immutable === before.loginuid_immutable &&
      (!wasUnlocked || /^0 unlocked/.test(after.loginuid_immutable ?? ''));
    const ok = unchanged && attempts.every((attempt) => attempt.answeredByShim);
    return { ok, loginuidLockedBefore: !wasUnlocked, before, after, attempts };
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------
// Verdicts and the fixture

export function verdictOf(outcome) {
  const failedLine = /There was an error in line/.test(outcome.output + outcome.syslog);
  return outcome.exitCode === 0 && !failedLine ? 'accept' : 'reject';
}

function fakedRequests(shimLog) {
  const faked = shimLog.split('\n').filter((line) => line.startsWith('fake ')).map((line) =>
    line.startsWith('fake kill ') ? 'kill()' : line.split(' ').slice(1, -2).join(' '));
  return [...new Set(faked)];
}

/** The stamp pretty-printed, then one line per entry and per file, for readable diffs. */
export function serializeFixture(fixture) {
  const { entries, files, ...stamp } = fixture;
  const stampText = JSON.stringify(stamp, null, 1).replace(/\n}$/, '');
  const rows = (items) => items.map((item) => `  ${JSON.stringify(item)}`).join(',\n');
  const text = `${stampText},\n "entries": [\n${rows(entries)}\n ],\n` +
    ` "files": [\n${rows(files)}\n ]\n}\n`;
  JSON.parse(text);
  return text;
}

function underLock(args) {
  const result = spawnSync('flock', [auditLock, process.execPath, scriptPath, ...args], {
    stdio: 'inherit',
    env: { ...process.env, [lockHeldVariable]: '1' },
  });
  if (result.status !== 0) throw new Error(`locked step ${args[0]} failed (${result.status})`);
}

function record() {
  const version = run('auditctl', ['-v']).stdout.trim();
  if (!/ 3\.0\.9$/.test(version)) throw new Error(`expected auditctl 3.0.9, found: ${version}`);

  const entries = buildLineSet(generatorSeed);
  const buildDirectory = mkdtempSync(path.join(tmpdir(), 'auditctl-record-'));
  try {
    const shim = compileShim(buildDirectory);
    underLock(['--self-check', '--shim', shim, '--out', path.join(buildDirectory, 'check.json')]);
    const check = JSON.parse(readFileSync(path.join(buildDirectory, 'check.json'), 'utf8'));
    if (!check.ok) throw new Error(`the shim did not block: ${JSON.stringify(check)}`);

    const files = [...fileCases(), ...corpusFileCases()];
    const items = [...entries.map((entry) => entry.line), ...files.map((file) => file.lines)];
    const results = [];
    const batchSize = 200;
    for (let start = 0; start < items.length; start += batchSize) {
      const input = path.join(buildDirectory, 'batch-in.json');
      const output = path.join(buildDirectory, 'batch-out.json');
      writeFileSync(input, JSON.stringify(items.slice(start, start + batchSize)));
      underLock(['--run-lines', input, '--out', output, '--shim', shim]);
      results.push(...JSON.parse(readFileSync(output, 'utf8')));
      process.stderr.write(`${results.length}/${items.length} files\n`);
    }

    const recorded = entries.map((entry, index) => {
      const outcome = results[index];
      const host = hostDependence(entry.line);
      const faked = fakedRequests(outcome.shimLog);
      return {
        line: entry.line,
        origin: entry.origin,
        verdict: verdictOf(outcome),
        exitCode: outcome.exitCode,
        ...(outcome.signal ? { signal: outcome.signal } : {}),
        output: outcome.output,
        ...(outcome.syslog ? { syslog: outcome.syslog } : {}),
        ...(faked.length ? { answeredByShim: faked } : {}),
        hostDependent: host.reasons.length > 0,
        ...(host.reasons.length ? { hostReasons: host.reasons } : {}),
        ...(host.facts.length ? { hostFacts: host.facts } : {}),
      };
    });

    const recordedFiles = files.map((file, index) => {
      const outcome = results[entries.length + index];
      const said = outcome.output + outcome.syslog;
      const failedLines = [...new Set([...said.matchAll(/There was an error in line (\d+) of/g)]
        .map((match) => Number(match[1])))].sort((a, b) => a - b);
      // Every file starts from no rules (-D after the previous one), so -d/-W only meet
      // rules the file itself added; the other host facts are judged line by line.
      const hostLines = [];
      const reasons = new Set();
      file.lines.forEach((line, lineIndex) => {
        const lineReasons = hostDependence(line).reasons
          .filter((reason) => !/^-[dW] deletes/.test(reason));
        if (lineReasons.length > 0) hostLines.push(lineIndex + 1);
        for (const reason of lineReasons) reasons.add(reason);
      });
      return {
        lines: file.lines,
        origin: file.origin,
        failedLines,
        exitCode: outcome.exitCode,
        output: outcome.output,
        ...(outcome.syslog ? { syslog: outcome.syslog } : {}),
        hostLines,
        ...(reasons.size ? { hostReasons: [...reasons] } : {}),
      };
    });

    const fixture = {
      description: 'Verdicts of Debian auditctl 3.0.9 and the running kernel on one-line ' +
        'rules files (entries) and on small multi-line files (files), recorded by ' +
        'scripts/record-auditctl-verdicts.mjs',
      auditctlVersion: version.replace(/^auditctl version /, ''),
      auditctlPackage: run('dpkg-query', ['-W', '-f=${Version}', 'auditd']).stdout.trim(),
      kernel: run('uname', ['-r']).stdout.trim(),
      machine: run('uname', ['-m']).stdout.trim(),
      recordedAt: new Date().toISOString(),
      generatorSeed,
      method: [
        'Each line is written to a mode 0600 file and loaded with `auditctl -R line.rules` ' +
          'under scripts/auditctl-shim.c (LD_PRELOAD), with auditing disabled (enabled 0), ' +
          'then `auditctl -D`.',
        'Rule add/delete and read-only requests reach the kernel, so kernel-side ' +
          'rejections are part of the verdict; AUDIT_SET, AUDIT_SET_FEATURE, user ' +
          'messages, AUDIT_MAKE_EQUIV, AUDIT_TRIM and kill() are answered by the shim ' +
          '(answeredByShim lists them).',
        'verdict is reject when auditctl exits non-zero or prints "There was an error in ' +
          'line"; output is stdout and stderr interleaved.',
        'syslog: auditctl 3.0.9 prints its line errors on stderr; anything it sends to ' +
          'syslog would not be visible to a user and is kept apart in `syslog` (captured ' +
          'by the shim), present only when non-empty.',
        'hostDependent: the verdict here turned on a fact of this machine that a validator ' +
          'cannot know (user/group names absent here, directories absent here, auditd not ' +
          'running, rules not loaded); hostFacts lists such facts that held here.',
        'Each entry is loaded alone after -D. Duplicates (EEXIST) and deletes need ' +
          'several lines: `files` holds small files that start with -c and -D, and every ' +
          'corpus file with -c put first; failedLines lists the 1-based lines auditctl ' +
          'reported with "There was an error in line N", hostLines the lines whose ' +
          'verdict turned on this machine.',
      ],
      lineCount: recorded.length,
      fileCount: recordedFiles.length,
      entries: recorded,
      files: recordedFiles,
    };
    mkdirSync(path.dirname(fixturePath), { recursive: true });
    writeFileSync(fixturePath, serializeFixture(fixture));

    const rejected = recorded.filter((entry) => entry.verdict === 'reject').length;
    const hostDependent = recorded.filter((entry) => entry.hostDependent).length;
    process.stdout.write(`wrote ${path.relative(repoRoot, fixturePath)}: ${recorded.length} ` +
      `lines, ${rejected} rejected, ${hostDependent} host-dependent\n`);
  } finally {
    rmSync(buildDirectory, { recursive: true, force: true });
  }
}

function argumentAfter(flag) {
  const at = process.argv.indexOf(flag);
  return at > 0 ? process.argv[at + 1] : undefined;
}

function main() {
  if (process.argv.includes('--lines')) {
    for (const entry of buildLineSet(generatorSeed)) {
      process.stdout.write(`${JSON.stringify(entry.line)}\t${entry.origin}\n`);
    }
    return;
  }

  const lockedMode = process.argv.includes('--self-check') || process.argv.includes('--run-lines');
  if (lockedMode && process.env[lockHeldVariable] !== '1') {
    const result = spawnSync('flock', [auditLock, process.execPath, scriptPath,
      ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, [lockHeldVariable]: '1' },
    });
    process.exit(result.status ?? 1);
  }

  const shim = argumentAfter('--shim');
  const out = argumentAfter('--out');
  if (process.argv.includes('--self-check')) {
    const check = selfCheck(shim);
    const text = JSON.stringify(check, null, 1);
    if (out) writeFileSync(out, text);
    else process.stdout.write(`${text}\n`);
    process.exit(check.ok ? 0 : 1);
  }
  if (process.argv.includes('--run-lines')) {
    const lines = JSON.parse(readFileSync(argumentAfter('--run-lines'), 'utf8'));
    writeFileSync(out, JSON.stringify(runLines(lines, shim)));
    return;
  }
  record();
}

if (process.argv[1] && path.resolve(process.argv[1]) === scriptPath) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`record-auditctl-verdicts: ${error.message}\n`);
    process.exit(1);
  }
}
