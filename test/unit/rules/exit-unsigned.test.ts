import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnosticsOf, expectOne } from './check-helpers';

const rule = (condition: string) => `-a always,exit -F arch=b64 -S open -F ${condition} -k a`;

test('exit<0 never matches: the kernel compares exit unsigned', () => {
  const found = expectOne(rule('exit<0'), { code: 'exit-compared-unsigned',
    severity: 'warning', range: [38, 44] });
  assert.match(found.message, /exit<0 never matches/);
  assert.match(expectOne(rule('exit>=0'), { code: 'exit-compared-unsigned',
    severity: 'warning', range: [38, 45] }).message, /exit>=0 matches every return value/);
});

test('an ordering against a negative exit names the unsigned number it compares with', () => {
  const found = expectOne(rule('exit<-1'), { code: 'exit-compared-unsigned',
    severity: 'warning', range: [38, 45] });
  assert.match(found.message, /compares with 4294967295/);
});

test('equality and positive bounds are left alone', () => {
  for (const condition of ['exit=-13', 'exit!=0', 'exit>0x10', 'exit<=4096', 'success=0']) {
    const codes = diagnosticsOf(rule(condition)).map((entry) => entry.code);
    assert.ok(!codes.includes('exit-compared-unsigned'), `${condition}: ${codes.join(', ')}`);
  }
});
