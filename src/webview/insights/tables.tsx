import type { CostPoint, JurorInsight, ModelInsight, RateFigure, ReplayInsight, RoutingInsights, WeightsFigure } from '../../common/protocol/insights';
import { pct, shortTime, tokens, usd } from '../report/format';
import { Scroll } from '../shared/scroll';

/** "3 of 5 · 60% (27–86%)"; a dash without data. The interval is Wilson's 90%. */
export function rateText(r: RateFigure): string {
  if (r.n === 0 || r.rate === undefined) return '—';
  return `${r.successes} of ${r.n} · ${pct(r.rate)} (${pct(r.low)}–${pct(r.high)})`;
}

const fixed = (n: number | undefined, digits = 2) => (n === undefined ? '—' : n.toFixed(digits));

/**
 * AUROC with its standard error and counts. At 0 or 1 the Hanley–McNeil error is 0 whatever the counts, which would
 * read as certainty: there only the counts are shown.
 */
function aurocText(j: JurorInsight): string {
  const a = j.auroc;
  if (!a) return '— (needs a success and a failure)';
  const counts = `${a.positives}+ / ${a.negatives}−`;
  return a.auc > 0 && a.auc < 1 ? `${a.auc.toFixed(2)} ± ${a.se.toFixed(2)} (${counts})` : `${a.auc.toFixed(2)} (${counts}; too few to bound)`;
}

