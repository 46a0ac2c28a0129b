// Serves the noise view's built page (the extension's own HTML and CSP) over HTTP and opens
// it in Debian's headless Chromium with a stand-in for the webview API, so the front end
// is tested on its own: what it posts, what it shows, and that log content never runs.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { noiseViewHtml } from '../../client/src/noiseView/webviewHtml';
import type { ExtensionMessage } from '../../client/src/noiseView/messages';

export const repoRoot = join(__dirname, '..', '..', '..');
export const chromiumPath = '/usr/bin/chromium';
export const artifactsDir = join(repoRoot, 'test-artifacts');
const mediaDir = join(repoRoot, 'dist', 'media');
const themeDir = join(repoRoot, 'test', 'fixtures', 'noiseView');

export type Theme = 'dark' | 'light' | 'high-contrast';

/** Why the page cannot be tested here, or undefined when it can. */
export function missingPrerequisite(): string | undefined {
  if (!existsSync(chromiumPath)) return `no Chromium at ${chromiumPath} (apt-get install chromium)`;
  if (!existsSync(join(mediaDir, 'webview.js'))) {
    return 'dist/media/webview.js is not built (npm run build)';
  }
  return undefined;
}

export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves `/` as the extension serves the webview, plus the theme the editor would inject. */
export async function servePage(): Promise<PageServer> {
  let origin = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    const send = (type: string, body: string | Buffer) => {
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };

    if (url.pathname === '/') {
      const theme = (url.searchParams.get('theme') ?? 'dark') as Theme;
      const html = noiseViewHtml({
        cspSource: origin,
        scriptUri: `${origin}/media/webview.js`,
        styleUri: `${origin}/media/webview.css`,
      });
      // VS Code injects the theme's variables and a body class; the CSP stays as built.
      const themed = html
        .replace('</head>', `<link rel="stylesheet" href="${origin}/theme/${theme}.css">\n</head>`)
        .replace('<body>', `<body class="vscode-${theme}">`);
      send('text/html; charset=utf-8', themed);
    } else if (url.pathname === '/media/webview.js') {
      send('text/javascript', readFileSync(join(mediaDir, 'webview.js')));
    } else if (url.pathname === '/media/webview.css') {
      send('text/css', readFileSync(join(mediaDir, 'webview.css')));
    } else if (/^\/theme\/[a-z-]+\.css$/.test(url.pathname)) {
      send('text/css', readFileSync(join(themeDir, `theme-${url.pathname.slice(7)}`)));
    } else {
      response.writeHead(404).end();
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/**
 * The webview API as the page sees it inside VS Code: postMessage records into
 * `__posted`, state lives in sessionStorage so that it survives a reload. CSP violations
 * and dialogs are recorded too. Init scripts run outside the page's CSP, as VS Code's own
 * preload does.
 */
const fakeWebviewApi = `
  window.__posted = [];
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__violations.push(event.violatedDirective + ' ' + event.blockedURI);
  });
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => window.__posted.push(JSON.parse(JSON.stringify(message))),
    getState: () => {
      const saved = sessionStorage.getItem('noise-view-state');
      return saved === null ? undefined : JSON.parse(saved);
    },
    setState: (state) => sessionStorage.setItem('noise-view-state', JSON.stringify(state)),
  });
`;

export interface ViewPage {
  page: Page;
  dialogs: string[];
  pageErrors: string[];
  send(message: ExtensionMessage): Promise<void>;
  posted(): Promise<Array<Record<string, unknown>>>;
  violations(): Promise<string[]>;
}

export async function openViewPage(
  browser: Browser, server: PageServer, theme: Theme = 'dark',
): Promise<ViewPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.addInitScript(fakeWebviewApi);
  await page.goto(`${server.origin}/?theme=${theme}`);
  await page.waitForFunction('window.__posted.some((m) => m.command === "ready")');

  return {
    page,
    dialogs,
    pageErrors,
    // The extension's postMessage arrives as a window message event.
    send: (message) => page.evaluate((m) => {
      (globalThis as unknown as { postMessage(m: unknown, to: string): void }).postMessage(m, '*');
    }, message),
    posted: () => page.evaluate('window.__posted') as Promise<Array<Record<string, unknown>>>,
    violations: () => page.evaluate('window.__violations') as Promise<string[]>,
  };
}
