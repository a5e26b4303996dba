// No `vscode` import here: the browser test harness builds its pages with the same policy.

/**
 * The Content-Security-Policy of every webview: nothing by default; images, styles and fonts only from the
 * extension's own assets; scripts only with this load's nonce (no inline handlers, no `unsafe-eval`).
 */
export function webviewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}
