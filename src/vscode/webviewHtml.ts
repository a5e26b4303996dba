import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { webviewCsp } from './webviewCsp';

export interface WebviewHtmlOptions {
  /** Title of the document, for screen readers. */
  title: string;
  /** Path of the bundled script under dist/webview, e.g. 'panel.js'. */
  script: string;
  /** Path(s) of the bundled stylesheets under dist/webview, e.g. 'panel.css', in cascade order. */
  style?: string | readonly string[];
}

/** The folders a webview may load from: the built webview bundle and the codicon font, nothing else. */
export function webviewResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')];
}

/**
 * Builds every webview's HTML in one place: CSP `default-src 'none'`, one nonce from `crypto` for the one
 * bundled script, styles and fonts only from the built assets, no `unsafe-eval`, no inline script.
 */
export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, opts: WebviewHtmlOptions): string {
  const nonce = randomBytes(18).toString('base64');
  const asset = (p: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', p)).toString();
  const csp = webviewCsp(webview.cspSource, nonce);
  const styles = [asset('codicon.css'), ...(opts.style === undefined ? [] : typeof opts.style === 'string' ? [opts.style] : opts.style).map(asset)]
    .map((href) => `<link rel="stylesheet" href="${href}">`)
    .join('\n    ');
  return `<!DOCTYPE html>
<html lang="${escapeAttr(vscode.env.language)}">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${escapeAttr(opts.title)}</title>
  </head>
  <body>
    <div id="root" role="main"></div>
    <script nonce="${nonce}" src="${asset(opts.script)}"></script>
  </body>
</html>`;
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
