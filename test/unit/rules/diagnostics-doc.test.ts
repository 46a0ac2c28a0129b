import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allCodes, codeDocumentation } from '../../../server/src/rules/codes';
import { checkRulesText } from '../../../server/src/rules/check';
import { repoRoot } from './check-helpers';

const doc = readFileSync(join(repoRoot, 'docs', 'diagnostics.md'), 'utf8');

/** The sections of the document by heading, as GitHub makes their anchors. */
function sections(): Map<string, string> {
  const found = new Map<string, string>();
  const parts = doc.split(/^## /m).slice(1);
  for (const part of parts) {
    const heading = part.slice(0, part.indexOf('\n')).trim();
    found.set(heading.toLowerCase(), part);
  }
  return found;
}

test('docs/diagnostics.md has one section per code, at the anchor the code links to', () => {
  const bySection = sections();
  for (const entry of allCodes) {
    const link = codeDocumentation(entry.code);
    const anchor = link.slice(link.indexOf('#') + 1);
    assert.ok(bySection.has(anchor), `no section for ${entry.code}`);
  }
  assert.equal(bySection.size, allCodes.length, 'a section for a code that does not exist');
});

test('each one-file example in the document still reports its code', () => {
  let checked = 0;
  for (const [anchor, section] of sections()) {
    const code = allCodes.find((entry) => entry.code.toLowerCase() === anchor)!.code;
    if (section.includes('(a rules.d folder)')) continue;
    const block = /Example[^\n]*:\n\n```\n([\s\S]*?)\n```/.exec(section);
    assert.ok(block, `${code}: no example`);
    if (block[1].includes('...')) continue; // shortened in the document
    const version = /checked against auditctl (3\.0\.9|4\.2)/.exec(section)?.[1] as
      '3.0.9' | '4.2' | undefined;
    const text = block[1].replace(/␍/g, '\r').replace(/⇥/g, '\t').replace(/␀/g, '\0')
      .replace(/<U\+FEFF>/g, '\ufeff');
    const codes = checkRulesText(text, { auditVersion: version ?? '4.2' }).diagnostics
      .map((entry) => entry.code);
    assert.ok(codes.includes(code), `${code}: example reports ${codes.join(', ')}`);
    checked++;
  }
  assert.ok(checked > 80, `only ${checked} examples checked`);
});
