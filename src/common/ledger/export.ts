import type { CostReport } from '../protocol/report';
import { decimalCell as num, toCsv } from './csv';
import type { AuctionFact, LedgerCallEntry, LedgerLine } from './entry';

/**
 * Exports of the ledger. CSV: one row per model call, a header row, ISO times, dollars empty (never 0) when the
 * price is unknown, the auction's task and outcome repeated on each of its calls so a spreadsheet can pivot on
 * them. JSON: the report and every call, for scripts.
 */

/** The CSV columns, in order. */
export const LEDGER_CSV_COLUMNS = [
  'time',
  'auction_id',
  'task',
  'outcome',
  'phase',
  'model_id',
  'model',
  'local',
  'ok',
  'error_code',
  'input_tokens',
  'cached_input_tokens',
  'cache_write_input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'price_source',
  'price_as_of',
  'input_per_mtok',
  'output_per_mtok',
  'dollars',
  'latency_ms',
] as const;

function mergedFacts(lines: readonly LedgerLine[]): Map<string, { task?: string; outcome?: string }> {
  const byId = new Map<string, { task?: string; outcome?: string }>();
  for (const l of lines) {
    if (l.kind !== 'auction') continue;
    const f: AuctionFact = l;
    const m = byId.get(f.auctionId) ?? {};
    if (f.task !== undefined) m.task = f.task;
    if (f.outcome !== undefined) m.outcome = f.outcome;
    byId.set(f.auctionId, m);
  }
  return byId;
}

/** One CSV row per call, in ledger order. */
export function ledgerCsvRows(lines: readonly LedgerLine[]): string[][] {
  const facts = mergedFacts(lines);
  return lines
    .filter((l): l is LedgerCallEntry => l.kind === 'call')
    .map((e) => {
      const c = e.call;
      const f = c.auctionId !== undefined ? facts.get(c.auctionId) : undefined;
      return [
        new Date(Date.parse(c.time)).toISOString(),
        c.auctionId ?? '',
        f?.task ?? '',
        f?.outcome ?? '',
        c.phase,
        c.modelId,
        c.model,
        String(c.local),
        String(c.ok),
        c.errorCode ?? '',
        String(c.usage.inputTokens),
        String(c.usage.cachedInputTokens),
        String(c.usage.cacheWriteInputTokens),
        String(c.usage.outputTokens),
        String(c.usage.reasoningTokens),
        e.priceSource,
        c.price?.asOf ?? '',
        c.price ? num(c.price.inputPerMTok) : '',
        c.price ? num(c.price.outputPerMTok) : '',
        e.dollars === null ? '' : num(e.dollars),
        String(Math.round(c.latencyMs)),
      ];
    });
}

/** The ledger as CSV text (header row, CRLF, BOM, formula-guarded cells). */
export function ledgerToCsv(lines: readonly LedgerLine[]): string {
  return toCsv(LEDGER_CSV_COLUMNS, ledgerCsvRows(lines));
}

/** The JSON export: the report and every call line, pretty-printed. */
export function ledgerToJson(report: CostReport, lines: readonly LedgerLine[]): string {
  const calls = lines.filter((l): l is LedgerCallEntry => l.kind === 'call');
  const auctions = lines.filter((l): l is AuctionFact => l.kind === 'auction');
  return JSON.stringify({ format: 'sale-cost-report', version: 1, report, calls, auctions }, null, 2) + '\n';
}

/** Produces the text of an export: CSV of every call, or JSON of the report and every call. */
export type ReportExporter = (format: 'csv' | 'json', report: CostReport) => Promise<string>;

/** An exporter over the ledger's lines, read fresh at export time so the file matches the ledger on disk. */
export function ledgerExporter(readLines: () => Promise<readonly LedgerLine[]>): ReportExporter {
  return async (format, report) => {
    const lines = await readLines();
    return format === 'csv' ? ledgerToCsv(lines) : ledgerToJson(report, lines);
  };
}
