// A scenario's `load:` block as a person writes it: closed or open loop, stages, stop
// conditions, warmup, probes. src/scenario/schema.ts places it in the scenario file;
// planLoad (./load-plan.ts) turns the validated block into the plan the engines follow.
import { z } from 'zod';
import { INPUT_LIMITS } from '../core/input-limits.js';
import { durationMs } from '../util/schema.js';

const positiveInt = z.number().int().positive();

/** GuideLLM's load profiles, by its names (docs/scenarios.md). */
export const LOAD_PROFILES = ['synchronous', 'throughput', 'sweep'] as const;
export type LoadProfile = (typeof LOAD_PROFILES)[number];
/** GuideLLM's default number of benchmarks in a sweep. */
export const DEFAULT_SWEEP_SIZE = 10;
/** Limits checked before anything is allocated (src/core/input-limits.ts). */
const concurrency = z.number().int().max(INPUT_LIMITS.concurrency);
const rate = z.number().max(INPUT_LIMITS.ratePerSec);

const closedStage = z.strictObject({ duration: durationMs, concurrency: concurrency.min(0) });
const openStage = z.strictObject({ duration: durationMs, rate: rate.min(0) });

const warmupSchema = z.union([
  z
    .number()
    .int()
    .min(0)
    .transform((requests) => ({ requests })),
  z.string().transform((text, ctx) => {
    const parsed = durationMs.safeParse(text);
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a request count or a duration such as 5s, got ${JSON.stringify(text)}`,
      });
      return z.NEVER;
    }
    return { duration: parsed.data };
  }),
  z.strictObject({ requests: z.number().int().min(0).optional(), duration: durationMs.optional() }),
]);

export const loadSchema = z.strictObject({
  concurrency: concurrency
    .positive()
    .optional()
    .describe(
      'Closed loop: this many requests in flight, each user sending again as soon as its request ends. 1 when neither rate nor stages is set.',
    ),
  rate: rate
    .positive()
    .optional()
    .describe('Open loop: requests per second, sent on schedule whatever the endpoint does.'),
  arrival: z
    .enum(['constant', 'poisson'])
    .default('constant')
    .describe('Open loop arrivals: evenly spaced, or a Poisson process with that mean rate.'),
  maxInFlight: positiveInt
    .max(INPUT_LIMITS.maxInFlight)
    .optional()
    .describe(
      'Open loop: at most this many requests in flight; arrivals beyond it wait (and their send lag shows it).',
    ),
  stages: z
    .array(z.union([closedStage, openStage]))
    .min(1)
    .max(INPUT_LIMITS.stages)
    .optional()
    .describe('Ramps: each stage moves linearly from the previous level to its own over its duration.'),
  requests: positiveInt.optional().describe('Stop after this many measured requests (warmup excluded).'),
  duration: durationMs
    .optional()
    .describe('Stop scheduling after this long (warmup excluded); requests in flight finish.'),
  warmup: warmupSchema
    .optional()
    .describe('Requests run first and left out of statistics: a count, a duration, or {requests, duration}.'),
  probes: positiveInt
    .optional()
    .describe('Probes: this many requests one at a time, each after a pause (cold-start experiments).'),
  gap: durationMs
    .optional()
    .describe("Probes: the pause after each probe ends; make it longer than the endpoint's idle timeout."),
  replay: z
    .union([
      z.literal(true).transform(() => ({ speedup: 1 })),
      z.strictObject({
        speedup: z
          .number()
          .positive()
          .max(1_000_000)
          .default(1)
          .describe("Replay this many times faster than the trace's own pace (0.5: half as fast)."),
      }),
    ])
    .optional()
    .describe(
      "Trace replay: one request at each arrival of input.trace, at the trace's offsets divided by speedup (true: its own pace).",
    ),
  profile: z
    .enum(LOAD_PROFILES)
    .optional()
    .describe(
      "GuideLLM's profiles: synchronous (one request at a time), throughput (every request at once, or load.maxInFlight at a time: the endpoint's most), sweep (synchronous, throughput, then constant rates evenly spaced between the two rates measured). Instead of concurrency, rate and stages.",
    ),
  sweepSize: z
    .number()
    .int()
    .min(2)
    .max(INPUT_LIMITS.variants)
    .optional()
    .describe(
      "load.profile sweep: benchmarks in all, as GuideLLM's --rate: the synchronous and throughput runs, then sweepSize - 2 constant rates up to the throughput rate (default 10).",
    ),
  untilIdle: z
    .boolean()
    .optional()
    .describe('Probes: after each one, wait until /health reports no ready or running worker (scaled to zero).'),
});

/** The validated `load:` block. */
export type LoadSettings = z.output<typeof loadSchema>;
