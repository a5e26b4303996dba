import * as vscode from 'vscode';
import type { AuctionView } from '../../common/memory/fold';
import type { Disposable } from '../../common/lifecycle';
import { Emitter } from '../../common/lifecycle';
import type { Logger } from '../../common/log';
import type { MemoryService } from './memoryService';
import { auctionDetailsMarkdown, auctionSummary } from './memoryFormat';

export const MEMORY_VIEW_ID = 'sale.memory';
export const MEMORY_DETAILS_SCHEME = 'sale-memory';

/** One past auction in the tree. */
export class AuctionItem extends vscode.TreeItem {
  constructor(readonly view: AuctionView) {
    const s = auctionSummary(view);
    super(s.label, vscode.TreeItemCollapsibleState.None);
    this.id = view.head.id;
    this.description = s.description;
    this.tooltip = new vscode.MarkdownString(s.tooltip);
    this.tooltip.supportHtml = false;
    this.contextValue = 'sale.auction';
    this.iconPath = new vscode.ThemeIcon(s.icon, s.color ? new vscode.ThemeColor(s.color) : undefined);
    this.command = { command: 'sale.memory.open', title: vscode.l10n.t('Show Details'), arguments: [this] };
  }
}

/**
 * The memory browser: past auctions of this workspace, newest first, with task, winner, outcome and cost;
 * filtered by a search; each opens a read-only details document. Deleting, exporting, importing and clearing
 * are commands on the view.
 */
export class MemoryTreeProvider implements vscode.TreeDataProvider<AuctionItem>, Disposable {
  private readonly changed = new Emitter<AuctionItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event as vscode.Event<AuctionItem | undefined>;
  private filter = '';

  constructor(
    private readonly memory: MemoryService,
    private readonly log: Logger,
  ) {}

  setFilter(text: string): void {
    this.filter = text.trim().toLowerCase();
    void vscode.commands.executeCommand('setContext', 'sale.memory.filtered', this.filter !== '');
    this.refresh();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(item: AuctionItem): vscode.TreeItem {
    return item;
  }

  async getChildren(item?: AuctionItem): Promise<AuctionItem[]> {
    if (item) return [];
    try {
      const store = await this.memory.store();
      await store.refresh();
      return store
        .list()
        .filter((v) => !this.filter || `${v.head.task}\n${v.head.winner?.modelId ?? ''}\n${v.label ?? ''}`.toLowerCase().includes(this.filter))
        .map((v) => new AuctionItem(v));
    } catch (e) {
      this.log.error(`Could not read the auction memory: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Serves `sale-memory:/<auctionId>.md`: a read-only summary of one past auction. */
export class MemoryDetailsProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly memory: MemoryService) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const store = await this.memory.store();
    const view = store.get(id);
    const auction = view && (await store.auction(id));
    return view && auction ? auctionDetailsMarkdown(view, auction, await store.outcomes(id)) : vscode.l10n.t('This auction is no longer in the memory.');
  }
}
