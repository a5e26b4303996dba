import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SaleApi } from '../../src/vscode/api';

const EXTENSION_ID = 'sale-dev.sale-vscode';

async function activate(): Promise<SaleApi> {
  const ext = vscode.extensions.getExtension<SaleApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  const api = await ext.activate();
  assert.ok(api, 'activate() returned the API (activation did not fail)');
  return api;
}

describe('activation', () => {
  it('activates and registers its commands', async () => {
    await activate();
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['sale.auctionTask', 'sale.showLogs']) assert.ok(commands.includes(c), `${c} is registered`);
  });

  it('"Auction this task" with a task reveals the panel, which receives the task', async () => {
    const api = await activate();
    const task = `Integration task ${Date.now()}`;
    const received = await vscode.commands.executeCommand<{ text: string } | undefined>('sale.auctionTask', { task, noAuction: true });
    assert.equal(received?.text, task);
    await api.whenPanelReady();
    assert.equal(api.panelState().task?.text, task);
  });

  it('cancelling the input box starts nothing', async () => {
    const api = await activate();
    const before = api.panelState().task?.id;
    const pending = vscode.commands.executeCommand('sale.auctionTask');
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await pending, undefined);
    assert.equal(api.panelState().task?.id, before);
  });
});
