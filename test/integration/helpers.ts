import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AuctionView } from '../../src/common/protocol/auctionView';
import type { SaleApi } from '../../src/vscode/api';
import type { LoopbackServer } from '../fixtures/loopback/server';

export const EXTENSION_ID = 'sale-dev.sale-vscode';

export async function activateSale(): Promise<SaleApi> {
  const ext = vscode.extensions.getExtension<SaleApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  const api = await ext.activate();
  assert.ok(api, 'activate() returned the API (activation did not fail)');
  return api;
}

/** Runs "Auction this task" for `task` and waits until that auction ends; it must have completed (else its error). */
export async function auctionToEnd(api: SaleApi, task: string, timeoutMs = 60_000): Promise<AuctionView> {
  await vscode.commands.executeCommand('sale.auctionTask', { task });
  const auction = await waitFor('the auction to finish', () => {
    const a = api.panelState().auction;
    return a && a.task === task && a.status !== 'running' ? a : undefined;
  }, timeoutMs);
  assert.equal(auction.status, 'completed', JSON.stringify(auction.error));
  return auction;
}

/** Polls until the predicate holds, or fails with the message after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sets user-level SALE settings and returns a function that restores them. */
export async function withSettings(values: Record<string, unknown>): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration('sale');
  const before = Object.fromEntries(Object.keys(values).map((k) => [k, config.inspect(k)?.globalValue]));
  for (const [k, v] of Object.entries(values)) await config.update(k, v, vscode.ConfigurationTarget.Global);
  return async () => {
    for (const [k, v] of Object.entries(before)) await vscode.workspace.getConfiguration('sale').update(k, v, vscode.ConfigurationTarget.Global);
  };
}

/**
 * Queues, for one loopback model, the replies SALE's capability probe needs besides its plain text call: a tool
 * call and a structured reply (the text call takes whatever default the test sets, usually its bid).
 */
export function scriptProbe(server: LoopbackServer, model: string): void {
  server.script(model, { kind: 'chat', when: { tools: true }, toolCalls: [{ name: 'report_status', arguments: '{"ok":true}' }] }, { kind: 'chat', when: { structured: true }, text: '{"ok": true}' });
}
