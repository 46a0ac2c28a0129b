import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnosticsOf } from './check-helpers';

/** The codes of the errors on a one-line file. */
function errorCodes(line: string): string[] {
  return diagnosticsOf(`${line}\n`).filter((entry) => entry.severity === 'error')
    .map((entry) => entry.code);
}

test('a line without any option is one no-option error, not one more per word', () => {
  // auditctl prints only "There was an error in line 1" here (reference §1.1), so no
  // stray-parameter quoting "parameter passed without an option given" goes with it.
  assert.deepEqual(errorCodes('\t'), ['no-option']);
  assert.deepEqual(errorCodes('w /etc/passwd'), ['no-option']);
  assert.deepEqual(errorCodes('always,exit arch=b64'), ['no-option']);
});

test('a stray word beside an option is still a stray-parameter error', () => {
  assert.deepEqual(errorCodes('-w /etc/passwd wa'), ['stray-parameter']);
});
