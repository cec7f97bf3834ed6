// The scenario file: what to send, how hard, for how long, and against what. Validated
// before any request is sent; every error names the file, the field path and what was
// expected. See scenarios/*.yaml for commented examples.
import { z } from 'zod';
import type { FieldPath } from '../util/field-path.js';
import { durationMs, positiveDurationMs } from '../util/schema.js';
import { loadSchema } from '../schedule/load-schema.js';
import { emulatorSettingsSchema } from '../emulator/settings/index.js';
import { MODES } from '../core/record.js';

export const INPUT_FORMATS = [
  'messages',
  'prompt',
  'prompt_chat_template',
  'openai_chat',
  'openai_completions',
] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

const positiveInt = z.number().int().positive();

const targetSchema = z
  .strictObject({
    /** Full endpoint URL: https://api.runpod.ai/v2/<id>, or any base ending in the endpoint id. */
    endpoint: z.string().min(1).optional(),
    /** Endpoint id on api.runpod.ai; the URL is built from it. */
    endpointId: z.string().min(1).optional(),
    /** Name of the environment variable that holds the API key (never the key itself). */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name')
      .default('RUNPOD_API_KEY'),
  })
  .refine((t) => !(t.endpoint && t.endpointId), { message: 'give endpoint or endpointId, not both' });

const messageSchema = z.strictObject({
  role: z.enum(['system', 'user', 'assistant', 'tool', 'developer']),
  content: z.string(),
  name: z.string().optional(),
});

const inputSchema = z
  .strictObject({
    format: z.enum(INPUT_FORMATS).default('messages'),
    /** Synthetic prompts of about this many tokens (the emulator's token estimate), seeded. */
    synthetic: z
      .strictObject({
        promptTokens: positiveInt.default(128),
        /** Relative spread: each prompt is promptTokens x (1 +- spread), uniformly. */
        spread: z.number().min(0).max(1).default(0.2),
        /** A system message for the messages and openai_chat formats (omitted when empty). */
        system: z.string().default('You are a helpful assistant.'),
      })
      .optional(),
    /** JSONL file of prompts, one object per line with `prompt` or `messages`; relative to the scenario file. */
    file: z.string().min(1).optional(),
    /** Model name for the OpenAI routes; default: the first id /openai/v1/models returns. */
    model: z.string().min(1).optional(),
  })
  .refine((i) => !(i.synthetic && i.file), { message: 'give synthetic or file, not both' });

const streamSchema = z.strictObject({
  max_batch_size: positiveInt.optional(),
  min_batch_size: positiveInt.optional(),
  batch_size_growth_factor: z.number().positive().optional(),
});

const pollingSchema = z.strictObject({
  /** Pause between /status or /stream polls. */
  interval: durationMs.default(250),
  /** Each empty poll multiplies the pause by this (1 = fixed interval). */
  backoff: z.number().min(1).max(10).default(1),
  /** The pause never grows beyond this. */
  maxInterval: durationMs.default(2000),
  /** Long-poll: ?wait= on /stream and /status-sync (0 = plain /status and /stream without wait). */
  wait: durationMs.default(0),
  /** ?wait= on /runsync (Runpod: 1000-300000 ms, default 90000). */
  runsyncWait: durationMs.default(90_000),
  /** Sample /health this often during the run to see workers and queue (0 = never). */
  health: durationMs.default(1000),
});

const retrySchema = z.strictObject({
  /** Retries after a 429, 5xx, network or protocol error, per HTTP call. */
  maxRetries: z.number().int().min(0).max(20).default(3),
  /** Backoff before retry k is min(maxDelay, baseDelay x 2^k) with jitter (x 0.5-1). */
  baseDelay: durationMs.default(1000),
  maxDelay: durationMs.default(30_000),
});

const timeoutsSchema = z.strictObject({
  /** A request (submission, queue, execution, polling) that takes longer ends as client_timeout, and its job is cancelled. */
  request: positiveDurationMs.default(600_000),
  /** One HTTP call without a response header for this long is a network error (then retried). /runsync waits are added. */
  http: positiveDurationMs.default(60_000),
});

const coldStartSchema = z.strictObject({
  /** A request counts as cold only if its delayTime is at least this (default: from the emulator's settings, else 1s). */
  thresholdMs: z.number().min(0).optional(),
  /** A worker without a job for this long is assumed scaled down (default: the emulator's idle timeout, else 5s). */
  idleGapMs: z.number().min(0).optional(),
});

