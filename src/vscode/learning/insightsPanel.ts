import * as vscode from 'vscode';
import type { AuctionWeights } from '../../common/auction/weights';
import { insightsToCsv, insightsToJson } from '../../common/learning/insightsExport';
import type { Observation } from '../../common/learning/observations';
import { buildRoutingInsights, replayInsight, type InsightsJournal } from '../../common/learning/routingInsights';
import { fitAuctionOf } from '../../common/learning/weightFeatures';
import { candidatesAt, type Adoption } from '../../common/learning/weightHistory';
import { replayWeights } from '../../common/learning/weightReplay';
import type { Logger } from '../../common/log';
import { insightsProtocol, type FitReply, type InsightsExportFormat, type InsightsProtocol, type ReplayInsight, type RoutingInsights } from '../../common/protocol/insights';
import type { ExportReply } from '../../common/protocol/report';
import { WebviewEditorPanel } from '../webviewEditorPanel';
import type { LastFit } from './weightsState';

export const INSIGHTS_VIEW_TYPE = 'sale.routingInsights';
/** Most recent auctions the view reads (as the weight fit does). */
export const INSIGHTS_MAX_AUCTIONS = 500;

/** What the view reads: the journal, the weights and their history, the last fit of this window. */
export interface InsightsSources {
  scope: string;
  journal(): Promise<InsightsJournal>;
  weightsInForce(): AuctionWeights;
  weightsFromWorkspace(): boolean;
  adoptions(): Adoption[];
  lastFit(): LastFit | undefined;
  /** Runs the weight fit (it asks before adopting; the view refreshes when it ends) and says how it ended. */
  fitWeights(): Promise<Omit<FitReply, 'status'> & { status: Exclude<FitReply['status'], 'busy'> }>;
}

/**
 * "SALE: Show Routing Insights": how this workspace's real outcomes read against what the auctions predicted. Built
 * from the journal on `ready`, on `refresh` and when the memory or the weights change; exports CSV (the
 * observations) or JSON (the insights and the observations).
 */
export class RoutingInsightsPanel implements vscode.Disposable {
  private readonly panel: WebviewEditorPanel<InsightsProtocol>;
  private last: { insights: RoutingInsights; observations: Observation[] } | undefined;
  private building: Promise<void> | undefined;
  private again = false;
  private fitting = false;

  constructor(
    extensionUri: vscode.Uri,
    private readonly sources: InsightsSources,
    private readonly log: Logger,
  ) {
    this.panel = new WebviewEditorPanel(
      extensionUri,
      {
        viewType: INSIGHTS_VIEW_TYPE,
        title: vscode.l10n.t('SALE Routing Insights'),
        script: 'insights.js',
        // The report's stylesheet gives the shared layout (toolbar, cards, tables, uPlot); insights.css adds its own.
        style: ['report.css', 'insights.css'],
        protocol: insightsProtocol,
        commands: { refresh: () => this.refresh() },
        requests: { export: ({ format }) => this.export(format), fitWeights: () => this.fit() },
        onReady: () => void this.refresh(),
      },
      log,
    );
  }

  /** Runs the weight fit once at a time (a second click while it runs is answered `busy`), then refreshes. */
  private async fit(): Promise<FitReply> {
    if (this.fitting) return { status: 'busy', message: vscode.l10n.t('A weight fit is already running.') };
    this.fitting = true;
    try {
      return await this.sources.fitWeights();
    } finally {
      this.fitting = false;
      await this.refresh();
    }
  }

  show(): void {
    this.panel.show();
  }

  /** The insights as they are now, built afresh (what the command returns to tests and automation). */
  async snapshot(): Promise<RoutingInsights> {
    return (await this.compute()).insights;
  }

  /** Rebuilds the insights and posts them when the view is open; refreshes asked for meanwhile coalesce into one. */
  refresh(): Promise<void> {
    if (!this.panel.ready) return Promise.resolve();
    if (this.building) {
      this.again = true;
      return this.building;
    }
    this.building = (async () => {
      do {
        this.again = false;
        await this.build();
      } while (this.again && this.panel.ready);
    })().finally(() => (this.building = undefined));
    return this.building;
  }

  private async build(): Promise<void> {
    try {
      this.last = await this.compute();
      this.panel.notify({ type: 'insights', insights: this.last.insights });
    } catch (e) {
      this.log.error(e instanceof Error ? e : String(e));
      const why = e instanceof Error ? e.message : String(e);
      this.panel.notify({ type: 'status', level: 'error', text: vscode.l10n.t('Could not build the routing insights: {0}. "SALE: Show Logs" has the details; Refresh tries again.', why) });
    }
  }

  private async compute(): Promise<{ insights: RoutingInsights; observations: Observation[] }> {
    const journal = await this.sources.journal();
    const inForce = this.sources.weightsInForce();
    const adoptions = this.sources.adoptions();
    const replay = this.replay(journal, inForce, adoptions);
    return buildRoutingInsights(journal, {
      scope: this.sources.scope,
      now: new Date(),
      weights: { inForce, fromWorkspace: this.sources.weightsFromWorkspace(), adoptions },
      ...(replay ? { replay } : {}),
    });
  }

  /**
   * The replay the view shows: the last fit of this window when it was not adopted (what adopting it would change),
   * else the last adoption (or reset) against the weights it replaced; none before any fit. Replayed over the journal as it
   * is now, so auctions since the fit count too.
   */
  private replay(journal: InsightsJournal, inForce: AuctionWeights, adoptions: readonly Adoption[]): ReplayInsight | undefined {
    const fit = this.sources.lastFit();
    const adoption = adoptions[adoptions.length - 1];
    const pending = fit && !fit.adopted && (!adoption || adoption.time <= fit.time) ? fit : undefined;
    const side = pending
      ? { kind: 'fit' as const, time: pending.time, baseline: inForce, proposed: pending.fitted }
      : adoption
        ? { kind: adoption.kind === 'reset' ? ('reset' as const) : ('adoption' as const), time: adoption.time, baseline: adoption.before, proposed: adoption.after }
        : undefined;
    if (!side) return undefined;
    const auctions = journal.auctions.map((line) => fitAuctionOf(line, journal.outcomes.get(line.id) ?? [], candidatesAt(line.time, adoptions, inForce)));
    return replayInsight(side.kind, side.time, replayWeights(auctions, side.baseline, side.proposed), side.baseline, side.proposed);
  }

  private export(format: InsightsExportFormat): Promise<ExportReply> {
    return this.panel.export({
      format,
      baseName: 'sale-routing-insights',
      title: format === 'csv' ? vscode.l10n.t('Export every executed bid with a verdict as CSV') : vscode.l10n.t('Export the routing insights as JSON'),
      what: 'the routing insights',
      text: async () => {
        const built = this.last ?? (await this.compute());
        return format === 'csv' ? insightsToCsv(built.observations) : insightsToJson(built.insights, built.observations);
      },
    });
  }

  dispose(): void {
    this.panel.dispose();
  }
}
