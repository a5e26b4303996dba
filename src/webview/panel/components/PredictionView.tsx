import type { PredictionView as Prediction } from '../../../common/protocol/auctionView';
import { percent, usd } from '../format';

interface Props {
  prediction: Prediction;
  costPerSuccessUsd: number | null;
  bidId: string;
}

/**
 * A bid's predicted chance of success: the figure and its 90% interval in words (so it never rests on colour or
 * the bar alone), a bar showing the interval and the point, what the prediction rests on, and the expected
 * cost per success it implies.
 */
export function PredictionView({ prediction, costPerSuccessUsd, bidId }: Props) {
  const { p, low, high, outcomes, basis } = prediction;
  const id = `prediction-${bidId}`;
  const clamp = (x: number): number => Math.min(100, Math.max(0, x * 100));
  const words = `Predicted chance of success ${percent(p)}, 90% interval ${percent(low)} to ${percent(high)}`;
  return (
    <div class="prediction" data-p={p.toFixed(4)}>
      <p class="prediction-line" id={id}>
        <span class="codicon codicon-pulse" aria-hidden="true" /> predicted success <strong class="prediction-p">{percent(p)}</strong>{' '}
        <span class="prediction-interval">(90% interval {percent(low)}–{percent(high)})</span>
        {costPerSuccessUsd !== null && <span class="prediction-cost"> · {usd(costPerSuccessUsd)} expected per success</span>}
      </p>
      <div class="prediction-bar" role="img" aria-label={words}>
        <span class="prediction-range" style={{ left: `${clamp(low)}%`, width: `${Math.max(0.5, clamp(high) - clamp(low))}%` }} />
        <span class="prediction-point" style={{ left: `${clamp(p)}%` }} />
      </div>
      <p class="prediction-basis">
        {basis}
        {outcomes === 0 ? ' (no outcome recorded for this model yet: the prior alone)' : ''}
      </p>
    </div>
  );
}