/** A capacity sweep: the level rises until the SLOs break, then bisects (src/answers/capacity-search.ts). */
const sweepSchema = z.strictObject({
  field: z.enum(['load.concurrency', 'load.rate']),
  start: z.number().positive(),
  /** Each step multiplies the level by this. */
  factor: z.number().gt(1).max(10).default(2),
  max: z.number().positive(),
  /** Bisection steps between the last good and the first bad level. */
  refine: z.number().int().min(0).max(20).default(3),
  /** A step with a higher error rate (429s included) is bad. */
  maxErrorRate: z.number().min(0).max(1).default(0.01),
  /** Stop growing when throughput rose by less than this share over the previous step. */
  minGain: z.number().min(0).max(1).default(0.05),
  tolerance: z
    .number()
    .gt(0)
    .max(1)
    .default(0.03)
    .describe(
      "A step whose steady throughput is known to worse than this share (its 95% interval's half width) runs again with twice the requests, up to maxRequests.",
    ),
  maxRequests: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(256)
    .describe('The most measured requests one step may grow to while its throughput is not yet stable.'),
});

/** Capacity planning and cost, from the best sweep step (or the run). */
const planSchema = z
  .strictObject({
    /** The traffic to plan for, in requests per second. */
    targetRps: z.number().positive().optional(),
    /** GPU price per worker: per second, or per hour (one of them). */
    gpuPricePerSecond: z.number().positive().optional(),
    gpuPricePerHour: z.number().positive().optional(),
    /** Flex workers beyond the base, as a share of it, for bursts. */
    headroom: z.number().min(0).max(10).default(0.25),
    /** The endpoint's idle timeout, for billing (default: the emulator's, else Runpod's console default 5 s). */
    idleTimeout: durationMs.optional(),
  })
  .refine((p) => !(p.gpuPricePerSecond !== undefined && p.gpuPricePerHour !== undefined), {
    message: 'give gpuPricePerSecond or gpuPricePerHour, not both',
  });

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-"'),
  description: z.string().default(''),
  /** Absent: run against the embedded emulator configured by `emulator`. */
  target: targetSchema.optional(),
  emulator: emulatorSettingsSchema.prefault({}),
  mode: z.enum(MODES).default('stream'),
  input: inputSchema.prefault({}),
  /** Passed to the worker as they are (vLLM SamplingParams, or the OpenAI body's fields). */
  sampling_params: z.record(z.string(), z.unknown()).default({}),
  /** worker-vllm (<= 2.23) stream batching, sent at the top level of input. */
  stream: streamSchema.default({}),
  polling: pollingSchema.prefault({}),
  load: loadSchema.default({ concurrency: 1, requests: 10, arrival: 'constant' }),
  retry: retrySchema.prefault({}),
  timeouts: timeoutsSchema.prefault({}),
  coldStart: coldStartSchema.default({}),
  /** Limits that protect a paid endpoint: the run stops scheduling once one is reached. */
  budget: z
    .strictObject({
      /** Requests sent in the whole run (all variants, warmup included). */
      maxRequests: positiveInt.optional(),
      /** Wall time of the whole run; requests in flight then get the interrupt's grace period. */
      maxDuration: durationMs.optional(),
      /** Output tokens of finished requests in the whole run. */
      maxOutputTokens: positiveInt.optional(),
    })
    .default({}),
  /** Pass/fail checks over summary metrics, e.g. "ttftMs.p95 < 800" (evaluated by `podbench run`). */
  thresholds: z.array(z.string().min(1)).default([]),
  /** Service-level objectives, in the thresholds' language: what a capacity sweep must keep. */
  slo: z.array(z.string().min(1)).default([]),
  sweep: sweepSchema.optional(),
  plan: planSchema.optional(),
  /** Stream batch-size tuning: the TTFT (p95) a setting must meet; without it, the Pareto front is reported. */
  tuning: z.strictObject({ ttftTarget: durationMs.optional() }).optional(),
  /** Seeds prompts, arrivals and jitter. */
  seed: z.number().int().default(1),
  /** Field path -> list of values (or map of label -> value); the cartesian product gives the variants. */
  matrix: z.record(z.string(), z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())])).default({}),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A scenario field's dotted path, as --set and the run flags address it: "load.concurrency". */
export type ScenarioField = FieldPath<ScenarioInput>;
export type SweepSettings = z.output<typeof sweepSchema>;
export type PlanSettings = z.output<typeof planSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type Message = z.output<typeof messageSchema>;
export { messageSchema };
