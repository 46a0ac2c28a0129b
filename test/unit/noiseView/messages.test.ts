import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../../client/src/noiseView/messages';

function rejected(value: unknown): string {
  const parsed = parseWebviewMessage(value);
  assert.equal(parsed.ok, false, `accepted ${JSON.stringify(value)}`);
  return parsed.ok ? '' : parsed.error;
}

test('accepts each command in its documented shape', () => {
  const valid: unknown[] = [
    { command: 'ready' },
    { command: 'insertRules' },
    { command: 'copyRules' },
    { command: 'openRules' },
    { command: 'refresh' },
    { command: 'openRecord', source: 0, line: 12 },
    { command: 'requestSamples', exe: '/usr/sbin/named' },
    { command: 'requestSamples', exe: '/usr/sbin/named', syscall: 'sendto', key: 'net' },
    { command: 'setMaxLogFile', megabytes: 8 },
    {
      command: 'selectionChanged',
      selection: {
        exes: ['/usr/sbin/named'], exeSyscalls: [{ exe: '/usr/bin/x', syscalls: ['openat'] }],
        keys: ['k'], types: ['PROCTITLE'], paths: [],
      },
    },
  ];
  for (const value of valid) {
    const parsed = parseWebviewMessage(value);
    assert.ok(parsed.ok, `rejected ${JSON.stringify(value)}: ${parsed.ok ? '' : parsed.error}`);
    assert.deepEqual(parsed.message, value);
  }
});

test('fills absent selection lists with empty ones', () => {
  const parsed = parseWebviewMessage({ command: 'selectionChanged', selection: { keys: ['a'] } });
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.message, {
    command: 'selectionChanged',
    selection: { exes: [], exeSyscalls: [], keys: ['a'], types: [], paths: [] },
  });
});

test('rejects what is not a message', () => {
  assert.match(rejected(null), /message must be an object/);
  assert.match(rejected('ready'), /message must be an object/);
  assert.match(rejected([{ command: 'ready' }]), /message must be an object/);
  assert.match(rejected({}), /command must be a string/);
  assert.match(rejected({ command: 7 }), /command must be a string/);
  assert.match(rejected({ command: 'runShell' }), /unknown command "runShell"/);
  assert.match(rejected({ command: '__proto__' }), /unknown command/);
});

test('rejects unknown fields, on the message and inside the selection', () => {
  assert.match(rejected({ command: 'ready', extra: 1 }), /unknown field "extra"/);
  assert.match(rejected({ command: 'insertRules', path: '/etc/passwd' }), /unknown field "path"/);
  assert.match(rejected({ command: 'copyRules', rules: '-D' }), /unknown field "rules"/);
  assert.match(
    rejected({ command: 'selectionChanged', selection: { exes: [], rule: '-e 0' } }),
    /selection has unknown field "rule"/,
  );
  assert.match(
    rejected({
      command: 'selectionChanged',
      selection: { exeSyscalls: [{ exe: '/a', syscalls: [], text: 'x' }] },
    }),
    /exeSyscalls\[0\] has unknown field "text"/,
  );
});

test('rejects wrong types and out-of-range values', () => {
  assert.match(rejected({ command: 'openRecord', source: '0', line: 1 }),
    /source must be an integer/);
  assert.match(rejected({ command: 'openRecord', source: 0, line: 0 }), /line must be an integer/);
  assert.match(rejected({ command: 'openRecord', source: -1, line: 3 }), /source/);
  assert.match(rejected({ command: 'openRecord', source: 0, line: 1.5 }), /line/);
  assert.match(rejected({ command: 'openRecord', source: 0 }), /line must be an integer/);
  assert.match(rejected({ command: 'setMaxLogFile', megabytes: 0 }), /megabytes/);
  assert.match(rejected({ command: 'setMaxLogFile', megabytes: Infinity }), /megabytes/);
  assert.match(rejected({ command: 'requestSamples' }), /exe must be a string/);
  assert.match(rejected({ command: 'requestSamples', exe: '' }), /1 to \d+ characters/);
  assert.match(rejected({ command: 'requestSamples', exe: 'x'.repeat(5000) }), /characters/);
  assert.match(
    rejected({ command: 'requestSamples', exe: '/a', syscall: 59 }), /syscall must be a string/,
  );
  assert.match(
    rejected({ command: 'selectionChanged', selection: { exes: '/usr/bin/a' } }),
    /selection.exes must be an array/,
  );
  assert.match(
    rejected({ command: 'selectionChanged', selection: { exes: [{ exe: '/a' }] } }),
    /selection.exes\[0\] must be a string/,
  );
  assert.match(
    rejected({ command: 'selectionChanged', selection: { keys: new Array(5001).fill('k') } }),
    /more than 5000/,
  );
  assert.match(rejected({ command: 'selectionChanged' }), /selection must be an object/);
});
