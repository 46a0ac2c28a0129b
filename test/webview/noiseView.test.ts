// The noise view's front end in headless Chromium, fed by the real log engine: rendering,
// sorting, filtering, selection -> messages, state across a reload, hostile log content,
// and screenshots in the dark, light and high-contrast themes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { analyzeLogs } from '../../server/src/log/analyze';
import { toAuditViewReport, toMdatpViewReport } from '../../client/src/noiseView/reportAdapter';
import { auditPreview, mdatpPreview } from '../../client/src/noiseView/preview';
import { analyzeMdatpStatistics } from '../../server/src/log/mdatp';
import { findSampleRecords } from '../../client/src/noiseView/sampleRecords';
import type { AuditViewReport } from '../../client/src/noiseView/viewReport';
import type { NoiseSelection } from '../../client/src/noiseView/messages';
import type { NoiseReport } from '../../server/src/log/report';
import {
  artifactsDir, launchChromium, missingPrerequisite, openViewPage, repoRoot, servePage,
  type PageServer, type Theme, type ViewPage,
} from './noiseViewPage';

const skipReason = missingPrerequisite();
const sampleLog = join(repoRoot, 'samples', 'audit.log');

let browser: Browser | undefined;
let server: PageServer | undefined;
let sample: { report: NoiseReport; view: AuditViewReport } | undefined;

async function analysed(files: string[]): Promise<{ report: NoiseReport; view: AuditViewReport }> {
  const report = await analyzeLogs(files, { workers: 1 });
  const sources = files.map((file) => ({ label: basename(file), bytes: statSync(file).size }));
  return { report, view: toAuditViewReport(report, sources) };
}

