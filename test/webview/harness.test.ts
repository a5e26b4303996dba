import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { THEMES, WebviewHarness, webviewHtml } from '../harness/webviewPage';

/** The harness must be as strict as VS Code, or the views' security tests would prove nothing. */
describe('webview harness', () => {
  let harness: WebviewHarness;
  before(async () => {
    harness = await WebviewHarness.launch();
  });
  after(async () => {
    await harness?.close();
  });

  it('serves the CSP of renderWebviewHtml: inline handlers and inline scripts without the nonce are blocked', async () => {
    const view = await harness.open({ view: 'report' });
    try {
      await view.waitForPosted((m) => (m as { type?: string }).type === 'ready');
      await view.page.evaluate(() => {
        const div = document.createElement('div');
        div.innerHTML = '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onerror="window.__pwned=1" onload="window.__pwned=1">';
        document.body.append(div);
        const s = document.createElement('script');
        s.textContent = 'window.__pwned = 2';
        document.body.append(s);
      });
      await view.page.waitForFunction(() => (window as { __saleHarness?: { violations: string[] } }).__saleHarness!.violations.length >= 2);
      assert.equal(await view.page.evaluate(() => (window as { __pwned?: unknown }).__pwned), undefined);
      const violations = (await view.cspViolations()).join('\n');
      assert.match(violations, /script-src-attr|script-src-elem|script-src/);
    } finally {
      await view.close();
    }
  });

  it('records posted messages, plays host messages after ready and keeps state', async () => {
    const view = await harness.open({ view: 'report', initialState: { report: null }, hostMessages: [{ type: 'status', level: 'info', text: 'hello from the host' }] });
    try {
      await view.page.waitForSelector('#status:has-text("hello from the host")');
      assert.deepEqual(await view.posted(), [{ type: 'ready', protocolVersion: 2 }]);
      assert.deepEqual(await view.savedState(), { report: null });
    } finally {
      await view.close();
    }
  });

  it('applies the theme variables and body class', async () => {
    const view = await harness.open({ view: 'report', theme: 'high-contrast' });
    try {
      const [cls, fg] = await view.page.evaluate(() => [document.body.className, getComputedStyle(document.body).getPropertyValue('--vscode-contrastBorder').trim()]);
      assert.equal(cls, 'vscode-high-contrast');
      assert.equal(fg, THEMES['high-contrast'].variables['--vscode-contrastBorder']);
    } finally {
      await view.close();
    }
  });

  it('escapes host messages embedded in the page so no string can close the script element', () => {
    const html = webviewHtml({
      cspSource: 'http://127.0.0.1:1',
      nonce: 'n',
      view: 'v',
      styles: [],
      theme: THEMES.light,
      title: '<t>',
      boot: { hostMessages: ['</script><script>alert(1)</script>'], initialState: undefined },
    });
    assert.ok(!html.includes('</script><script>alert(1)'));
    assert.ok(html.includes('&#60;t&#62;'));
    assert.match(html, /script-src 'nonce-n'/);
  });

  it('refuses a view that was not built', async () => {
    await assert.rejects(harness.open({ view: 'no-such-view' }), /no bundle for view/);
  });
});
