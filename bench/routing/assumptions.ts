import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

// Loads bench/routing/assumptions.json, the one place every assumed number of the simulation lives. The schema
// checks shape and that every entry says where its numbers come from, so a number cannot slip in unsourced.

const source = z.enum(['paper', 'assumption']);
const sourced = { source, note: z.string().min(1) };
const perBand = z.array(z.number()).length(3);

const AssumptionsSchema = z.object({
  pool: z.object({ ...sourced, models: z.array(z.object({ id: z.string(), pricePerMTok: z.number().positive() })).min(2) }),
  bandShares: z.object({ ...sourced, value: perBand }),
  largestPassAt1ByBand: z.object({ ...sourced, value: perBand }),
  smallestRatioByBand: z.object({ ...sourced, value: perBand }),
  middleModelInterpolation: z.object(sourced),
  families: z.object({
    ...sourced,
    familyBandSpread: z.number().positive(),
    value: z.array(z.object({ name: z.string(), band: z.number().int().min(0).max(2), words: z.array(z.string()).min(2) })).min(2),
  }),
  scopeWords: z.object({ ...sourced, hintProbability: z.number().min(0).max(1), value: z.array(z.array(z.string()).min(1)).length(3), filler: z.array(z.string()).min(2) }),
  bidOutputTokensByBand: z.object({ ...sourced, value: perBand }),
  bidLengthFailureCoupling: z.object({ ...sourced, value: z.number().min(0) }),
  contextTokensByBand: z.object({ ...sourced, value: perBand }),
  judgementOutputTokens: z.object({ ...sourced, value: z.number().positive() }),
  logprobPositions: z.object({ ...sourced, value: z.number().int().positive() }),
  juryNoiseMix: z.object(sourced),
  executionTokensByBand: z.object({ ...sourced, input: perBand, output: perBand }),
  memoryBoost: z.object({ ...sourced, sweep: z.array(z.number().min(0)).min(1), default: z.number().min(0) }),
  signalNoise: z.object({ ...sourced, sweep: z.array(z.number().min(0).max(1)).min(1), default: z.number().min(0).max(1) }),
  priceScaledCostWeight: z.object({ ...sourced, likertPoints: z.number().positive() }),
  knnRouter: z.object({ ...sourced, k: z.number().int().positive(), minNeighbours: z.number().int().positive(), threshold: z.number(), exploration: z.number().min(0).max(1) }),
  thresholdRouter: z.object({ ...sourced, sigma: z.number().min(0), threshold: z.number() }),
  reporting: z.object({ ...sourced, window: z.number().int().positive(), horizon: z.number().int().positive() }),
});

/** The simulation's assumptions, as read from assumptions.json. */
export type Assumptions = z.infer<typeof AssumptionsSchema>;

export const ASSUMPTIONS_FILE = 'bench/routing/assumptions.json';

let cached: Assumptions | undefined;

export function loadAssumptions(): Assumptions {
  cached ??= AssumptionsSchema.parse(JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'assumptions.json'), 'utf8')));
  return cached;
}
