import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseRequest } from '../../../server/src/lsp/analysis';
import { defaultSettings } from '../../../server/src/lsp/settings';

function messageFor(bytes: number): string {
  const limit = 8 << 20;
  const analysis = analyseRequest({
    uri: 'file:///etc/audit/rules.d/30-stig.rules', version: 1,
    file: '/etc/audit/rules.d/30-stig.rules', text: () => '-D\n',
    folder: {
      siblings: () => [], signature: '',
      notRead: [{ file: '/etc/audit/rules.d/99-junk.rules', bytes, limit }],
    },
  }, defaultSettings);
  const found = analysis.diagnostics.find((entry) => entry.code === 'sibling-not-read');
  assert.ok(found, analysis.diagnostics.map((entry) => entry.code).join(', '));
  assert.deepEqual(found.range.start, { line: 0, character: 0 });
  return found.message;
}

test('sibling-not-read: the size beside the limit, in bytes where both would read alike', () => {
  assert.match(messageFor(100 << 20), /99-junk\.rules in this folder holds 100 MiB, more than /);
  assert.match(messageFor(9 << 20),
    /holds 9\.0 MiB, more than the editor reads beside an open file \(8\.0 MiB\)/);
  assert.match(messageFor((8 << 20) + 1), /holds 8,388,609 bytes, more than .* \(8\.0 MiB\)/);
});
