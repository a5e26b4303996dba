import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CoreApi } from '../../src/vscode/api';
import { CoreLoader, lazyApi, type CoreModule } from '../../src/vscode/coreLoader';
import { activateSale, EXTENSION_ID, waitFor } from './helpers';

/** The commands package.json declares for SALE. */
function declaredCommands(): string[] {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext);
  return ((ext.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands ?? []).map((c) => c.command);
}

/** A core for the loader under test: registers `ids` as real commands answering `real <arg>`, counts its loads. */
function testCore(ids: string[], owned: vscode.Disposable[]): { requireCore: () => CoreModule; loads: () => number } {
  let loads = 0;
  return {
    loads: () => loads,
    requireCore: () => {
      loads++;
      return {
        startCore: () => {
          owned.push(...ids.map((id) => vscode.commands.registerCommand(id, (arg: unknown) => `real ${String(arg)}`)));
          return { api: { failedContributions: () => ['none really'] } as unknown as CoreApi };
        },
      };
    },
  };
}

describe('the core loads after activation', () => {
  const owned: vscode.Disposable[] = [];
  let channel: vscode.LogOutputChannel;
  // The loader passes the context through to startCore only; the test cores do not read it.
  const context = {} as vscode.ExtensionContext;
  before(() => {
    channel = vscode.window.createOutputChannel('SALE lazy core test', { log: true });
    owned.push(channel);
  });
  after(() => {
    for (const d of owned.splice(0)) d.dispose();
  });

  it('every declared command is registered at activation and again once the core has loaded', async () => {
    const api = await activateSale();
    const declared = declaredCommands();
    assert.ok(declared.length > 20, 'package.json declares the commands');
    const atActivation = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((c) => !atActivation.has(c)), []);
    // Any member of the core's API loads the core if the host has not loaded it yet.
    assert.deepEqual(api.failedContributions(), []);
    assert.equal(typeof api.coreLoadMs, 'number');
    const afterLoad = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((c) => !afterLoad.has(c)), []);
    assert.ok(api.activateMs <= api.activationMs, 'activate() is part of the activation span');
  });

  it('a stub command loads the core on its first call and runs the real command; the core loads once', async () => {
    const id = `saleTest.lazy.run${Date.now()}`;
    const core = testCore([id], owned);
    const loader = new CoreLoader(context, channel, core.requireCore, [id]);
    owned.push(loader);
    assert.ok((await vscode.commands.getCommands(true)).includes(id), 'the stub is registered before the core loads');
    assert.equal(core.loads(), 0);
    assert.equal(await vscode.commands.executeCommand(id, 'a'), 'real a');
    assert.equal(await vscode.commands.executeCommand(id, 'b'), 'real b');
    assert.equal(core.loads(), 1);
    const api = lazyApi(loader, { activationMs: 2, activateMs: 1 });
    assert.equal((api as unknown as { then?: unknown }).then, undefined, 'the API is not taken for a promise');
    assert.deepEqual(api.failedContributions(), ['none really']);
    assert.equal(api.activationMs, 2);
    assert.equal(typeof api.coreLoadMs, 'number');
  });

  it('loadSoon loads the core by itself after activation, without a command', async () => {
    const id = `saleTest.lazy.soon${Date.now()}`;
    const core = testCore([id], owned);
    const loader = new CoreLoader(context, channel, core.requireCore, [id]);
    owned.push(loader);
    loader.loadSoon();
    assert.equal(core.loads(), 0, 'not inside the call that schedules it');
    await waitFor('the core to load', () => core.loads() === 1 || undefined, 5_000);
    assert.equal(await vscode.commands.executeCommand(id, 'c'), 'real c');
  });

  it('a core that cannot load leaves the commands answering without a loop, and the API says why', async () => {
    const id = `saleTest.lazy.broken${Date.now()}`;
    let loads = 0;
    const loader = new CoreLoader(
      context,
      channel,
      () => {
        loads++;
        throw new Error('core bundle missing');
      },
      [id],
    );
    owned.push(loader);
    assert.equal(await vscode.commands.executeCommand(id), undefined);
    assert.equal(await vscode.commands.executeCommand(id), undefined);
    assert.equal(loads, 1, 'a failed load is remembered, not retried on every call');
    assert.throws(() => loader.api(), /SALE could not start: core bundle missing/);
    loader.dispose();
    assert.ok(!(await vscode.commands.getCommands(true)).includes(id), 'disposing the loader removes its stubs');
  });

  it('a core that fails to start after loading keeps every command answering (its stubs come back)', async () => {
    const id = `saleTest.lazy.startFails${Date.now()}`;
    const loader = new CoreLoader(
      context,
      channel,
      () => ({
        startCore: () => {
          throw new Error('services could not be built');
        },
      }),
      [id],
    );
    owned.push(loader);
    assert.equal(await vscode.commands.executeCommand(id), undefined, 'the stub answers, not "command not found"');
    assert.ok((await vscode.commands.getCommands(true)).includes(id));
    assert.throws(() => loader.api(), /SALE could not start: services could not be built/);
  });
});
