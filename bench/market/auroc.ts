/**
 * Area under the ROC curve of a score against binary labels (Mann-Whitney U, ties count one half): the chance
 * that a random positive scores above a random negative. 0.5 = useless, 1 = perfect. NaN without both classes.
 */
export function auroc(scores: readonly number[], labels: readonly boolean[]): number {
  if (scores.length !== labels.length) throw new Error('auroc: scores and labels differ in length');
  const items = scores.map((s, i) => ({ s, y: labels[i]! })).sort((a, b) => a.s - b.s);
  const pos = items.filter((x) => x.y).length;
  const neg = items.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  // Sum of positive ranks with mid-ranks for ties.
  let rankSum = 0;
  for (let i = 0; i < items.length; ) {
    let j = i;
    while (j < items.length && items[j]!.s === items[i]!.s) j++;
    const mid = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) if (items[t]!.y) rankSum += mid;
    i = j;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