export function JurorTable({ jurors }: { jurors: JurorInsight[] }) {
  return (
    <Scroll label="Juror calibration table">
      <table id="jurors">
        <caption class="visually-hidden">Each juror's scores of executed bids against their real outcomes</caption>
        <thead>
          <tr>
            <th scope="col">Juror</th>
            <th scope="col" class="num">Bids judged</th>
            <th scope="col" class="num" title="How well its scores rank successes above failures: 0.5 is chance, 1 is perfect (± standard error)">AUROC</th>
            <th scope="col" class="num" title="Mean squared error of score / 5 as a chance of success: lower is better, 0.25 is what saying ½ always scores">Brier</th>
            <th scope="col" class="num">Mean score, succeeded</th>
            <th scope="col" class="num">Mean score, failed</th>
          </tr>
        </thead>
        <tbody>
          {jurors.map((j) => (
            <tr key={j.jurorId} data-juror={j.jurorId}>
              <th scope="row" class="model-id">{j.jurorId}</th>
              <td class="num">{j.observations}</td>
              <td class="num">{aurocText(j)}</td>
              <td class="num">{fixed(j.brier, 3)}</td>
              <td class="num">{fixed(j.meanScoreSuccess)}</td>
              <td class="num">{fixed(j.meanScoreFailure)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>Reliability as a table</summary>
        <table id="reliability">
          <thead>
            <tr>
              <th scope="col">Juror</th>
              <th scope="col" class="num">Score / 5</th>
              <th scope="col" class="num">Bids</th>
              <th scope="col" class="num">Observed success (90% interval)</th>
            </tr>
          </thead>
          <tbody>
            {jurors.flatMap((j) =>
              j.reliability.map((b) => (
                <tr key={`${j.jurorId}-${b.from}`}>
                  <th scope="row" class="model-id">{j.jurorId}</th>
                  <td class="num">{pct(b.meanPredicted)}</td>
                  <td class="num">{b.count}</td>
                  <td class="num">{rateText(b.observed)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </details>
    </Scroll>
  );
}

export function ModelTable({ models }: { models: ModelInsight[] }) {
  return (
    <Scroll label="Model rates table">
      <table id="models">
        <caption class="visually-hidden">Each model's auctions, wins and outcomes in this workspace</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" class="num">Auctions</th>
            <th scope="col" class="num">Won</th>
            <th scope="col" class="num" title="Executed bids whose work was accepted, partly accepted or passed its tests, of those with a verdict">Succeeded</th>
            <th scope="col" class="num" title="Reviews that kept the work (fully or partly), of all reviews">Accepted</th>
            <th scope="col" class="num" title="Test runs after apply that passed, of all test runs">Tests passed</th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.modelId} data-model={m.modelId}>
              <th scope="row" class="model-id">{m.modelId}</th>
              <td class="num">{m.auctions}</td>
              <td class="num rate-wins">{rateText(m.wins)}</td>
              <td class="num rate-success">{rateText(m.success)}</td>
              <td class="num rate-accept">{rateText(m.accept)}</td>
              <td class="num rate-tests">{rateText(m.testsPassed)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

/** Per model: mean expected against mean actual execution cost and tokens, over the runs that have both. */
export function CostTable({ models, points }: { models: ModelInsight[]; points: CostPoint[] }) {
  const rows = models.filter((m) => m.cost || m.actual);
  if (rows.length === 0) return <p class="muted" id="cost-accuracy">No run has a measured cost yet.</p>;
  return (
    <Scroll label="Expected and actual cost table">
      <table id="cost-accuracy">
        <caption class="visually-hidden">Expected against actual execution cost per model</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" class="num">Runs compared</th>
            <th scope="col" class="num">Mean expected</th>
            <th scope="col" class="num">Mean actual</th>
            <th scope="col" class="num" title="Total actual / total expected: above 1× the executions cost more than the auction expected">Actual / expected</th>
            <th scope="col" class="num">Tokens in, expected → actual</th>
            <th scope="col" class="num">Tokens out, expected → actual</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.modelId} data-model={m.modelId}>
              <th scope="row" class="model-id">{m.modelId}</th>
              <td class="num">{m.cost?.runs ?? 0}</td>
              <td class="num">{m.cost ? usd(m.cost.meanEstimatedUsd) : '—'}</td>
              <td class="num">{m.cost ? usd(m.cost.meanActualUsd) : m.actual?.meanUsd !== undefined ? `${usd(m.actual.meanUsd)} (no estimate)` : '—'}</td>
              <td class="num">{m.cost?.actualOverEstimated !== undefined ? `${m.cost.actualOverEstimated.toFixed(2)}×` : '—'}</td>
              <td class="num">{m.cost?.tokens ? `${tokens(Math.round(m.cost.tokens.meanEstimatedInput))} → ${tokens(Math.round(m.cost.tokens.meanActualInput))}` : '—'}</td>
              <td class="num">{m.cost?.tokens ? `${tokens(Math.round(m.cost.tokens.meanEstimatedOutput))} → ${tokens(Math.round(m.cost.tokens.meanActualOutput))}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>{points.length} run(s) with a verdict have both an expected and a measured cost</summary>
        <table id="cost-points">
          <thead>
            <tr>
              <th scope="col">Auction</th>
              <th scope="col">Model</th>
              <th scope="col" class="num">Expected</th>
              <th scope="col" class="num">Actual</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.bidId}>
                <td class="nowrap">{shortTime(p.time)}</td>
                <td class="model-id">{p.modelId}</td>
                <td class="num">{usd(p.expectedUsd)}</td>
                <td class="num">{usd(p.actualUsd)}</td>
                <td>{p.success ? 'succeeded' : 'failed'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </Scroll>
  );
}

function weightsText(w: WeightsFigure): string {
  const jurors = w.jurors ? Object.entries(w.jurors).map(([id, v]) => `${id} ${v}`) : [];
  const rule = w.rule === 'expected-utility' ? [`rule: expected utility (quality preference ${w.qualityPreference ?? 0})`] : [];
  return [`cost ${w.cost}`, `entropy ${w.entropy}`, `jury ${w.jury}`, ...(jurors.length ? [`jurors: ${jurors.join(', ')}`] : []), ...(w.record === undefined ? [] : [`record ${w.record}`]), ...rule].join(' · ');
}

export function WeightsSection({ weights }: { weights: RoutingInsights['weights'] }) {
  return (
    <div id="weights">
      <p>
        <strong>In force:</strong> <span id="weights-in-force">{weightsText(weights.inForce)}</span>{' '}
        <span class="muted">({weights.fromWorkspace ? 'this workspace\'s settings' : 'user settings or defaults'})</span>
      </p>
      {weights.adoptions.length > 0 ? (
        <details>
          <summary>{weights.adoptions.length} change(s) through the weight fit</summary>
          <ul id="adoptions">
            {[...weights.adoptions].reverse().map((a) => (
              <li key={a.time}>
                {shortTime(a.time)}: {weightsText(a.before)} → {weightsText(a.after)}
              </li>
            ))}
          </ul>
        </details>
      ) : (
        <p class="muted">No weights were fitted in this workspace yet.</p>
      )}
    </div>
  );
}

const dollarsText = (d: ReplayInsight['rows'][number]['baseline']['dollars']) => (d.basis === 'measured' ? usd(d.usd) : d.basis === 'estimated' ? `≈ ${usd(d.usd)}` : '?');

/** What the two sides of a replay are called. */
const REPLAY_SIDES: Record<ReplayInsight['kind'], [string, string]> = { fit: ['In force', 'Fitted'], adoption: ['Before', 'Adopted'], reset: ['Before the reset', 'After the reset'] };

export function ReplaySection({ replay }: { replay: ReplayInsight }) {
  const changed = replay.rows.filter((r) => r.changed);
  const names = REPLAY_SIDES[replay.kind];
  const side = (t: ReplayInsight['baselineTotals']) => `${t.good} succeeded, ${t.bad} failed, ${t.unknown} never judged · ${usd(t.measuredUsd)} measured + ${usd(t.estimatedUsd)} estimated${t.unpriced ? ` + ${t.unpriced} unpriced` : ''}`;
  return (
    <div id="replay">
      <p id="replay-summary">
        {replay.kind === 'fit' ? `The fit of ${shortTime(replay.time)} (not adopted)` : replay.kind === 'reset' ? `The reset of ${shortTime(replay.time)}` : `The weights adopted ${shortTime(replay.time)}`} would change{' '}
        <strong>{replay.changed}</strong> of {replay.rows.length} picks: {replay.avoidedFailures} known failure(s) avoided, {replay.lostSuccesses} known success(es) given up.
        {replay.notReplayed ? ` ${replay.notReplayed} auction(s) could not be replayed.` : ''}
        {replay.baseline.rule === 'expected-utility' || replay.proposed.rule === 'expected-utility'
          ? ' The replay ranks by the score (cost − value) with these weights: the expected-utility rule decides on predictions of success, which are not on the record.'
          : ''}
      </p>
      <ul class="small">
        <li>
          {names[0]} ({weightsText(replay.baseline)}): {side(replay.baselineTotals)}
        </li>
        <li>
          {names[1]} ({weightsText(replay.proposed)}): {side(replay.proposedTotals)}
        </li>
      </ul>
      {changed.length > 0 ? (
        <Scroll label="Changed picks">
          <table id="replay-rows">
            <thead>
              <tr>
                <th scope="col">Auction</th>
                <th scope="col">Task</th>
                <th scope="col">{names[0]} picks</th>
                <th scope="col">{names[1]} picks</th>
              </tr>
            </thead>
            <tbody>
              {changed.map((r) => (
                <tr key={r.auctionId} data-auction={r.auctionId}>
                  <td class="nowrap">{shortTime(r.time)}</td>
                  <td class="task">{r.task}</td>
                  <td>
                    {r.baseline.modelId} · {r.baseline.outcome === 'unknown' ? 'never judged' : r.baseline.outcome === 'good' ? 'succeeded' : 'failed'} · {dollarsText(r.baseline.dollars)}
                  </td>
                  <td>
                    {r.proposed.modelId} · {r.proposed.outcome === 'unknown' ? 'never judged' : r.proposed.outcome === 'good' ? 'succeeded' : 'failed'} · {dollarsText(r.proposed.dollars)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      ) : null}
    </div>
  );
}
