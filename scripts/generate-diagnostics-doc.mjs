// Writes docs/diagnostics.md from the code table (server/src/rules/codes.ts) and the
// examples below: one section per code, its anchor the code itself, with an example, the
// message the checker prints for it, and the fix. Run after changing codes or examples:
//   node scripts/generate-diagnostics-doc.mjs
// test/unit/rules/diagnostics-doc.test.ts fails when the document is out of date.
import { build } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bundle = join(mkdtempSync(join(tmpdir(), 'diagnostics-doc-')), 'rules.cjs');
await build({
  entryPoints: ['server/src/rules/index.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: bundle,
  logLevel: 'warning',
});
const require = createRequire(import.meta.url);
const { allCodes, checkRulesText, checkRuleset, formatMessage } = {
  ...require(bundle),
  ...(await loadRuleset()),
};

async function loadRuleset() {
  const rulesetBundle = bundle.replace('rules.cjs', 'ruleset.cjs');
  await build({
    entryPoints: ['server/src/rules/ruleset.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: rulesetBundle,
    logLevel: 'warning',
  });
  return { checkRuleset: require(rulesetBundle).checkRuleset };
}

const b64 = '-a always,exit -F arch=b64';

/**
 * code -> { example, fix, version?, note? }. `example` is one rules file; `files` a rules.d
 * (name -> text) for whole-ruleset codes. `fix` is the corrected text, or a sentence.
 */
const examples = {
  'crlf-line-ending': { example: `${b64} -S open -k files\r`, fix: `${b64} -S open -k files` },
  'tab-character': { example: '-w /etc/passwd\t-p wa', fix: '-w /etc/passwd -p wa' },
  'inline-comment': {
    example: '-w /etc/passwd -p wa # identity', fix: '# identity\n-w /etc/passwd -p wa',
  },
  'line-too-long': {
    example: `${b64} -S open -k ${'k'.repeat(20)} ${'-F a0!=1 '.repeat(700)}`,
    fix: 'Split the rule; no rule needs more than 63 fields anyway.',
    short: `${b64} -S open -F a0!=1 -F a0!=2 ... (6,300 bytes)`,
  },
  'unreadable-rules-file': {
    // Found while the CLI reads a folder, before the engine sees any text.
    listing: '$ ls -l rules.d\n-rw-r----- 10-base.rules\nlrwxrwxrwx 20-gone.rules -> /old/20.rules',
    args: { reason: 'a symbolic link to nothing' },
    fix: 'Remove the entry or make it a readable file: augenrules\'s `cat` fails on it.',
  },
  'rules-file-not-checked': {
    // Found while the CLI reads a folder, before the engine sees any text.
    listing: '$ ls -l rules.d\n-rw-r----- 1 root root      1843 30-stig.rules\n' +
      '-rw------- 1 root root       312 40-local.rules\n$ auditd-tools check rules.d   # as a user',
    args: { reason: 'permission denied' },
    fix: 'Check the folder as a user who can read every file in it (root, as augenrules runs).',
  },
  'sibling-not-read': {
    // Found by the language server when it lists the folder of the file being edited.
    listing: '$ ls -l rules.d\n-rw-r----- 1 root root      1843 30-stig.rules\n' +
      '-rw-r----- 1 root root  20971520 99-junk.rules',
    args: { file: '/etc/audit/rules.d/99-junk.rules', size: '20 MiB', limit: '8.0 MiB' },
    fix: 'Move the file out of rules.d if it is not rules; otherwise check the folder with ' +
      '`auditd-tools check /etc/audit/rules.d`, which reads files up to 64 MiB.',
  },
  'byte-order-mark': { example: '\ufeff-D\n-w /etc/passwd -p wa -k identity', fix: '-D' },
  'world-writable-rules-file': {
    // Found from the file's mode while the CLI reads it.
    listing: '$ ls -l rules.d\n-rw-rw-rw- 1 root root 812 30-stig.rules',
    args: { file: 'rules.d/30-stig.rules' },
    fix: '`chmod 640 rules.d/30-stig.rules`. A file checked alone is an error: auditctl -R ' +
      'refuses it; in a rules.d folder augenrules copies it without a word.',
  },
  'errno-without-minus': {
    example: `${b64} -S open -F exit=EACCES -k denied`,
    fix: `${b64} -S open -F exit=-EACCES -k denied`,
  },
  'exit-compared-unsigned': {
    example: `${b64} -S open -F exit<0 -k failed`, fix: `${b64} -S open -F success=0 -k failed`,
  },
  'nul-byte': {
    example: '-w /etc/pa\0sswd -p wa -k identity', fix: '-w /etc/passwd -p wa -k identity',
  },
  'words-dropped': { example: '-w /x -p r x x x x x x x x x', fix: '-w /x -p r' },
  'unknown-option': { example: '--foo', fix: 'Remove it, or use an option auditctl has.' },
  'ambiguous-option': { example: '--reset', fix: '--reset-lost' },
  'abbreviated-option': { example: '--backlog 60000', fix: '--backlog_wait_time 60000' },
  'missing-argument': {
    example: '-w /etc/passwd -p wa -k',
    fix: '-w /etc/passwd -p wa -k identity',
  },
  'stray-parameter': { example: '-w /etc/passwd wa', fix: '-w /etc/passwd -p wa' },
  'ignored-after-option': { example: '-i -e 1', fix: '-i\n-e 1' },
  'ignored-words': { example: '--loginuid-immutable x', fix: '--loginuid-immutable' },
  'no-option': { example: 'w /etc/passwd', fix: '-w /etc/passwd' },
  'option-as-argument': {
    example: '-w /etc/sudoers -p wa -k -F privilege', fix: '-w /etc/sudoers -p wa -k privilege',
  },
  'field-missing-F': { example: `${b64} -S ioctl -a1=0x5412`, fix: `${b64} -S ioctl -F a1=0x5412` },
  'nested-rules-file': {
    example: '-R /etc/audit/other.rules',
    fix: 'Put the other file in rules.d.',
  },
  'help-option': { example: '-h', fix: 'Remove the line.', version: '3.0.9' },
  'option-alone': { example: '-D -k', fix: '-D -k mykey' },
  'rule-not-sent': { example: `${b64} -S open -k files -i`, fix: `-i\n${b64} -S open -k files` },
  'bad-enable-value': { example: '-e 3', fix: '-e 2' },
  'bad-failure-value': { example: '-f 01', fix: '-f 1' },
  'bad-control-number': { example: '-r -5', fix: '-r 5' },
  'control-number-range': { example: '-b 99999999999999999999999', fix: '-b 8192' },
  'number-truncated': { example: '-b 99999999999', fix: '-b 8192' },
  'backlog-wait-time-range': {
    example: '--backlog_wait_time 700000',
    fix: '--backlog_wait_time 60000',
  },
  'backlog-wait-time-hz': {
    example: '--backlog_wait_time 200000',
    fix: '--backlog_wait_time 60000',
  },
  'unsupported-signal': {
    example: '--signal FOO',
    fix: 'Remove it; signal auditd with systemctl.',
  },
  'signal-in-rules-file': {
    example: '--signal HUP',
    fix: 'Remove it; signal auditd with systemctl.',
  },
  'bad-equivalence': { example: '-q /mnt/data', fix: '-q /mnt/data,/srv/data' },
  'equivalence-host': {
    example: '-q /mnt/data,/srv/data',
    fix: 'Nothing to change if the paths exist on the target.',
  },
  'illegal-message-character': { example: '-m hello\tworld', fix: '-m hello' },
  'after-immutable': { example: '-e 2\n-w /etc/passwd -p wa', fix: '-w /etc/passwd -p wa\n-e 2' },
  'bad-list-action': { example: '-a ALWAYS,exit -S all', fix: '-a always,exit -S all' },
  'unknown-list-kernel': { example: '-a always,exits', fix: '-a always,exit' },
  'list-case': { example: '-a always,EXIT -S all', fix: '-a always,exit -S all' },
  'deprecated-possible': { example: '-a exit,possible -S all', fix: '-a exit,always -S all' },
  'deprecated-form': {
    example: `${b64} -S open -F auid!=4294967295`,
    fix: `${b64} -S open -F auid!=unset`,
  },
  'legacy-watch': {
    example: '-w /etc/passwd -p wa -k identity',
    fix: '-a always,exit -F path=/etc/passwd -F perm=wa -k identity',
  },
  'multiple-rules': {
    example: `${b64} -S open -k a -a always,exit -F arch=b64 -S close -k b`,
    fix: `${b64} -S open -k a\n${b64} -S close -k b`,
  },
  'unknown-syscall': { example: `${b64} -S opne -k files`, fix: `${b64} -S open -k files` },
  'syscall-version': {
    example: `${b64} -S chmod,fchmodat2 -k perm`, fix: `${b64} -S chmod -k perm`, version: '3.0.9',
  },
  'unknown-uring-op': { example: '-a always,io_uring -S opn', fix: '-a always,io_uring -S openat' },
  'syscall-on-list': { example: '-a never,task -S open', fix: '-a never,exit -F arch=b64 -S open' },
  'syscall-without-list': { example: '-S open', fix: `${b64} -S open` },
  'syscall-ignored-on-list': { example: '-S open -a always,user', fix: '-a always,user' },
  'syscall-number': { example: `${b64} -S 263`, fix: `${b64} -S unlinkat` },
  'syscall-number-unassigned': {
    example: `${b64} -S 2000`,
    fix: 'Name the syscall you mean. A number that another auditctl version\'s table names is ' +
      'not unassigned: with --audit-version 3.0.9, `-S 452` on x86_64 is reported as ' +
      '"auditctl 3.0.9\'s x86_64 table has no name for syscall 452 (auditctl 4.2\'s names it ' +
      'fchmodat2): auditctl accepts the number, and the rule matches it on kernels that have ' +
      'fchmodat2." Keep the number while 3.0.9 loads the rules; write the name once every ' +
      'host has auditctl 4.2. Nor is 2032 to 2047: the kernel reads them as syscall classes ' +
      '(`-S 2039` loads as kill,tkill,tgkill on x86_64); name the syscalls instead. The ' +
      'kernel adds a class\'s numbers whatever the rule\'s arch, and the odd classes hold ' +
      'the 32-bit compat numbers: `-F arch=b64 -S 2046` (dir_write_32, i386\'s creat,link,...) ' +
      'loads as lseek,mmap,mprotect,...; the message says so and names the class of the ' +
      'rule\'s own width.',
  },
  'syscall-number-trailing': { example: `${b64} -S 2abc`, fix: `${b64} -S open` },
  'syscall-number-wrapped': { example: `${b64} -S 4294967355`, fix: `${b64} -S execve` },
  'missing-arch': {
    example: '-a always,exit -S open -k files', fix: `${b64} -S open -k files\n` +
      '-a always,exit -F arch=b32 -S open -k files',
  },
  'missing-b32-twin': {
    example: `${b64} -S adjtimex -k time`, fix: `${b64} -S adjtimex -k time\n` +
      '-a always,exit -F arch=b32 -S adjtimex -k time',
  },
  'arch-after-syscall': { example: '-a always,exit -S open -F arch=b64', fix: `${b64} -S open` },
  'bad-arch': { example: '-a always,exit -F arch=x64 -S open', fix: `${b64} -S open` },
  'foreign-arch': {
    example: '-a always,exit -F arch=aarch64 -S openat -k files',
    fix: 'Check rules meant for another machine with --arch (auditd.defaultArch in the ' +
      'editor) set to it, or for a 32-bit machine to the 64-bit one that runs it as compat ' +
      '(`--arch aarch64` for arm, `--arch x86_64` for i386), which accepts both; on this ' +
      'target, write -F arch=b64 (and its b32 twin).',
  },
  'multiple-arch': {
    example: '-a always,exit -F arch=b32 -F arch=b64 -S open',
    fix: `${b64} -S open\n-a always,exit -F arch=b32 -S open`,
  },
  'list-before-field': { example: '-F arch=b64 -a always,exit -S open', fix: `${b64} -S open` },
  'missing-operator': {
    example: '-a always,exit -F auid >= 1000',
    fix: '-a always,exit -F auid>=1000',
  },
  'missing-field-name': { example: '-a always,exit -F =1000', fix: '-a always,exit -F auid=1000' },
  'missing-value': { example: '-a always,exit -F uid=', fix: '-a always,exit -F uid=0' },
  'unknown-field': {
    example: `${b64} -S open -F obj=/opt/x`, fix: `${b64} -S open -F path=/opt/x`,
  },
  'field-not-on-list': { example: '-a always,task -F exit=1', fix: `${b64} -S all -F exit=1` },
  'field-never-evaluated': { example: '-a never,user -F euid=0', fix: '-a never,user -F uid=0' },
  'operator-not-allowed': {
    example: '-a always,exit -F arch<b64',
    fix: '-a always,exit -F arch=b64',
  },
  'operator-kernel': { example: `${b64} -S open -F uid&1`, fix: `${b64} -S open -F uid=1` },
  'not-a-number': { example: '-a always,exit -F pid=-1', fix: '-a always,exit -F pid=1' },
  'value-silently-zero': {
    example: '-a always,exit -F sessionid=foo', fix: '-a always,exit -F sessionid=1',
  },
  'value-trailing-characters': {
    example: '-a always,exit -F pid=12abc', fix: '-a always,exit -F pid=12',
  },
  'value-truncated': {
    example: '-a always,exit -F a0=0x1ffffffff',
    fix: '-a always,exit -F a0=0xffffffff',
  },
  'success-value': { example: `${b64} -S open -F success=2`, fix: `${b64} -S open -F success=1` },
  'unknown-user': {
    example: `${b64} -S all -F uid=chrony`, fix: 'Make sure the user exists where the rules load.',
  },
  'unknown-group': {
    example: `${b64} -S all -F gid=adm`, fix: 'Make sure the group exists where the rules load.',
  },
  'bad-group': { example: `${b64} -S all -F gid=unset`, fix: 'Remove the field or use a gid.' },
  'unknown-errno': {
    example: `${b64} -S open -F exit=-EACCESS`,
    fix: `${b64} -S open -F exit=-EACCES`,
  },
  'unknown-msgtype': {
    example: '-a always,exclude -F msgtype=CWDD',
    fix: '-a always,exclude -F msgtype=CWD',
  },
  'unknown-filetype': {
    example: `${b64} -S open -F filetype=pipe`,
    fix: `${b64} -S open -F filetype=fifo`,
  },
  'unknown-fstype': {
    example: '-a never,filesystem -F fstype=cgroup2', fix: '-a never,filesystem -F fstype=tracefs',
    version: '3.0.9',
  },
  'bad-perm': { example: '-w /etc/passwd -p rw+', fix: '-w /etc/passwd -p rw' },
  'value-too-large': {
    example: '-a always,exit -F saddr_fam=99',
    fix: '-a always,exit -F saddr_fam=10',
  },
  'string-too-long': {
    example: `-a always,exit -F path=/${'d'.repeat(4100)}`,
    short: '-a always,exit -F path=/ddd... (4,101 bytes)',
    fix: 'Watch a shorter path.',
  },
  'path-not-absolute': {
    example: '-a always,exit -F path=etc/passwd',
    fix: '-a always,exit -F path=/etc/passwd',
  },
  'path-trailing-slash': {
    example: '-a always,exit -F path=/etc/ssh/',
    fix: '-a always,exit -F dir=/etc/ssh/',
  },
  'multiple-paths': {
    example: '-a always,exit -F path=/etc/passwd -F path=/etc/shadow',
    fix: '-a always,exit -F path=/etc/passwd\n-a always,exit -F path=/etc/shadow',
  },
  'multiple-exe': {
    example: `${b64} -S open -F exe=/usr/bin/ls -F exe=/usr/bin/cat`,
    fix: `${b64} -S open -F exe=/usr/bin/ls\n${b64} -S open -F exe=/usr/bin/cat`,
  },
  'path-parent-host': {
    example: '-a always,exit -F dir=/srv/myapp/ -F perm=wa',
    fix: 'Nothing to change where /srv/myapp exists.',
  },
  'too-many-fields': {
    example: `${b64} ${Array.from({ length: 63 }, (_, i) => `-F a0!=${i}`).join(' ')}`,
    short: `${b64} -F a0!=0 -F a0!=1 ... -F a0!=62`,
    fix: 'Split the rule in two.',
  },
  'key-without-rule': {
    example: '-a always,exit -F auid>=1000 -k logins',
    fix: '-a always,exit -F auid>=1000 -S all -k logins',
  },
  'key-field-without-rule': {
    example: '-a never,user -F uid=0 -F key=x',
    fix: '-a never,user -F uid=0',
  },
  'key-too-long': {
    example: `${b64} -S open -k ${'k'.repeat(257)}`, short: `${b64} -S open -k kkkk... (257 bytes)`,
    fix: 'Use a key of at most 256 bytes.',
  },
  'key-has-cr': { example: `${b64} -S open -k files\r`, fix: `${b64} -S open -k files` },
  'key-shell-characters': {
    example: `${b64} -S open -k x;reboot`,
    fix: 'Pick a key of letters, digits, - and _, or quote it wherever it is searched for.',
  },
  'watch-with-rule': { example: '-a always,exit -w /etc/passwd', fix: '-w /etc/passwd' },
  'watch-path': { example: '-w etc/passwd -p wa', fix: '-w /etc/passwd -p wa' },
  'watch-path-notation': { example: '-w /etc/*.conf -p wa', fix: '-w /etc/ -p wa' },
  'watch-extra-fields': {
    example: '-w /etc/passwd -p wa -F uid=0',
    fix: '-a always,exit -F path=/etc/passwd -F perm=wa -F uid=0',
  },
  'perm-without-watch': { example: '-p wa', fix: '-w /etc/passwd -p wa' },
  'perm-without-fields': {
    example: '-a always,exit -p r',
    fix: '-a always,exit -F path=/etc/passwd -p r',
  },
  'bad-comparison': { example: '-a always,exit -C uid=gid', fix: '-a always,exit -C uid!=euid' },
  'duplicate-rule': {
    example: '-w /etc/passwd -p wa -k identity\n-w /etc/passwd -p wa -k identity',
    fix: '-w /etc/passwd -p wa -k identity',
  },
  'delete-unknown-rule': {
    example: '-W /etc/passwd -p wa',
    fix: 'Remove it, or load the rule first.',
  },
  // Whole-ruleset codes: a rules.d folder.
  'missing-final-newline': {
    files: { '10-a.rules': '-w /etc/passwd -p wa', '20-b.rules': '-w /etc/shadow -p wa\n' },
    fix: 'End every file with a newline.',
  },
  'control-line-dropped': {
    files: { '10-base.rules': '-b 8192\n', '20-more.rules': '-b 320\n' },
    fix: 'Keep one -b line, in 10-base.rules.',
  },
  'control-line-indented': {
    files: { '99-finalize.rules': '  -e 2\n', '30-rules.rules': '-w /etc/passwd -p wa\n' },
    fix: '-e 2',
  },
  'load-stops': {
    files: { 'audit.rules': '-D\n-f 3\n-w /etc/passwd -p wa\n' }, mode: 'file',
    fix: 'Fix the failing line, or put -c in 12-cont-fail.rules.',
  },
  'load-stopped-earlier': {
    files: { '10-base.rules': '-D\n-f 3\n', '30-local.rules': '-w /etc/passwd -p wa\n' },
    fix: 'Fix the failing line of the earlier file, or put -c before it.',
  },
  'delete-all-not-first': {
    files: { 'audit.rules': '-w /etc/passwd -p wa\n-D\n' }, mode: 'file',
    fix: 'Put -D first (augenrules moves the last bare -D to the top).',
  },
  'immutable-not-last': {
    files: { '10-a.rules': '-e 2\n-w /etc/passwd -p wa\n' }, mode: 'file',
    fix: 'Put -e 2 in 99-finalize.rules.',
  },
  'control-after-rules': {
    files: { 'audit.rules': '-w /etc/passwd -p wa\n-b 8192\n' }, mode: 'file',
    fix: 'Put the setting in 10-base-config.rules.',
  },
  'error-mode-changed': {
    files: { '12-a.rules': '-i\n', '13-b.rules': '-c\n', '30-c.rules': '-w /etc/passwd -p wa\n' },
    fix: 'Keep one of -i and -c.',
  },
  'error-mode-late': {
    files: { '30-a.rules': '-w /etc/passwd -p wa\n', '99-z.rules': '-c\n' },
    fix: 'Put -c in 12-cont-fail.rules.',
  },
  'never-after-always': {
    files: {
      '30-a.rules': `${b64} -S open -k files\n`,
      '40-b.rules': `-a never,exit -F arch=b64 -S open -F uid=33\n`,
    },
    fix: 'Move the never rule to a file that sorts first (20-dont-audit.rules).',
  },
  'file-name-split': {
    version: '3.0.9',
    files: {
      '30-main.rules': '-w /etc/passwd -p wa -k identity\n',
      '50-local rules.rules': '-w /etc/shadow -p wa -k identity\n',
    },
    fix: 'Rename the file to 50-local-rules.rules.',
  },
  'never-partly-pre-empted': {
    files: {
      '30-net.rules': `${b64} -S connect,bind -F saddr_fam=2 -k net_ipv4\n`,
      '99-noise.rules': `-a never,exit -F arch=b64 -S bind -F exe=/usr/sbin/named\n`,
    },
    fix: 'Move the never rule to a file that sorts first (20-dont-audit.rules).',
  },
  'always-under-never': {
    files: {
      '20-a.rules': `-a never,exit -F arch=b64 -S open\n`,
      '30-b.rules': `${b64} -S open -F auid>=1000 -k files\n`,
    },
    fix: 'Narrow the never rule, or move the always rule before it.',
  },
  'shadowed-rule': {
    files: {
      '30-a.rules': `${b64} -S open -k files\n`,
      '31-b.rules': `${b64} -S open -F auid>=1000 -k user-files\n`,
    },
    fix: 'Put the narrower rule first, or drop it.',
  },
  'task-never-all': {
    files: { '10-a.rules': '-a never,task\n', '30-b.rules': `${b64} -S open -k files\n` },
    fix: 'Remove -a never,task unless auditing of new tasks is to be off.',
  },
  'exclude-drops-everything': {
    files: { '10-a.rules': '-a always,exclude -F msgtype>=1000\n' },
    fix: 'Name the record types to drop.',
  },
  'path-not-caller': {
    files: { '30-a.rules': `-a never,exit -F arch=b64 -S all -F path=/usr/sbin/named\n` },
    fix: '-a never,exit -F arch=b64 -S all -F exe=/usr/sbin/named',
  },
};

const failures = [];

function render(code) {
  const info = allCodes.find((entry) => entry.code === code);
  const example = examples[code];
  const lines = [`## ${code}`, ''];
  if (example.mode === 'file') lines.push('_Loaded as one file with auditctl -R._', '');
  lines.push(`**${info.title}** · default severity: ${info.severity}` +
    (info.fix ? ` · quick fix: ${info.fix}` : ''));
  lines.push('');
  // A template that is only a placeholder (`{text}`) says nothing until filled: such codes
  // show what auditctl prints for the example below instead.
  const onlyPlaceholder = /^\{\w+\}$/.test(info.auditctl ?? '');
  const auditctlLine = lines.length;
  if (info.auditctl) {
    lines.push(`auditctl prints: \`${info.auditctl.replace(/\{(\w+)\}/g, '<$1>')}\``, '');
  } else {
    lines.push('auditctl prints no message of its own for this.', '');
  }
  if (!example) throw new Error(`no example for ${code}`);

  let found;
  if (example.listing) {
    found = { message: formatMessage(code, example.args) };
    lines.push('Example (a rules.d folder):', '', '```', example.listing, '```', '');
  } else if (example.files) {
    const files = Object.entries(example.files).map(([file, text]) => ({ file, text }));
    const result = checkRuleset(files, {
      mode: example.mode ?? 'augenrules', auditVersion: example.version,
    });
    found = result.diagnostics.find((entry) => entry.code === code);
    lines.push(`Example (a rules.d folder)${example.version
      ? `, as augenrules ${example.version} reads it` : ''}:`, '');
    for (const { file, text } of files) {
      lines.push(`\`${file}\`:`, '', '```', text.replace(/\n$/, ''), '```', '');
    }
  } else {
    const version = example.version ?? '4.2';
    found = checkRulesText(example.example, { auditVersion: version })
      .diagnostics.find((entry) => entry.code === code);
    lines.push(`Example${example.version ? ` (checked against auditctl ${version})` : ''}:`, '');
    const shown = (example.short ?? example.example).replace(/\r/g, '␍').replace(/\t/g, '⇥')
      .replace(/\0/g, '␀').replace(/\ufeff/g, '<U+FEFF>');
    lines.push('```', shown, '```', '');
  }
  if (!found) {
    failures.push(code);
    return '';
  }
  const quoted = / auditctl: "(.*)"$/.exec(found.message)?.[1];
  if (onlyPlaceholder && quoted) {
    lines[auditctlLine] = `auditctl prints (for the example below): \`${quoted}\``;
  }
  lines.push(`Reported as: ${found.message.replace(/\r/g, '␍').replace(/\t/g, '⇥')}`, '');

  const fixIsText = example.fix.startsWith('-') || example.fix.startsWith('#');
  if (fixIsText) lines.push('Fix:', '', '```', example.fix, '```', '');
  else lines.push(`Fix: ${example.fix}`, '');
  return lines.join('\n');
}

const header = `# Diagnostics

Every diagnostic of the rules checker (the CLI's \`check\`, the language server, the
engine's \`checkRulesText\` and \`checkRuleset\`) has a stable code from one table
(server/src/rules/codes.ts). This page has one section per code: its title, default
severity, what auditctl prints for the same problem, an example, the message the checker
gives for it, and the fix. "An error" means auditctl 3.0.9 / 4.2 or the kernel refuses
the line; a diagnostic marked host-dependent depends on the machine that loads the rules.

This file is generated by \`node scripts/generate-diagnostics-doc.mjs\`.
`;

const missing = allCodes.filter((entry) => !examples[entry.code]).map((entry) => entry.code);
if (missing.length > 0) throw new Error(`codes without an example: ${missing.join(', ')}`);

const body = allCodes.map((entry) => render(entry.code)).join('\n');
if (failures.length > 0) {
  throw new Error(`examples that do not report their code: ${failures.join(', ')}`);
}
writeFileSync('docs/diagnostics.md', `${header}\n${body}`);
console.log(`docs/diagnostics.md: ${allCodes.length} codes`);
