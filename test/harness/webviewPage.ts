/**
 * A browser harness for webview tests. It serves the built webview bundles (dist/webview) and, per view, a page
 * equivalent to what src/vscode/webviewHtml.ts renders inside VS Code: the same Content-Security-Policy with a fresh
 * nonce, codicon.css and the view's stylesheet, a `#root` element, one bundled script. VS Code's part is stubbed:
 * the theme's CSS variables and body class, and `acquireVsCodeApi()`, which records what the view posts and answers
 * the view's `ready` with the host messages the test asked to play (the ready handshake).
 *
 * Usage:
 *   const harness = await WebviewHarness.launch();
 *   const view = await harness.open({ view: 'report', theme: 'dark', hostMessages: [{ type: 'report', report }] });
 *   await view.page.waitForSelector('#total-spend');
 *   await harness.close();
 *
 * Run `node scripts/build.mjs` first (scripts/run-webview.mjs does).
 */
import { webviewCsp } from '../../src/vscode/webviewCsp';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { THEMES, type ThemeName, type WebviewTheme, themeCss } from './webviewThemes';

export { THEMES, type ThemeName, type WebviewTheme } from './webviewThemes';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.SALE_CHROMIUM ?? '/usr/bin/chromium';
const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What to open. */
export interface OpenWebviewOptions {
  /** The view's name: serves dist/webview/<view>.js and, when present, <view>.css. */
  view: string;
  /** A theme name or a custom theme; defaults to 'light'. */
  theme?: ThemeName | WebviewTheme;
  /** Messages the host posts, in order, when the view sends `{ type: 'ready' }`. */
  hostMessages?: unknown[];
  /** What `getState()` returns before the view calls `setState` (a restored webview). */
  initialState?: unknown;
  /** The page's viewport; defaults to 1100 x 900. */
  viewport?: { width: number; height: number };
  /** The document title; defaults to the view name. */
  title?: string;
  /** Stylesheets under dist/webview, in cascade order, as the view's host loads them; defaults to <view>.css when present. */
  styles?: string[];
}

