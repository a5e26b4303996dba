import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { registerEach } from '../../src/common/lifecycle';
import { activateSale } from './helpers';

describe('contributions registered in isolation', () => {
  it('the extension activated with every contribution', async () => {
    const api = await activateSale();
    assert.deepEqual(api.failedContributions(), []);
  });

  it('a contribution that throws at registration is logged and the others still work', async () => {
    const api = await activateSale();
    const errors: string[] = [];
    // A real registration failure in this host: the command id is SALE's own, already registered.
    const { disposables, failed } = registerEach(
      [
        { name: 'duplicate', register: () => [vscode.commands.registerCommand('sale.showLogs', () => undefined)] },
        { name: 'working', register: () => [vscode.commands.registerCommand('saleTest.isolation.works', () => 'still works')] },
      ],
      { error: (m) => errors.push(m) },
    );
    try {
      assert.deepEqual(failed, ['duplicate']);
      assert.match(errors[0] ?? '', /duplicate contribution failed to register/);
      assert.equal(await vscode.commands.executeCommand('saleTest.isolation.works'), 'still works');
      // SALE's own commands are untouched.
      const task = `isolation ${Date.now()}`;
      const received = await vscode.commands.executeCommand<{ text: string } | undefined>('sale.auctionTask', { task, noAuction: true });
      assert.equal(received?.text, task);
      assert.equal(api.panelState().task?.text, task);
    } finally {
      for (const d of disposables) d.dispose();
    }
  });
});
