// What the browser checks on the workbench page when the in-editor suite reaches a
// checkpoint: what a user would see, read from the DOM, with screenshots kept as artefacts.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { CheckpointOutcome } from './exchange';
import { artifactsDir } from './editor-suite';
import type { CheckpointHandler } from './workbench';

const waitMs = 10_000;

async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** The visible editor shows `expected.text`. */
async function editorText(page: Page, expected: Record<string, string>):
  Promise<CheckpointOutcome> {
  const lines = page.locator('.editor-instance .monaco-editor .view-lines').first();
  await lines.filter({ hasText: expected.text }).waitFor({ timeout: waitMs });
  return { ok: true, message: 'the editor shows the text' };
}

/** At least `expected.minimum` red squiggles under the visible editor's text. */
async function errorSquiggles(page: Page, expected: Record<string, string>):
  Promise<CheckpointOutcome> {
  const minimum = Number(expected.minimum);
  const squiggles = page.locator('.editor-instance .monaco-editor .squiggly-error');
  const started = Date.now();
  while (await squiggles.count() < minimum && Date.now() - started < waitMs) {
    await page.waitForTimeout(100);
  }
  const count = await squiggles.count();
  return count >= minimum
    ? { ok: true, message: `${count} error squiggles` }
    : { ok: false, message: `${count} error squiggles in the editor, expected ${minimum}` };
}

/** The Problems panel lists `expected.file` with at least `expected.minimum` problems. */
async function problemsPanel(page: Page, expected: Record<string, string>):
  Promise<CheckpointOutcome> {
  const panel = page.locator('.markers-panel');
  await panel.waitFor({ state: 'visible', timeout: waitMs });
  await panel.locator('.monaco-list-row').filter({ hasText: expected.file })
    .first().waitFor({ timeout: waitMs });

  // A file's heading row has no severity icon; each problem's row has one.
  const rows = panel.locator('.monaco-list-row');
  const problems = await panel.locator('.monaco-list-row .marker-icon').count();
  const path = await screenshot(page, expected.screenshot ?? 'problems-panel');
  const minimum = Number(expected.minimum);
  if (problems < minimum) {
    const text = (await rows.allInnerTexts()).join(' | ');
    return { ok: false, message: `${problems} problems shown, expected ${minimum}: ${text}` };
  }
  return { ok: true, message: `${problems} problems shown; screenshot ${path}` };
}

/** The editor's hover widget is visible and shows `expected.text`. */
async function hoverWidget(page: Page, expected: Record<string, string>):
  Promise<CheckpointOutcome> {
  const hover = page.locator('.monaco-hover:visible').filter({ hasText: expected.text });
  try {
    await hover.first().waitFor({ timeout: waitMs });
  } catch {
    await screenshot(page, 'hover-missing');
    const shown = await page.locator('.monaco-hover').allInnerTexts();
    return { ok: false, message: `no visible hover with "${expected.text}"; hovers: ${shown}` };
  }
  const path = await screenshot(page, expected.screenshot ?? 'hover');
  return { ok: true, message: `hover shown; screenshot ${path}` };
}

/**
 * The active webview shows every line of `expected.texts`, read from its DOM: a webview is
 * an iframe whose document holds a second iframe, #active-frame, with the view's content.
 * With `expected.row`, the texts must fill cells of one table row (`expected.row` may be a
 * selector for the row; "1" means any row). With `expected.theme`
 * (vscode-dark, vscode-light...), it also waits for the class VS Code puts on the view's
 * body once the theme has reached it.
 */
async function webviewText(page: Page, expected: Record<string, string>):
  Promise<CheckpointOutcome> {
  const view = page.frameLocator('iframe.webview').frameLocator('#active-frame');
  const body = view.locator('body');
  const texts = expected.texts.split('\n');
  // A row qualifies when each text fills one of its cells exactly: "2" must not match 12.
  let rows = view.locator(expected.row && expected.row !== '1' ? expected.row : 'tr');
  for (const text of texts) {
    const exactly = new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
    rows = rows.filter({ has: view.locator('td', { hasText: exactly }) });
  }
  const started = Date.now();
  let shown = '';
  while (Date.now() - started < waitMs) {
    shown = await body.innerText({ timeout: waitMs }).catch(() => '');
    const themed = !expected.theme ||
      await body.evaluate((element, theme) => element.classList.contains(theme), expected.theme)
        .catch(() => false);
    const inOneRow = !expected.row || await rows.count() > 0;
    if (themed && inOneRow && texts.every((text) => shown.includes(text))) {
      const path = await screenshot(page, expected.screenshot ?? 'webview');
      return { ok: true, message: `the view shows ${texts.join(', ')}; screenshot ${path}` };
    }
    await page.waitForTimeout(200);
  }
  await screenshot(page, `${expected.screenshot ?? 'webview'}-missing`);
  const missing = texts.filter((text) => !shown.includes(text));
  if (missing.length === 0) {
    return { ok: false, message: `the view never showed ${texts.join(', ')} in one row ` +
      `with the ${expected.theme ?? 'current'} theme` };
  }
  return {
    ok: false,
    message: `the view does not show ${missing.join(', ')}; it shows: ${shown.slice(0, 1_000)}`,
  };
}

/**
 * In the noise view, selects the row of `expected.exe`, waits for the proposed rules to read
 * `expected.rules`, presses "Insert into rules file" and picks `expected.target` in the
 * quick pick that follows (hooks: docs/design-noise-view.md).
 */
async function noiseInsert(page: Page, expected: Record<string, string>):
  Promise<CheckpointOutcome> {
  const view = page.frameLocator('iframe.webview').frameLocator('#active-frame');
  const row = view.locator(`[data-testid="exe-row"][data-key="${expected.exe}"]`);
  await row.getByTestId('row-select').check({ timeout: waitMs });

  const preview = view.getByTestId('preview-rules');
  const rules = expected.rules.split('\n');
  const started = Date.now();
  let proposed = '';
  while (Date.now() - started < waitMs) {
    proposed = await preview.innerText().catch(() => '');
    if (rules.every((rule) => proposed.includes(rule))) break;
    await page.waitForTimeout(100);
  }
  if (!rules.every((rule) => proposed.includes(rule))) {
    return { ok: false, message: `the view proposes:\n${proposed}\nnot:\n${expected.rules}` };
  }
  await screenshot(page, 'editor-noise-view-selection');

  await view.getByTestId('insert-rules').click();
  const quickInput = page.locator('.quick-input-widget');
  await quickInput.waitFor({ state: 'visible', timeout: waitMs });
  await page.keyboard.type(expected.target);
  await quickInput.locator('.monaco-list-row').filter({ hasText: expected.target })
    .first().waitFor({ timeout: waitMs });
  await page.keyboard.press('Enter');
  return { ok: true, message: `inserted into ${expected.target}` };
}

export const workbenchChecks: Record<string, CheckpointHandler> = {
  'editor-text': editorText,
  'error-squiggles': errorSquiggles,
  'problems-panel': problemsPanel,
  'hover-widget': hoverWidget,
  'webview-text': webviewText,
  'noise-insert': noiseInsert,
};