/** An open webview page. */
export interface WebviewPage {
  readonly page: Page;
  /** Messages the view posted through `acquireVsCodeApi().postMessage`, in order. */
  posted(): Promise<unknown[]>;
  /** Waits until the view has posted a message the predicate accepts (evaluated in the test), and returns it. */
  waitForPosted(predicate: (message: unknown) => boolean, timeoutMs?: number): Promise<unknown>;
  /** Posts a message from the host to the view, as `webview.postMessage` does. */
  postToView(message: unknown): Promise<void>;
  /**
   * Waits for the view's request of `method` (the `nth` one, 0 first) over the channel (src/common/protocol/channel.ts)
   * and returns its id and parameters; answer it with `reply`.
   */
  waitForRequest(method: string, nth?: number): Promise<{ id: number; params: unknown }>;
  /** Answers a request as the host does: a value, or an error message for the view to show. */
  reply(id: number, answer: { value: unknown } | { error: string }): Promise<void>;
  /** The last state the view saved with `setState`. */
  savedState(): Promise<unknown>;
  /** Content-Security-Policy violations the page reported (directive and blocked URI). */
  cspViolations(): Promise<string[]>;
  /** Uncaught page errors and console errors, collected since the page opened. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** The HTML the harness serves for a view: the CSP (shared) and layout of renderWebviewHtml, plus the VS Code stubs. */
export function webviewHtml(opts: { cspSource: string; nonce: string; view: string; styles: readonly string[]; theme: WebviewTheme; title: string; boot: unknown }): string {
  const csp = webviewCsp(opts.cspSource, opts.nonce);
  const styles = ['/dist/codicon.css', `/__theme/${opts.theme.name}.css`, ...opts.styles.map((s) => `/dist/${s}`)]
    .map((href) => `<link rel="stylesheet" href="${opts.cspSource}${href}">`)
    .join('\n    ');
  // JSON inside a script element: escape `<` so that no string in a message can close the element.
  const boot = JSON.stringify(opts.boot).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${escapeHtml(opts.title)}</title>
  </head>
  <body class="${opts.theme.bodyClass}" data-vscode-theme-kind="${opts.theme.bodyClass}">
    <div id="root" role="main"></div>
    <script nonce="${opts.nonce}">${vscodeStub(boot)}</script>
    <script nonce="${opts.nonce}" src="${opts.cspSource}/dist/${opts.view}.js"></script>
  </body>
</html>`;
}

/** The stand-in for what VS Code injects into every webview. `boot` is JSON text. */
function vscodeStub(boot: string): string {
  return `(() => {
  const boot = ${boot};
  const sale = (window.__saleHarness = { posted: [], state: boot.initialState, violations: [] });
  document.addEventListener('securitypolicyviolation', (e) => sale.violations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' at ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber));
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may be called only once');
    acquired = true;
    return {
      postMessage(message) {
        sale.posted.push(JSON.parse(JSON.stringify(message)));
        if (message && message.type === 'ready') {
          for (const m of boot.hostMessages) setTimeout(() => window.postMessage(m, '*'), 0);
        }
      },
      getState() { return sale.state; },
      setState(s) { sale.state = JSON.parse(JSON.stringify(s)); return s; },
    };
  };
})();`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const MIME: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.html': 'text/html; charset=utf-8',
};

/** A running Chromium and the server of webview pages; open any number of views, then close. */
export class WebviewHarness {
  private nextId = 0;

  private constructor(
    private readonly browser: Browser,
    /** Served pages and theme stylesheets, by path; the server reads what `open` writes. */
    private readonly pages: Map<string, string>,
    private readonly server: http.Server,
    /** The origin the pages and assets are served from; plays the part of `webview.cspSource`. */
    readonly origin: string,
    private readonly distDir: string,
  ) {}

  /** Starts the server on a free loopback port and launches headless Chromium. */
  static async launch(options: { distDir?: string } = {}): Promise<WebviewHarness> {
    const distDir = options.distDir ?? path.join(ROOT, 'dist/webview');
    if (!fs.existsSync(distDir)) throw new Error(`${distDir} does not exist: run node scripts/build.mjs first`);
    const pages = new Map<string, string>();
    const server = http.createServer((req, res) => serve(req, res, distDir, pages));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
    return new WebviewHarness(browser, pages, server, origin, distDir);
  }

  /** Opens a view in a fresh page and waits for its script to load (not for `ready`: a view may never send it). */
  async open(opts: OpenWebviewOptions): Promise<WebviewPage> {
    const theme = typeof opts.theme === 'object' ? opts.theme : THEMES[opts.theme ?? 'light'];
    if (!fs.existsSync(path.join(this.distDir, `${opts.view}.js`))) throw new Error(`no bundle for view '${opts.view}' in ${this.distDir}`);
    const id = `${opts.view}-${this.nextId++}`;
    this.pages.set(
      id,
      webviewHtml({
        cspSource: this.origin,
        nonce: randomBytes(18).toString('base64'),
        view: opts.view,
        styles: opts.styles ?? (fs.existsSync(path.join(this.distDir, `${opts.view}.css`)) ? [`${opts.view}.css`] : []),
        theme,
        title: opts.title ?? opts.view,
        boot: { hostMessages: opts.hostMessages ?? [], initialState: opts.initialState },
      }),
    );
    this.pages.set(`__theme/${theme.name}.css`, themeCss(theme));
    const context = await this.browser.newContext({ viewport: opts.viewport ?? { width: 1100, height: 900 }, colorScheme: theme.name === 'light' ? 'light' : 'dark' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
    });
    await page.goto(`${this.origin}/__view/${id}.html`, { waitUntil: 'load' });
    const harnessState = <T>(expression: string) => page.evaluate<T>(expression);
    return {
      page,
      errors,
      posted: () => harnessState<unknown[]>('window.__saleHarness.posted'),
      async waitForPosted(predicate, timeoutMs = 10_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const found = (await harnessState<unknown[]>('window.__saleHarness.posted')).find(predicate);
          if (found !== undefined) return found;
          if (Date.now() > deadline) throw new Error(`the view did not post the expected message within ${timeoutMs} ms`);
          await new Promise((r) => setTimeout(r, 25));
        }
      },
      postToView: async (message) => {
        await page.evaluate((m) => window.postMessage(m, '*'), message);
      },
      async waitForRequest(method, nth = 0) {
        const isRequest = (m: unknown): m is { id: number; params: unknown } => (m as { type?: unknown }).type === 'request' && (m as { method?: unknown }).method === method;
        const deadline = Date.now() + 10_000;
        for (;;) {
          const found = (await harnessState<unknown[]>('window.__saleHarness.posted')).filter(isRequest)[nth];
          if (found) return { id: found.id, params: found.params };
          if (Date.now() > deadline) throw new Error(`the view did not send request ${method} #${nth} within 10 s`);
          await new Promise((r) => setTimeout(r, 25));
        }
      },
      reply: async (id, answer) => {
        const message = 'error' in answer ? { type: 'reply', id, ok: false, error: answer.error } : { type: 'reply', id, ok: true, value: answer.value };
        await page.evaluate((m) => window.postMessage(m, '*'), message);
      },
      savedState: () => harnessState<unknown>('window.__saleHarness.state'),
      cspViolations: () => harnessState<string[]>('window.__saleHarness.violations'),
      close: () => context.close(),
    };
  }

  async close(): Promise<void> {
    await this.browser.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function serve(req: http.IncomingMessage, res: http.ServerResponse, distDir: string, pages: Map<string, string>): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const send = (status: number, type: string, body: string | Buffer) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  if (url.pathname === '/favicon.ico') return send(204, 'text/plain', '');
  const view = /^\/__view\/([\w-]+)\.html$/.exec(url.pathname);
  if (view?.[1] !== undefined) {
    const html = pages.get(view[1]);
    return html === undefined ? send(404, 'text/plain', 'no such view') : send(200, MIME['.html'] ?? 'text/html', html);
  }
  const theme = /^\/(__theme\/[\w-]+\.css)$/.exec(url.pathname);
  if (theme?.[1] !== undefined) {
    const css = pages.get(theme[1]);
    return css === undefined ? send(404, 'text/plain', 'no such theme') : send(200, MIME['.css'] ?? 'text/css', css);
  }
  const asset = /^\/dist\/([\w.-]+)$/.exec(url.pathname);
  if (asset?.[1] !== undefined) {
    const file = path.join(distDir, asset[1]);
    if (fs.existsSync(file)) return send(200, MIME[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
  }
  send(404, 'text/plain', 'not found');
}

/** How many pixels of the canvas `selector` finds are painted: 0 means nothing was drawn, -1 that there is no canvas. */
export async function paintedPixels(view: WebviewPage, selector: string): Promise<number> {
  return view.page.evaluate((sel) => {
    const canvas = document.querySelector(sel);
    if (!(canvas instanceof HTMLCanvasElement)) return -1;
    const ctx = canvas.getContext('2d');
    if (!ctx || canvas.width === 0 || canvas.height === 0) return 0;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) n++;
    return n;
  }, selector);
}

/** The text of the element `selector` finds, its white space collapsed as a reader sees it. */
export async function textOf(view: WebviewPage, selector: string): Promise<string> {
  return (await view.page.locator(selector).innerText()).replace(/\s+/g, ' ').trim();
}
