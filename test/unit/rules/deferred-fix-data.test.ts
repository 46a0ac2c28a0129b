import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRulesText } from '../../../server/src/rules/check';
import { FixData, diagnosticInFile } from '../../../server/src/rules/codes';
import type { RuleDiagnostic } from '../../../server/src/rules/diagnostics';

// Fix data made when first read (legacy-watch, missing-b32-twin) must read as plain data
// to every consumer: JSON, spreads, key walks, moves to another line, and a file stamp.

const watchLine = '-w /etc/passwd -p wa -k identity';
const twinLine = '-a always,exit -F arch=b64 -S unlinkat -k delete';

function found(text: string, code: string): RuleDiagnostic {
  const entry = checkRulesText(text).diagnostics.find((each) => each.code === code);
  assert.ok(entry, `${code} in ${text}`);
  return entry;
}

function firstEditLine(entry: RuleDiagnostic): number {
  return (entry.data as FixData).fixes[0].edits[0].range.start.line;
}

test('deferred fix data is an own key in the place plain data takes', () => {
  for (const [text, code] of [[watchLine, 'legacy-watch'], [twinLine, 'missing-b32-twin']]) {
    const entry = found(`${text}\n`, code);
    assert.deepEqual(Object.keys(entry), ['code', 'severity', 'range', 'message', 'data']);
    const spread = { ...entry };
    assert.ok((spread.data as FixData).fixes.length > 0);
    const json = JSON.parse(JSON.stringify(entry)) as RuleDiagnostic;
    assert.deepEqual(json.data, JSON.parse(JSON.stringify(entry.data)));
    // Read twice, the same object: made once.
    assert.equal(entry.data, entry.data);
  }
});

test('deferred fix data can be replaced like plain data', () => {
  const entry = found(`${watchLine}\n`, 'legacy-watch');
  entry.data = { fixes: [] };
  assert.deepEqual(entry.data, { fixes: [] });
});

test('a diagnostic moved by an edit above makes its fix for its new line', () => {
  const text = `${watchLine}\n${twinLine}\n`;
  const first = checkRulesText(text);
  const moved = checkRulesText(`# added\n# added\n${text}`, { previous: first });
  const watch = moved.diagnostics.find((each) => each.code === 'legacy-watch')!;
  const twin = moved.diagnostics.find((each) => each.code === 'missing-b32-twin')!;
  assert.equal(watch.range.start.line, 2);
  assert.equal(firstEditLine(watch), 2);
  assert.equal(twin.range.start.line, 3);
  assert.equal(firstEditLine(twin), 3);
  // The same as a check from scratch gives.
  const fresh = checkRulesText(`# added\n# added\n${text}`);
  assert.equal(JSON.stringify(moved.diagnostics), JSON.stringify(fresh.diagnostics));
});

test('a diagnostic stamped with its file keeps its deferred fix', () => {
  const entry = found(`${watchLine}\n`, 'legacy-watch');
  const stamped = diagnosticInFile(entry, 'a.rules');
  assert.equal(stamped.file, 'a.rules');
  assert.deepEqual(Object.keys(stamped),
    ['code', 'severity', 'range', 'message', 'data', 'file']);
  assert.equal(JSON.stringify(stamped.data), JSON.stringify(entry.data));
});
