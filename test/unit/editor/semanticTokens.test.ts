import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRulesDocument } from '../../../server/src/rules/parse';
import {
  encodeSemanticTokens,
  semanticTokens,
} from '../../../server/src/rules/semanticTokens';

const x86 = { auditVersion: '4.2' as const, hostMachine: 'x86_64' as const };

test('a syscall the rule arch lacks is marked unavailable; known ones are not', () => {
  const line = '-a always,exit -F arch=aarch64 -S open,openat -k x';
  const tokens = semanticTokens(parseRulesDocument(line), x86).filter((t) => t.type === 'syscall');
  assert.deepEqual(tokens.map((t) => [line.substr(t.character, t.length), t.modifiers]), [
    ['open', ['unavailable']],
    ['openat', []],
  ]);
});

test('the same name is fine on b64 of an x86_64 host', () => {
  const line = '-a always,exit -F arch=b64 -S open';
  const tokens = semanticTokens(parseRulesDocument(line), x86).filter((t) => t.type === 'syscall');
  assert.deepEqual(tokens[0].modifiers, []);
});

test('version matters: fchmodat2 is unavailable in 3.0.9', () => {
  const line = '-a always,exit -F arch=b64 -S fchmodat2';
  const old = semanticTokens(parseRulesDocument(line), { ...x86, auditVersion: '3.0.9' });
  assert.deepEqual(old.find((t) => t.type === 'syscall')?.modifiers, ['unavailable']);
});

test('numbers, unknown fields and keys', () => {
  const line = '-a always,exit -F arch=b64 -S 263 -F bogus=1 -F key=k1 -k k2';
  const tokens = semanticTokens(parseRulesDocument(line), x86);
  const described = tokens.map((t) => [line.substr(t.character, t.length), t.type, t.modifiers]);
  assert.deepEqual(described, [
    ['arch', 'auditField', []],
    ['263', 'syscall', ['numeric']],
    ['bogus', 'auditField', ['unknown']],
    ['key', 'auditField', []],
    ['k1', 'auditKey', []],
    ['k2', 'auditKey', []],
  ]);
});

test('a field the rule list does not take is marked unavailable', () => {
  const line = '-a always,exit -F arch=b64 -S open -F msgtype=CWD -F auid>=1000 -k x';
  const fields = semanticTokens(parseRulesDocument(line), x86)
    .filter((t) => t.type === 'auditField')
    .map((t) => [line.substr(t.character, t.length), t.modifiers]);
  assert.deepEqual(fields, [['arch', []], ['msgtype', ['unavailable']], ['auid', []]]);

  const exclude = '-a never,exclude -F euid=0';
  const old = semanticTokens(parseRulesDocument(exclude), { ...x86, auditVersion: '3.0.9' });
  assert.deepEqual(old.find((t) => t.type === 'auditField')?.modifiers, ['unavailable']);
  const upstream = semanticTokens(parseRulesDocument(exclude), x86);
  assert.deepEqual(upstream.find((t) => t.type === 'auditField')?.modifiers, []);
});

test('the relative encoding', () => {
  const data = encodeSemanticTokens([
    { line: 2, character: 5, length: 3, type: 'syscall', modifiers: ['unavailable'] },
    { line: 2, character: 10, length: 2, type: 'auditKey', modifiers: [] },
    { line: 4, character: 1, length: 4, type: 'auditField', modifiers: ['unknown'] },
  ]);
  assert.deepEqual(data, [2, 5, 3, 0, 1, 0, 5, 2, 2, 0, 2, 1, 4, 1, 2]);
});

test('a -S number is known as -S reads it: cut to 32 bits, trailing characters ignored', () => {
  const line = '-a always,exit -F arch=b64 -S 4294967355,59abc,0x10000003b,4294967295 -k x';
  const tokens = semanticTokens(parseRulesDocument(line), x86).filter((t) => t.type === 'syscall');
  assert.deepEqual(tokens.map((t) => [line.substr(t.character, t.length), t.modifiers]), [
    ['4294967355', ['numeric']],
    ['59abc', ['numeric']],
    ['0x10000003b', ['numeric']],
    ['4294967295', ['numeric', 'unavailable']],
  ]);
});
