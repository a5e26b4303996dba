import * as vscode from 'vscode';
import type { Logger } from '../../common/log';
import { type AuctionItem, MEMORY_DETAILS_SCHEME, MEMORY_VIEW_ID, MemoryDetailsProvider, MemoryTreeProvider } from './memoryBrowser';
import type { MemoryService } from './memoryService';

/** What the memory browser uses: the memory and the log. */
export interface MemoryContributionDeps {
  memory: MemoryService;
  log: Logger;
}

/** The memory browser view and its commands: search, details, delete, export, import, clear all. */
export function registerMemoryContributions(s: MemoryContributionDeps): { disposables: vscode.Disposable[]; tree: MemoryTreeProvider } {
  const log = s.log.topic('memory');
  const tree = new MemoryTreeProvider(s.memory, log);
  const details = new MemoryDetailsProvider(s.memory);
  const jsonl = { [vscode.l10n.t('Auction memory')]: ['jsonl'] };
  // Delete, clear, import and export rewrite or read the whole memory (seconds for a large one): the view shows
  // its progress bar meanwhile, then refreshes.
  const refreshAfter = (p: Promise<unknown>) =>
    vscode.window.withProgress({ location: { viewId: MEMORY_VIEW_ID } }, () => p).then(
      // Every reader of the memory refreshes (the tree through onDidChange below).
      () => s.memory.notifyChanged(),
      (e: unknown) => {
        log.error(e instanceof Error ? e : String(e));
        void vscode.window.showErrorMessage(vscode.l10n.t('SALE memory: {0}', e instanceof Error ? e.message : String(e)));
      },
    );
  const disposables = [
    tree,
    vscode.window.registerTreeDataProvider(MEMORY_VIEW_ID, tree),
    vscode.workspace.registerTextDocumentContentProvider(MEMORY_DETAILS_SCHEME, details),
    s.memory.onDidChange(() => tree.refresh()),
    vscode.commands.registerCommand('sale.memory.refresh', () => tree.refresh()),
    vscode.commands.registerCommand('sale.memory.search', async () => {
      const text = await vscode.window.showInputBox({ title: vscode.l10n.t('Search the auction memory'), prompt: vscode.l10n.t('Words in the task, the winner or the outcome') });
      if (text !== undefined) tree.setFilter(text);
    }),
    vscode.commands.registerCommand('sale.memory.clearSearch', () => tree.setFilter('')),
    vscode.commands.registerCommand('sale.memory.open', async (item?: AuctionItem) => {
      if (!item) return;
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: MEMORY_DETAILS_SCHEME, path: `/${item.view.head.id}.md` }));
      await vscode.window.showTextDocument(doc, { preview: true });
    }),
    vscode.commands.registerCommand('sale.memory.delete', async (item?: AuctionItem) => {
      if (!item) return;
      const del = vscode.l10n.t('Delete');
      const ok = await vscode.window.showWarningMessage(vscode.l10n.t('Delete the auction "{0}" from the memory? Cheaper models will no longer learn from it.', item.label as string), { modal: true }, del);
      if (ok === del) await refreshAfter(s.memory.deleteAuction(item.view.head.id));
    }),
    vscode.commands.registerCommand('sale.memory.export', async () => {
      const uri = await vscode.window.showSaveDialog({ filters: jsonl, saveLabel: vscode.l10n.t('Export') });
      if (!uri) return;
      await refreshAfter(
        s.memory
          .store()
          .then((m) => m.exportTo(uri.fsPath))
          .then((n) => vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} memory lines.', n))),
      );
    }),
    vscode.commands.registerCommand('sale.memory.import', async () => {
      const [uri] = (await vscode.window.showOpenDialog({ filters: jsonl, canSelectMany: false, openLabel: vscode.l10n.t('Import') })) ?? [];
      if (!uri) return;
      await refreshAfter(
        s.memory
          .store()
          .then((m) => m.importFrom(uri.fsPath))
          .then((r) =>
            vscode.window.showInformationMessage(vscode.l10n.t('Imported {0} lines ({1} already present, {2} unreadable skipped).', r.imported, r.duplicates, r.report.skipped)),
          ),
      );
    }),
    vscode.commands.registerCommand('sale.memory.clear', async () => {
      const clear = vscode.l10n.t('Clear All');
      const ok = await vscode.window.showWarningMessage(
        vscode.l10n.t('Clear the whole auction memory of this workspace? This cannot be undone; export it first to keep a copy.'),
        { modal: true },
        clear,
      );
      if (ok === clear) await refreshAfter(s.memory.clear());
    }),
  ];
  return { disposables, tree };
}