before(async () => {
  if (skipReason) return;
  browser = await launchChromium();
  server = await servePage();
  sample = await analysed([sampleLog]);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openWithReport(theme: Theme = 'dark'): Promise<ViewPage> {
  assert.ok(browser && server && sample);
  const view = await openViewPage(browser, server, theme);
  await view.send({ command: 'report', report: sample.view, files: [`file://${sampleLog}`] });
  await view.page.getByTestId('exe-row').first().waitFor();
  return view;
}

const emptySelection = (): NoiseSelection =>
  ({ exes: [], exeSyscalls: [], keys: [], types: [], paths: [] });

test('renders the summary and the top executable with the engine\'s counts', {
  skip: skipReason,
}, async () => {
  assert.ok(sample);
  const { page, pageErrors, violations } = await openWithReport();
  const top = sample.report.byExe[0];

  assert.equal(await page.getByTestId('summary-events').textContent(),
    sample.report.events.toLocaleString('en-US'));
  assert.equal(await page.getByTestId('summary-records').textContent(),
    sample.report.records.toLocaleString('en-US'));
  const firstRow = page.getByTestId('exe-row').first();
  assert.equal(await firstRow.getAttribute('data-key'), top.exe);
  assert.equal(await firstRow.getByTestId('exe-events').textContent(),
    top.events.toLocaleString('en-US'));
  assert.equal(await page.getByTestId('exe-row').count(), sample.view.byExe.length);

  // chart.js drew on both canvases (a blank canvas has no painted pixel).
  for (const id of ['chart-top', 'chart-timeline']) {
    const painted = await page.getByTestId(id).evaluate((canvas) => {
      const c = canvas as unknown as {
        width: number; height: number;
        getContext(kind: '2d'): { getImageData(...a: number[]): { data: Uint8ClampedArray } };
      };
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
      return false;
    });
    assert.ok(painted, `${id} is blank`);
  }

  assert.deepEqual(pageErrors, []);
  assert.deepEqual(await violations(), []);
  await page.close();
});

test('sorts by each column and filters rows', { skip: skipReason }, async () => {
  assert.ok(sample);
  const { page } = await openWithReport();
  const keys = () => page.getByTestId('exe-row').evaluateAll(
    (rows) => rows.map((row) => (row as unknown as { dataset: { key: string } }).dataset.key));

  const byName = [...sample.view.byExe].map((row) => row.exe)
    .sort((a, b) => a.localeCompare(b));
  await page.getByTestId('sort-exe-exe').click();
  assert.deepEqual(await keys(), byName, 'ascending by name');
  await page.getByTestId('sort-exe-exe').click();
  assert.deepEqual(await keys(), [...byName].reverse(), 'descending by name');

  await page.getByTestId('sort-exe-bytes').click();
  const byBytes = [...sample.view.byExe].sort((a, b) => b.bytes - a.bytes).map((r) => r.exe);
  assert.deepEqual(await keys(), byBytes, 'descending by bytes');

  await page.getByTestId('filter-input').fill('bin/d');
  const filtered = byBytes.filter((exe) => exe.toLowerCase().includes('bin/d'));
  assert.ok(filtered.length > 0 && filtered.length < byBytes.length);
  assert.deepEqual(await keys(), filtered);
  assert.equal(await page.getByTestId('exe-count').textContent(),
    `${filtered.length} of ${byBytes.length}`);

  // Other tables sort and filter the same way.
  await page.getByTestId('tab-syscall').click();
  await page.getByTestId('sort-syscall-number').click();
  const numbers = await page.getByTestId('syscall-number').allTextContents();
  const ascending = numbers.map(Number);
  assert.ok(ascending.length > 1);
  assert.ok(ascending.every((n, i) => i === 0 || ascending[i - 1] >= n), 'numbers descending');
  await page.getByTestId('tab-type').click();
  await page.getByTestId('filter-input').fill('PROCTITLE');
  assert.deepEqual(await page.getByTestId('type-type').allTextContents(), ['PROCTITLE']);
  await page.close();
});

test('selection posts selectionChanged; the preview and its buttons post their commands', {
  skip: skipReason,
}, async () => {
  assert.ok(sample);
  const view = await openWithReport();
  const { page } = view;
  const top = sample.view.byExe[0].exe;

  await page.getByTestId('exe-row').first().getByTestId('row-select').check();
  let posted = await view.posted();
  const change = posted.filter((m) => m.command === 'selectionChanged').at(-1);
  assert.deepEqual(change, {
    command: 'selectionChanged', selection: { ...emptySelection(), exes: [top] },
  });

  const { preview } = auditPreview(sample.report, sample.view, { ...emptySelection(),
    exes: [top] }, 8);
  assert.ok(preview.rules.length > 0);
  await view.send({ command: 'preview', preview });
  const shown = await page.getByTestId('preview-rules').textContent();
  assert.equal(shown, preview.rules.map((r) => r.rule).join('\n'));
  assert.match(await page.getByTestId('impact-events').textContent() ?? '',
    new RegExp(`^${preview.eventsRemoved.toLocaleString('en-US')} of `));

  await page.getByTestId('insert-rules').click();
  await page.getByTestId('copy-rules').click();
  await page.getByTestId('open-rules').click();
  posted = await view.posted();
  assert.deepEqual(posted.slice(-3), [
    { command: 'insertRules' }, { command: 'copyRules' }, { command: 'openRules' },
  ]);

  // Drill-down: a syscall of the exe joins the selection; a sample opens its line.
  await page.getByTestId('exe-drill').first().click();
  await page.getByTestId('drill-syscall-select').first().check();
  const syscall = sample.view.byExeSyscall.find((row) => row.exe === top)?.name;
  posted = await view.posted();
  assert.deepEqual(posted.at(-1), {
    command: 'selectionChanged',
    selection: {
      ...emptySelection(), exes: [top], exeSyscalls: [{ exe: top, syscalls: [syscall] }],
    },
  });
  const drillPosts = (await view.posted()).slice(-2);
  assert.deepEqual(drillPosts[0], { command: 'requestSamples', exe: top },
    'opening the drill-down asks for samples');
  await page.getByTestId('drill-samples').click();
  assert.deepEqual((await view.posted()).at(-1), { command: 'requestSamples', exe: top });
  const samples = await findSampleRecords([sampleLog], { exe: top }, 3);
  assert.equal(samples.length, 3);
  await view.send({ command: 'samples', exe: top, samples });
  await page.getByTestId('sample-record').nth(1).click();
  assert.deepEqual((await view.posted()).at(-1),
    { command: 'openRecord', source: 0, line: samples[1].line });

  // Clearing the selection empties the preview.
  await page.getByTestId('clear-selection').click();
  assert.equal(await page.getByTestId('preview-empty').count(), 1);
  await page.close();
});

test('the view, its selection and its sort survive a reload from the saved state', {
  skip: skipReason,
}, async () => {
  assert.ok(sample);
  const view = await openWithReport();
  const { page } = view;
  await page.getByTestId('sort-exe-exe').click();
  await page.getByTestId('exe-row').nth(1).getByTestId('row-select').check();
  const selectedKey = await page.getByTestId('exe-row').nth(1).getAttribute('data-key');

  await page.reload();
  await page.waitForFunction('window.__posted.some((m) => m.command === "ready")');
  // No report was sent after the reload: what shows comes from the saved state.
  assert.equal(await page.getByTestId('exe-row').count(), sample.view.byExe.length);
  assert.equal(await page.getByTestId('exe-row').nth(1).getAttribute('data-key'), selectedKey);
  assert.ok(await page.getByTestId('exe-row').nth(1).getByTestId('row-select').isChecked());
  const posted = await view.posted();
  assert.deepEqual(posted.map((m) => m.command), ['ready', 'selectionChanged']);
  await page.close();
});

test('progress shows at once, and a changed log offers a refresh', { skip: skipReason },
  async () => {
    assert.ok(browser && server);
    const view = await openViewPage(browser, server);
    await view.send({ command: 'progress', percent: 0, bytesRead: 0, totalBytes: 500 << 20 });
    assert.equal(await view.page.getByTestId('progress-text').textContent(),
      'Reading the log: 0%');
    await view.send({ command: 'progress', percent: 42.4, bytesRead: 212 << 20,
      totalBytes: 500 << 20 });
    assert.equal(await view.page.getByTestId('progress-text').textContent(),
      'Reading the log: 42%');
    await view.send({ command: 'logChanged', files: ['/var/log/audit/audit.log'] });
    await view.page.getByTestId('refresh').click();
    assert.deepEqual((await view.posted()).at(-1), { command: 'refresh' });
    await view.page.close();
  });

// ---- hostile log content ------------------------------------------------------------

const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex').toUpperCase();

/** Payloads that would run if any of them reached the DOM as markup. */
const payloads = {
  exePlain: '/tmp/<script>window.__xss=1</script>',
  exeHex: '/tmp/<img src=x onerror="window.__xss=2">',
  commPlain: '<i>c</i>',
  commHex: '<img src=y onerror=window.__xss=4>',
  keyPlain: '<b>k</b>',
  keyHex: '<svg onload="window.__xss=3">',
  proctitle: '<script>window.__xss=5</script>\u0000<iframe src="javascript:window.__xss=6">',
  proctitlePlain: '<script>window.__xss=9</script>',
  garbage: '<script>window.__xss=7</script><img src=z onerror=window.__xss=8>',
};

function hostileLog(): string {
  const event = (serial: number, exe: string, comm: string, key: string, proctitle: string) => {
    const head = `msg=audit(1764763200.${String(serial).padStart(3, '0')}:${serial}):`;
    return [
      `type=SYSCALL ${head} arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=1 `
        + 'a2=0 a3=0 items=1 ppid=1 pid=4242 auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 '
        + `fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts0 ses=3 comm=${comm} exe=${exe} `
        + `subj=unconfined key=${key}`,
      `type=PROCTITLE ${head} proctitle=${proctitle}`,
      `type=EOE ${head} `,
    ];
  };
  return [
    ...event(101, `"${payloads.exePlain}"`, `"${payloads.commPlain}"`, `"${payloads.keyPlain}"`,
      `"${payloads.proctitlePlain}"`),
    ...event(102, hex(payloads.exeHex), hex(payloads.commHex), hex(payloads.keyHex),
      hex(payloads.proctitle)),
    ...event(103, hex(payloads.exeHex), hex(payloads.commHex), hex(payloads.keyHex),
      hex(payloads.proctitle)),
    payloads.garbage,
    '',
  ].join('\n');
}

test('log content with HTML and script payloads, plain and hex-encoded, shows only as text', {
  skip: skipReason,
}, async () => {
  assert.ok(browser && server);
  const dir = mkdtempSync(join(tmpdir(), 'noise-view-xss-'));
  try {
    const log = join(dir, 'audit.log');
    writeFileSync(log, hostileLog());
    const { report, view: report_ } = await analysed([log]);
    assert.deepEqual(report.byExe.map((row) => row.exe).sort(),
      [payloads.exeHex, payloads.exePlain].sort(), 'the engine decoded both exe forms');

    const view = await openViewPage(browser, server);
    const { page } = view;
    await view.send({ command: 'report', report: report_, files: [] });
    await page.getByTestId('exe-row').first().waitFor();

    // Every surface that shows log values: tables, drill-down, samples, skipped lines,
    // the proposed rules and their warnings.
    await page.locator('[data-testid="exe-row"] [data-testid="row-select"]').first().check();
    await page.locator('[data-testid="exe-row"] [data-testid="row-select"]').nth(1).check();
    const selection = { ...emptySelection(), exes: [payloads.exeHex, payloads.exePlain] };
    await view.send({ command: 'preview',
      preview: auditPreview(report, report_, selection, 8).preview });
    // The drill-down of each exe, with its sample records as the log has them.
    const shownRecords: Record<string, string> = {};
    for (const index of [0, 1]) {
      await page.getByTestId('exe-drill').nth(index).click();
      const drilled = await page.getByTestId('drill-exe').textContent();
      assert.ok(drilled);
      const samples = await findSampleRecords([log], { exe: drilled });
      assert.ok(samples.length > 0);
      await view.send({ command: 'samples', exe: drilled, samples });
      shownRecords[drilled] = (await page.getByTestId('samples').innerText());
    }
    const plainRecord = shownRecords[payloads.exePlain] ?? '';
    assert.ok(plainRecord.includes(`comm="${payloads.commPlain}"`), plainRecord);
    assert.ok(plainRecord.includes(`proctitle="${payloads.proctitlePlain}"`), plainRecord);
    const hexRecord = shownRecords[payloads.exeHex] ?? '';
    for (const encoded of [payloads.commHex, payloads.keyHex, payloads.proctitle]) {
      assert.ok(hexRecord.includes(hex(encoded)), `${hex(encoded)} in ${hexRecord}`);
    }

    await page.locator('details').first().evaluate((node) => {
      (node as unknown as { open: boolean }).open = true;
    });
    const text = await page.locator('body').innerText();
    for (const shown of [payloads.exePlain, payloads.exeHex, payloads.garbage]) {
      assert.ok(text.includes(shown), `${shown} is shown as text`);
    }
    await page.getByTestId('tab-key').click();
    const keys = await page.getByTestId('key-key').allTextContents();
    assert.deepEqual(keys.sort(), [payloads.keyHex, payloads.keyPlain].sort());
    assert.match(await page.getByTestId('preview-rules').textContent() ?? '', /exe=/);

    const markup = await page.evaluate(`({
      xss: window.__xss,
      injected: document.querySelectorAll('img, svg, iframe, object, embed, b, i').length,
      scripts: document.querySelectorAll('script').length,
    })`) as { xss: unknown; injected: number; scripts: number };
    assert.equal(markup.xss, undefined, 'no payload ran');
    assert.equal(markup.injected, 0, 'no payload became an element');
    assert.equal(markup.scripts, 1, 'only the bundled script is in the page');
    assert.deepEqual(view.dialogs, []);
    assert.deepEqual(view.pageErrors, []);
    assert.deepEqual(await view.violations(), [], 'nothing even tried to break the CSP');

    mkdirSync(artifactsDir, { recursive: true });
    await page.screenshot({ path: join(artifactsDir, 'noise-view-hostile-log.png'),
      fullPage: true });
    await page.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the CSP blocks inline script and remote content in this page', { skip: skipReason },
  async () => {
    assert.ok(browser && server);
    const view = await openViewPage(browser, server);
    const result = await view.page.evaluate(`(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inline = 1';
      document.body.appendChild(script);
      const image = document.createElement('img');
      image.src = 'https://example.invalid/x.png';
      document.body.appendChild(image);
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { inline: window.__inline, violations: window.__violations };
    })()`) as { inline: unknown; violations: string[] };
    assert.equal(result.inline, undefined);
    assert.ok(result.violations.some((v) => v.startsWith('script-src')), result.violations.join());
    assert.ok(result.violations.some((v) => v.startsWith('img-src')), result.violations.join());
    await view.page.close();
  });

test('screenshots in the dark, light and high-contrast themes', { skip: skipReason },
  async () => {
    assert.ok(sample);
    mkdirSync(artifactsDir, { recursive: true });
    for (const theme of ['dark', 'light', 'high-contrast'] as const) {
      const view = await openWithReport(theme);
      const top = sample.view.byExe[0].exe;
      await view.page.getByTestId('exe-row').first().getByTestId('row-select').check();
      await view.send({ command: 'preview', preview: auditPreview(sample.report, sample.view,
        { ...emptySelection(), exes: [top] }, 8).preview });
      const background = await view.page.evaluate(
        'getComputedStyle(document.body).backgroundColor') as string;
      const expected = { dark: 'rgb(31, 31, 31)', light: 'rgb(255, 255, 255)',
        'high-contrast': 'rgb(0, 0, 0)' }[theme];
      assert.equal(background, expected, `${theme} background comes from the theme variables`);
      await view.page.screenshot({ path: join(artifactsDir, `noise-view-${theme}.png`),
        fullPage: true });
      await view.page.close();
    }
  });

test('an mdatp statistics report: processes by files scanned, commands, no rules-file insert', {
  skip: skipReason,
}, async () => {
  assert.ok(browser && server);
  const fixture = join(repoRoot, 'test', 'fixtures', 'mdatp', 'build-server.json');
  const mdatp = analyzeMdatpStatistics(readFileSync(fixture, 'utf8'));
  const report = toMdatpViewReport(mdatp, [{ label: 'build-server.json', bytes: 1 }]);
  const view = await openViewPage(browser, server);
  const { page } = view;
  await view.send({ command: 'report', report, files: [] });

  const rows = page.getByTestId('process-row');
  await rows.first().waitFor();
  assert.equal(await rows.count(), report.processes.length);
  const top = report.processes[0];
  assert.equal(await rows.first().getAttribute('data-key'), top.path);
  assert.equal(await rows.first().getByTestId('process-filesScanned').textContent(),
    top.filesScanned.toLocaleString('en-US'));

  await rows.first().getByTestId('row-select').check();
  assert.deepEqual((await view.posted()).at(-1), {
    command: 'selectionChanged', selection: { ...emptySelection(), paths: [top.path] },
  });
  const { preview } = mdatpPreview(mdatp, { ...emptySelection(), paths: [top.path] });
  await view.send({ command: 'preview', preview });
  assert.match(await page.getByTestId('preview-rules').textContent() ?? '',
    /^mdatp exclusion process add --path \//);
  assert.equal(await page.getByTestId('insert-rules').count(), 0);
  assert.equal(await page.getByTestId('copy-rules').count(), 1);
  assert.deepEqual(view.pageErrors, []);
  await page.close();
});
