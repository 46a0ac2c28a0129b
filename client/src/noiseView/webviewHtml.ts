// The noise view's HTML shell. Pure (no `vscode` import) so the Chromium tests serve the
// very same page the extension does.
import { randomBytes } from 'node:crypto';

export interface WebviewResources {
  /** webview.cspSource: the origin the webview serves local resources from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
}

/** A fresh nonce per render: 128 random bits, base64 without padding. */
export function createNonce(): string {
  return randomBytes(16).toString('base64').replace(/=+$/, '');
}

/**
 * The Content-Security-Policy of the view: nothing by default; the one bundled script by
 * nonce; styles, images and fonts from the extension's resource origin only (the resource
 * roots limit that origin to dist/media). Chart.js draws on canvas, which needs no source.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function noiseViewHtml(resources: WebviewResources, nonce = createNonce()): string {
  const csp = contentSecurityPolicy(resources.cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attribute(resources.styleUri)}">
<title>Audit log noise</title>
</head>
<body>
<main id="root" aria-live="polite"></main>
<script nonce="${attribute(nonce)}" src="${attribute(resources.scriptUri)}"></script>
</body>
</html>
`;
}
