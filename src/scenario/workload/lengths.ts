// Token lengths drawn from a distribution: a fixed number, uniform between two bounds, or a
// normal truncated to [min, max]. Used for synthetic prompt and output lengths. A draw
// depends on the random source handed in only, so each request's length follows from the
// seed and its number.
import { z } from 'zod';
import { INPUT_LIMITS } from '../../core/input-limits.js';

const tokens = z.number().int().positive().max(INPUT_LIMITS.promptTokens);

export const lengthSchema = z
  .union([
    tokens,
    z.strictObject({
      distribution: z.literal('fixed'),
      value: tokens.describe('Every draw is this many tokens.'),
    }),
    z.strictObject({
      distribution: z.literal('uniform'),
      min: tokens.describe('Smallest length, inclusive.'),
      max: tokens.describe('Largest length, inclusive.'),
    }),
    z.strictObject({
      distribution: z.literal('normal'),
      mean: z.number().positive().describe('Mean of the normal before truncation.'),
      stddev: z.number().min(0).describe('Standard deviation before truncation.'),
      min: tokens.optional().describe('Draws below are drawn again (a truncated normal); default 1.'),
      max: tokens.optional().describe('Draws above are drawn again; default: no bound.'),
    }),
  ])
  .superRefine((value, ctx) => {
    if (typeof value === 'number' || value.distribution === 'fixed') return;
    if (value.min !== undefined && value.max !== undefined && value.max < value.min)
      ctx.addIssue({ code: 'custom', message: `max (${value.max}) is below min (${value.min})` });
  })
  .describe(
    'Tokens: a number, or {distribution: fixed, value}, {distribution: uniform, min, max}, {distribution: normal, mean, stddev, min, max}.',
  );

export type LengthSpec = z.output<typeof lengthSchema>;

/** Draws of a truncated normal tried before the draw is clamped instead (bounds far in a tail). */
const MAX_REDRAWS = 64;

/** One length in tokens (an integer of at least 1) from `random`, uniform on [0, 1). */
export function drawLength(spec: LengthSpec, random: () => number): number {
  if (typeof spec === 'number') return spec;
  switch (spec.distribution) {
    case 'fixed':
      return spec.value;
    case 'uniform':
      return spec.min + Math.floor(random() * (spec.max - spec.min + 1));
    case 'normal': {
      const min = spec.min ?? 1;
      const max = spec.max ?? Number.POSITIVE_INFINITY;
      for (let i = 0; i < MAX_REDRAWS; i++) {
        const value = Math.round(spec.mean + spec.stddev * standardNormal(random));
        if (value >= min && value <= max) return value;
      }
      return Math.min(max, Math.max(min, Math.round(spec.mean)));
    }
    default: {
      const never: never = spec;
      throw new Error(`unknown length distribution ${JSON.stringify(never)}`);
    }
  }
}

/** Words for provenance: "128", "uniform 64-256", "normal 128 ± 32 in [16, 512]". */
export function describeLength(spec: LengthSpec): string {
  if (typeof spec === 'number') return String(spec);
  switch (spec.distribution) {
    case 'fixed':
      return String(spec.value);
    case 'uniform':
      return `uniform ${spec.min}-${spec.max}`;
    case 'normal':
      return `normal ${spec.mean} ± ${spec.stddev} in [${spec.min ?? 1}, ${spec.max ?? '∞'}]`;
    default: {
      const never: never = spec;
      return String(never);
    }
  }
}

/** Box-Muller from one uniform source. */
function standardNormal(random: () => number): number {
  let u = random();
  while (u === 0) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
