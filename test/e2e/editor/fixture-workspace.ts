// Each run works on a fresh copy of the fixture workspace, so edits made by the tests
// (quick fixes, inserted rules) never reach the repository.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './suite-bundle';

export const fixtureWorkspace = join(repoRoot, 'test', 'e2e', 'workspace');

export function copyFixtureWorkspace(): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'auditd-tools-ws-')), 'workspace');
  cpSync(fixtureWorkspace, copy, { recursive: true });
  return copy;
}
