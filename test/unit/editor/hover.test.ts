import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRulesDocument } from '../../../server/src/rules/parse';
import { HoverOptions, hoverAt } from '../../../server/src/rules/hover';
import { checkRulesText } from '../../../server/src/rules/check';
import { plainHoverText } from '../../../server/src/rules/hoverText';

const x86: HoverOptions = { auditVersion: '4.2', hostMachine: 'x86_64' };

function hover(text: string, line: number, character: number, options = x86) {
  return hoverAt(parseRulesDocument(text), { line, character }, options);
}

/** The column of the n-th occurrence of `needle` in `text`, plus `offset`. */
function col(text: string, needle: string, offset = 0): number {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in ${text}`);
  return at + offset;
}

test('a syscall number on b64 names unlinkat, with timer_delete on b32 beside it', () => {
  const line = '-a always,exit -F arch=b64 -S 263 -k del';
  const result = hover(line, 0, col(line, '263', 1));
  assert.ok(result);
  assert.match(result.contents, /\*\*263\*\* on b64 \(x86_64\) is \*\*unlinkat\*\*/);
  assert.match(result.contents, /on b32 \(i386\) it is \*\*timer_delete\*\*/);
  assert.match(result.contents, /delete a name and possibly the file it refers to/);
  assert.deepEqual(result.range, {
    start: { line: 0, character: col(line, '263') },
    end: { line: 0, character: col(line, '263') + 3 },
  });
});

test('the same number under arch=b32 is timer_delete', () => {
  const line = '-a always,exit -F arch=b32 -S 263';
  const result = hover(line, 0, col(line, '263'));
  assert.ok(result);
  assert.match(result.contents, /\*\*263\*\* on b32 \(i386\) is \*\*timer_delete\*\*/);
  assert.match(result.contents, /on b64 \(x86_64\) it is \*\*unlinkat\*\*/);
});

test('a syscall name shows its number on each arch and a description', () => {
  const line = '-a always,exit -F arch=b64 -S open,openat -k access';
  const result = hover(line, 0, col(line, 'openat', 2));
  assert.ok(result);
  assert.match(result.contents, /\*\*openat\*\* is syscall 257 on b64 \(x86_64\)/);
  assert.match(result.contents, /\| b32 \(i386\) \| 295 \|/);
  assert.match(result.contents, /\| aarch64 \| 56 \|/);
  assert.match(result.contents, /open and possibly create a file/);
  assert.equal(result.range.start.character, col(line, 'openat'));
  assert.equal(result.range.end.character, col(line, 'openat') + 6);
});

test('a syscall the rule arch lacks says so and names the arch', () => {
  const line = '-a always,exit -F arch=aarch64 -S open';
  const result = hover(line, 0, col(line, 'open'));
  assert.ok(result);
  assert.match(result.contents, /\*\*open\*\* is not a syscall on aarch64/);
  assert.match(result.contents, /\| b64 \(x86_64\) \| 2 \|/);
});

test('a name only upstream knows tells which version has it', () => {
  const line = '-a always,exit -F arch=b64 -S fchmodat2';
  const result = hover(line, 0, col(line, 'fchmodat2'), { ...x86, auditVersion: '3.0.9' });
  assert.ok(result);
  assert.match(
    result.contents,
    /not in audit 3\.0\.9's table for b64 \(x86_64\); audit 4\.2 has it/,
  );
});

test('without -F arch the host table is used and the hover says so', () => {
  const line = '-a always,exit -S 59';
  const result = hover(line, 0, col(line, '59'));
  assert.ok(result);
  assert.match(result.contents, /\*\*59\*\* on b64 \(x86_64\) is \*\*execve\*\*/);
  assert.match(result.contents, /No `-F arch=` before this -S/);
});

test('a field name shows meaning, lists, operators, value kind and kernel', () => {
  const line = '-a always,exit -F arch=b64 -S execve -F exe=/usr/bin/sudo -k priv';
  const result = hover(line, 0, col(line, 'exe=', 1));
  assert.ok(result);
  assert.match(result.contents, /\*\*exe\*\* \(field 112\): full path of the executable/);
  assert.match(result.contents, /Operators: = !=/);
  assert.match(result.contents, /Needs kernel 4\.3 \(feature EXECUTABLE_PATH\)/);
  assert.equal(result.range.end.character - result.range.start.character, 3);
});

test('an operator the kernel refuses on the field is explained', () => {
  const line = '-a always,exit -S open -F uid&1';
  const result = hover(line, 0, col(line, '&'));
  assert.ok(result);
  assert.match(result.contents, /kernel refuses `&` on uid/);
});

test('list and action words', () => {
  const line = '-a never,exclude -F msgtype=CWD';
  assert.match(hover(line, 0, 4)!.contents, /\*\*never\*\* \(action\)/);
  assert.match(hover(line, 0, col(line, 'exclude'))!.contents, /\*\*exclude\*\* \(filter list\)/);
  const caps = '-a ALWAYS,exit';
  assert.match(hover(caps, 0, 4)!.contents, /case-sensitive/);
});

test('msgtype names and numbers', () => {
  const line = '-a never,exclude -F msgtype=CWD';
  assert.match(hover(line, 0, col(line, 'CWD'))!.contents, /\*\*CWD\*\* is 1307/);
  const number = '-a never,exclude -F msgtype=1307';
  assert.match(hover(number, 0, col(number, '1307'))!.contents, /1307 is \*\*CWD\*\*/);
});

test('errno names, arch values and perm letters', () => {
  const line = '-a always,exit -F arch=b32 -S open -F exit=-EACCES -F perm=wa -k a';
  assert.match(hover(line, 0, col(line, 'EACCES'))!.contents, /\*\*EACCES\*\* is errno 13/);
  assert.match(hover(line, 0, col(line, 'b32'))!.contents, /\*\*i386\*\* \(32-bit/);
  assert.match(hover(line, 0, col(line, '=wa', 1))!.contents, /`w` write/);
  const watch = '-w /etc/shadow -p rwxa -k shadow';
  const perms = hover(watch, 0, col(watch, 'rwxa'))!.contents;
  assert.match(perms, /`r` read/);
  assert.match(perms, /`a` attribute change/);
});

test('every option has a hover', () => {
  const lines = [
    '-D', '-b 8192', '-f 1', '-r 100', '-e 2', '-i', '-c', '--backlog_wait_time 60000',
    '--loginuid-immutable', '--reset-lost', '-w /etc -p wa -k etc', '-a always,exit -S all -k x',
    '-A always,exit -S all -C uid!=euid -k y', '-d always,exit -S all', '-W /etc', '-l', '-s',
    '-t', '-v', '-m hi', '--signal HUP', '-q /a,/b', '-R file', '-h',
  ];
  for (const line of lines) {
    const document = parseRulesDocument(line);
    for (const option of document.lines[0].options) {
      const result = hoverAt(document, option.range.start, x86);
      assert.ok(result, `no hover for ${option.written} in ${line}`);
      assert.ok(result.contents.length > 10);
    }
  }
});

test('hovering -a or -w of a checked rule also says what the rule does', () => {
  const text = '-a always,exit -F arch=b64 -S openat -F success=0 -F auid>=1000 -k access';
  const checked = checkRulesText(text, x86);
  const result = hoverAt(checked.document, { line: 0, character: 1 }, {
    ...x86,
    rules: checked.rules,
  });
  assert.ok(result);
  assert.match(result.contents, /^This rule .*openat.*access/);
  assert.match(result.contents, /\*\*-a list,action\*\*/);
});

test('control values: -e 2 locks, -f 2 panics, a bad -e value lists the choices', () => {
  assert.match(hover('-e 2', 0, 3)!.contents, /lock the configuration/);
  assert.match(hover('-f 2', 0, 3)!.contents, /panic/);
  assert.match(hover('-e 3', 0, 3)!.contents, /not a value -e takes/);
});

test('a key says how many rules share it', () => {
  const text = [
    '-w /etc/passwd -p wa -k identity',
    '-w /etc/group -p wa -k identity',
    '-a always,exit -F arch=b64 -S setuid -F key=identity',
    '-w /etc/shadow -p wa -k shadow',
  ].join('\n');
  const document = parseRulesDocument(text);
  const first = hoverAt(document, { line: 0, character: 26 }, x86);
  assert.ok(first);
  assert.match(first.contents, /Key \*\*identity\*\*: 3 rules in this file share it/);
  const single = hoverAt(document, { line: 3, character: 27 }, x86);
  assert.match(single!.contents, /Key \*\*shadow\*\*: 1 rule in this file has it/);
});

test('comments, blank lines and positions past the end have no hover', () => {
  assert.equal(hover('# -a always,exit', 0, 3), undefined);
  assert.equal(hover('', 0, 0), undefined);
  assert.equal(hover('-D', 5, 0), undefined);
  assert.equal(hover('-a always,exit -S open', 0, 100), undefined);
});

test('a syscall number reads as -S reads it, and says what the checker says of it', () => {
  const cases: [string, string, RegExp][] = [
    ['-a always,exit -F arch=b64 -S 4294967355 -k a', '4294967355',
      /^auditctl keeps the low 32 bits of 4294967355 as a signed int and reads it as syscall 59 /],
    ['-a always,exit -F arch=b64 -S 0x100000003b -k a', '0x100000003b',
      /reads it as syscall 59 \(execve on x86_64\)\.\n\n59 on b64 \(x86_64\) is execve;/],
    ['-a always,exit -F arch=b64 -S 59abc -k a', '59abc',
      /^auditctl reads "59abc" as syscall 59 and ignores the rest\.\n\n59 on b64 \(x86_64\) is /],
    ['-a always,exit -F arch=b64 -S 2039 -k a', '2039',
      /^2039 is a syscall class, not a syscall: .*\(class 8, signal\)/],
    ['-a always,exit -F arch=b64 -S 2046 -k a', '2046',
      /\(class 1, dir_write_32\).* they are unrelated syscalls/],
    ['-a always,exit -F arch=b64 -S 452 -k a', '452',
      /^auditctl 3\.0\.9's x86_64 table has no name for syscall 452 \(auditctl 4\.2's names it /],
  ];
  for (const [line, word, expected] of cases) {
    const options = word === '452' ? { ...x86, auditVersion: '3.0.9' as const } : x86;
    const result = hover(line, 0, col(line, word, 1), options);
    assert.ok(result, line);
    const plain = plainHoverText(result.contents);
    assert.match(plain, expected, plain);
    assert.doesNotMatch(plain, /is no syscall/, line);

    // Word for word what the checker reports on the number.
    const checked = checkRulesText(line, options).diagnostics.filter((entry) =>
      ['syscall-number-wrapped', 'syscall-number-trailing', 'syscall-number-unassigned']
        .includes(entry.code));
    assert.ok(checked.length > 0, line);
    for (const entry of checked) assert.ok(plain.includes(entry.message), entry.message);
  }

  const refused = '-a always,exit -F arch=b64 -S 4294967295 -k a';
  const result = hover(refused, 0, col(refused, '4294967295', 1));
  assert.match(plainHoverText(result!.contents), /^auditctl refuses 4294967295 as a syscall/);
});

test('an io_uring operation number reads as -S reads it', () => {
  const plain = '-a always,io_uring -S 18';
  const named = hover(plain, 0, col(plain, '18'))!.contents;
  assert.match(named, /^io_uring operation \*\*\w+\*\* \(18\)$/);
  for (const line of ['-a always,io_uring -S 4294967314', '-a always,io_uring -S 18abc']) {
    assert.equal(hover(line, 0, col(line, 'S ', 3))!.contents, named, line);
  }
});
