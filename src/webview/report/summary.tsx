import type { CostReport } from '../../common/protocol/report';
import { pct, premium, usd, usdAtLeast } from './format';

const auctions = (n: number): string => `${n} ${n === 1 ? 'auction' : 'auctions'}`;

/** The headline figures: real spend, the honest savings (measured and estimated apart) next to it, the auction overhead, the largest model's share. */
export function Summary({ report }: { report: CostReport }) {
  const { totals, counterfactual: cf, overhead, largestModel, escalation } = report;
  return (
    <section class="cards" aria-label="Summary">
      <div class="card" id="total-spend">
        <h2 class="label">Total spend</h2>
        <p class="figure">{usdAtLeast(totals.knownUsd, totals.unknownPriceCalls)}</p>
        <p class="muted small">
          {totals.calls} model calls
          {totals.premiumRequests > 0 ? ` · ${premium(totals.premiumRequests)}` : ''}
          {totals.failedCalls > 0 ? ` · ${totals.failedCalls} failed but billed (${usd(totals.failedKnownUsd)})` : ''}
        </p>
      </div>
      <div class="card estimate" id="savings">
        <h2 class="label">Savings</h2>
        {cf ? (
          <>
            <p class="figure">
              {cf.actualIsLowerBound ? 'at most ' : ''}
              {usd(cf.measured.savingsUsd + cf.estimated.savingsUsd)}
            </p>
            <p class="muted small" id="savings-meaning">
              Savings are counted only for accepted work, against the dearest model in each auction&apos;s pool at the time;
              &quot;estimated&quot; prices the accepted run&apos;s tokens at that model&apos;s prices, &quot;measured&quot; comes from a run
              of that model on the same task.
            </p>
            <ul class="small savings-parts">
              <li id="savings-measured">
                Measured: {usd(cf.measured.savingsUsd)} on {auctions(cf.measured.auctions)}
              </li>
              <li id="savings-estimated">
                Estimated: {usd(cf.estimated.savingsUsd)} on {auctions(cf.estimated.auctions)}
              </li>
              <li id="savings-unsaved">
                Spend with no saving (work not accepted): {usd(cf.unsavedSpendUsd)} on {auctions(cf.unsavedAuctions)}
              </li>
              {cf.shadow.runs > 0 || cf.shadow.spend.calls > 0 ? (
                <li id="savings-shadow">
                  Shadow runs (not in any saving): {usdAtLeast(cf.shadow.spend.knownUsd, cf.shadow.spend.unknownPriceCalls)} on {cf.shadow.runs}{' '}
                  {cf.shadow.runs === 1 ? 'run' : 'runs'}, {cf.shadow.passed} passed the tests
                </li>
              ) : null}
              {cf.withoutReference > 0 ? <li class="muted">{auctions(cf.withoutReference)} recorded no priced pool and claim nothing.</li> : null}
            </ul>
          </>
        ) : (
          <p class="muted small" id="counterfactual-note">
            {report.counterfactualUnavailable ?? 'Not available.'}
          </p>
        )}
      </div>
      <div class="card" id="overhead">
        <h2 class="label">Auction overhead</h2>
        <p class="figure">{pct(overhead.share)}</p>
        <p class="muted small">Bidding, jury and refinement: {usd(overhead.auctionUsd)} of total spend.</p>
      </div>
      <div class="card" id="largest-share">
        <h2 class="label">Largest model's executions</h2>
        <p class="figure">{pct(largestModel.share)}</p>
        <p class="muted small">
          {largestModel.modelId === null
            ? 'No priced model to compare with.'
            : `${largestModel.modelId} ran ${largestModel.byLargest} of ${largestModel.executions} executions.`}
        </p>
      </div>
      <div class="card" id="escalation">
        <h2 class="label">First try and escalation</h2>
        <p class="figure">
          {escalation.firstTry.accepted} / {escalation.firstTry.decided}
          <span class="muted small"> first try</span>
          {escalation.escalated.tasks > 0 ? <span class="muted small"> · +{escalation.escalated.accepted} after escalation</span> : null}
        </p>
        <p class="muted small" id="escalation-note">
          First try: {escalation.firstTry.accepted} accepted of {escalation.firstTry.decided} decided
          {escalation.escalated.tasks > 0
            ? `; after escalation: +${escalation.escalated.accepted} (${escalation.escalated.attempts} escalated ${escalation.escalated.attempts === 1 ? 'run' : 'runs'} in ${escalation.escalated.tasks} ${escalation.escalated.tasks === 1 ? 'task' : 'tasks'}).`
            : '; no task escalated to another bid.'}
        </p>
      </div>
    </section>
  );
}

/**
 * The unknown-cost warning: which models, how many calls; the figures are lower bounds. A call is unknown for want
 * of a price, or because its provider reported no token usage (then setting a price would not help).
 */
export function UnknownPrices({ report }: { report: CostReport }) {
  const u = report.unknownPrices;
  if (u.calls === 0 && report.skippedLines === 0) return null;
  const unpriced = u.calls - u.unreportedUsageCalls;
  return (
    <section class="warning" id="unknown-prices" role="status" aria-label="Warnings">
      <span class="codicon codicon-warning" aria-hidden="true" />
      <div>
        {u.calls > 0 ? (
          <p>
            <strong>
              {u.calls} {u.calls === 1 ? 'call has' : 'calls have'} {u.unreportedUsageCalls > 0 ? 'an unknown cost' : 'no known price'}
            </strong>{' '}
            ({u.models.map((m) => `${m.modelId}: ${m.calls}`).join(', ')}). They are not counted as $0: the totals are at least the
            amounts shown.
            {u.unreportedUsageCalls > 0
              ? ` ${u.unreportedUsageCalls} of them ${u.unreportedUsageCalls === 1 ? 'was' : 'were'} priced, but the provider reported no token usage.`
              : ''}
            {unpriced > 0
              ? ` Set a price for ${u.unreportedUsageCalls > 0 ? 'the unpriced models' : u.models.length === 1 ? 'this model' : 'these models'} in the SALE model settings.`
              : ''}
          </p>
        ) : null}
        {report.skippedLines > 0 ? (
          <p>
            {report.skippedLines} ledger {report.skippedLines === 1 ? 'line' : 'lines'} could not be read and {report.skippedLines === 1 ? 'is' : 'are'} not
            included.
          </p>
        ) : null}
      </div>
    </section>
  );
}
