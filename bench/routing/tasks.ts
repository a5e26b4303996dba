import type { Assumptions } from './assumptions';
import { keyedUniform, pickWeighted } from './random';

/** One model of the simulated pool. */
export interface PoolModel {
  id: string;
  pricePerMTok: number;
  /** Position between the smallest (0) and largest (1) model on a log-price scale. */
  sizePosition: number;
}

/** One task of the stream: what routers may read (text) and what only the simulation knows (the rest). */
export interface SimTask {
  index: number;
  /** The memory's cluster. */
  family: string;
  band: number;
  /** Continuous complexity in band units, [0, 3): band + position within the band. */
  complexity: number;
  /** The description: the only thing description-based routers see. */
  text: string;
  /** True chance of success per model id, before any memory effect. */
  chance: Record<string, number>;
}

/** The pool, ordered cheapest first. */
export function poolOf(a: Assumptions): PoolModel[] {
  const models = [...a.pool.models].sort((x, y) => x.pricePerMTok - y.pricePerMTok);
  const lo = Math.log(models[0]!.pricePerMTok);
  const hi = Math.log(models[models.length - 1]!.pricePerMTok);
  return models.map((m) => ({ id: m.id, pricePerMTok: m.pricePerMTok, sizePosition: hi === lo ? 1 : (Math.log(m.pricePerMTok) - lo) / (hi - lo) }));
}

/** A per-band value at a continuous complexity: linear between band centres (0.5, 1.5, 2.5), flat beyond them. */
export function atComplexity(values: readonly number[], complexity: number): number {
  const x = complexity - 0.5;
  if (x <= 0) return values[0]!;
  const last = values.length - 1;
  if (x >= last) return values[last]!;
  const i = Math.floor(x);
  const t = x - i;
  return values[i]! * (1 - t) + values[i + 1]! * t;
}

/** True chance of each model on a task of this complexity (see assumptions.json for each number's source). */
export function chancesAt(a: Assumptions, pool: readonly PoolModel[], complexity: number): Record<string, number> {
  const largest = atComplexity(a.largestPassAt1ByBand.value, complexity);
  const smallestRatio = atComplexity(a.smallestRatioByBand.value, complexity);
  return Object.fromEntries(pool.map((m) => [m.id, largest * (smallestRatio + (1 - smallestRatio) * m.sizePosition)]));
}

/** The task stream of a seed: the same for every router. */
export function generateTasks(a: Assumptions, pool: readonly PoolModel[], seed: number, count: number): SimTask[] {
  const families = a.families.value;
  const scope = a.scopeWords;
  const tasks: SimTask[] = [];
  for (let index = 0; index < count; index++) {
    const u = (what: string): number => keyedUniform(seed, 'task', index, what);
    const band = pickWeighted(a.bandShares.value, u('band'));
    const complexity = band + u('position');
    // Families lean towards a typical band, so the description carries some (not all) of the difficulty.
    const family = families[pickWeighted(families.map((f) => Math.exp(-Math.abs(f.band - band) / a.families.familyBandSpread)), u('family'))]!;
    const pick = <T>(xs: readonly T[], what: string): T => xs[Math.floor(u(what) * xs.length)]!;
    const scopeBand = u('hint') < scope.hintProbability ? band : Math.floor(u('scope-band') * scope.value.length);
    const words = [pick(family.words, 'w1'), pick(family.words, 'w2'), pick(scope.value[scopeBand]!, 'scope'), pick(scope.filler, 'f1'), pick(scope.filler, 'f2')];
    tasks.push({ index, family: family.name, band, complexity, text: `${pick(['fix', 'add', 'change', 'update'], 'verb')} ${words.join(' ')}`, chance: chancesAt(a, pool, complexity) });
  }
  return tasks;
}

/** Whether a run of `modelId` on the task succeeds at chance p: one uniform per (task, model), shared by routers. */
export function succeeds(seed: number, task: SimTask, modelId: string, p: number): boolean {
  return keyedUniform(seed, 'success', task.index, modelId) < p;
}

/** Tokens of one agent run on the task (assumed equal across models and outcomes). */
export function executionTokens(a: Assumptions, task: SimTask): { input: number; output: number } {
  return { input: a.executionTokensByBand.input[task.band]!, output: a.executionTokensByBand.output[task.band]! };
}
