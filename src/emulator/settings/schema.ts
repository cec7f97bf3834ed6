// Settings of the emulated endpoint. Every field has a default that mimics a small real
// endpoint (an 8B model on one mid-range GPU, worker-vllm legacy format, 0-3 flex workers);
// a YAML/JSON file, a scenario's `emulator:` block and `podbench emulate` flags override them.
//
// Time: every duration here is in emulated milliseconds and runs `timeScale` times faster
// in real time. What the emulator reports (delayTime, executionTime) is what really
// happened, in real milliseconds, so client and server times always compare directly.
import { z } from 'zod';
import { durationDist, durationMs, formatIssues } from '../../util/schema.js';
import { UsageError } from '../../core/errors.js';
import { RUNPOD_LIMITS } from '../../core/runpod-limits.js';

const probability = z.number().min(0).max(1);

const routeLimit = z.strictObject({
  /** Requests allowed in any 10 s window. */
  per10s: z.number().int().positive(),
  /** Requests allowed in flight at once (held long-polls count). */
  concurrent: z.number().int().positive().optional(),
});

/** Runpod's documented limits. /health is not in Runpod's table: it gets the limits of /status. */
const DEFAULT_ROUTE_LIMITS = { ...RUNPOD_LIMITS, health: RUNPOD_LIMITS.status };

export const emulatorSettingsSchema = z
  .strictObject({
    /** Seeds every random draw: generated text, lengths, jitter, cold starts, faults. */
    seed: z.number().int().default(1),
    /** Run all durations this many times faster (tests use 10-1000). */
    timeScale: z.number().positive().max(100_000).default(1),
    /** worker-vllm generation: legacy (<= v2.23.0, token batches) or proxy (>= v2.24.0, raw SSE). */
    worker: z.enum(['legacy', 'proxy']).default('legacy'),
    /** The served model name (/openai/v1/models, `model` in OpenAI responses). */
    model: z.string().min(1).default('meta-llama/Llama-3.1-8B-Instruct'),
    /** Context window: prompt + max_tokens beyond it fails the job as vLLM would. */
    maxModelLen: z.number().int().positive().default(8192),
    /**
     * What generates the tokens: `synthetic` (seeded made-up text and a modelled decode step,
     * the default) or `llama` (a real GGUF model through node-llama-cpp, see `llama`).
     */
    backend: z.enum(['synthetic', 'llama']).default('synthetic'),
    /** The llama backend's model and engine; ignored by the synthetic backend. */
    llama: z
      .strictObject({
        /**
         * GGUF file. Default: $PODBENCH_LLAMA_MODEL, else shared/models/stories260K.gguf beside
         * the package or in a parent folder (see llama/model-path.ts). Relative to the cwd.
         */
        model: z.string().min(1).optional(),
        /**
         * CPU threads per worker's context. 1 by default: on a small machine several threads
         * per decode of a tiny model spin-wait against each other and against the load
         * generator, and throughput collapses to a few tokens/s.
         */
        threads: z.number().int().min(1).default(1),
        /** Tokens per sequence (the real context window). Default: the model's, at most maxModelLen. */
        contextSize: z.number().int().min(16).optional(),
        /** Parallel sequences in one worker's context. Default: workers.concurrency. */
        sequences: z.number().int().min(1).optional(),
        /**
         * Emulated ms added to every decode step on top of the real decode (scaled by timeScale
         * like every duration), to look like a big model on a GPU while the tokens stay real.
         */
        tokenDelayMs: z.number().min(0).default(0),
      })
      .prefault({}),
    workers: z
      .strictObject({
        /** Active workers: always on and warm from the start. */
        min: z.number().int().min(0).default(0),
        /** Flex workers scale up to this many. */
        max: z.number().int().min(1).default(3),
        /** Jobs one worker runs at once (worker-vllm MAX_CONCURRENCY). */
        concurrency: z.number().int().min(1).default(30),
        /** A worker with no job for this long scales down (active workers never do). */
        idleTimeout: durationMs.default(5000),
        /** Container start plus model load, before a new worker takes its first job. */
        coldStart: durationDist.prefault({ median: 12_000, sigma: 0.3 }),
        flashboot: z
          .strictObject({
            enabled: z.boolean().default(false),
            /** Chance that a revival of a scaled-down worker is a fast FlashBoot one. */
            probability: probability.default(0.8),
            start: durationDist.prefault({ median: 1500, sigma: 0.4 }),
          })
          .prefault({}),
        scaler: z
          .discriminatedUnion('type', [
            /** Add a worker when a job has waited this many seconds (Runpod default 4). */
            z.strictObject({ type: z.literal('QUEUE_DELAY'), value: z.number().positive().default(4) }),
            /** Target workers = ceil((inQueue + inProgress) / value). */
            z.strictObject({ type: z.literal('REQUEST_COUNT'), value: z.number().positive().default(1) }),
          ])
          .default({ type: 'QUEUE_DELAY', value: 4 }),
      })
      .prefault({}),
    generation: z
      .strictObject({
        /** Prefill cost: added to the decode step in which a prompt is admitted, per prompt token. */
        prefillMsPerToken: z.number().min(0).default(0.15),
        /** Decode step with one active sequence (one token per sequence per step). */
        stepMs: z.number().min(0).default(22),
        /** Each further active sequence makes the step this much longer (batching slowdown). */
        stepMsPerSequence: z.number().min(0).default(0.5),
        /** Relative random noise on each step (0 = exactly as configured). */
        jitter: z.number().min(0).max(1).default(0.05),
        /** Chance per token of an end of sequence once min_tokens is reached (0 = always max_tokens). */
        eosProbability: probability.default(0.01),
      })
      .prefault({}),
    /**
     * The network between a client and the endpoint: each answer draws one round trip, half
     * of it before the emulator sees the request and half before the client sees the answer
     * (both scaled by timeScale like every duration). Without it a client on loopback polls
     * far faster than it could against api.runpod.ai: the official JS client's stream(),
     * which polls /stream with no pause, passes /stream's 2,000 requests per 10 s within a
     * second. 0 turns the network off (tests that count on speed).
     */
    network: z
      .strictObject({
        roundTrip: durationDist.prefault({ median: 40, sigma: 0.25 }),
      })
      .prefault({}),
    /** The queue between submission and a warm worker. */
    queue: z
      .strictObject({
        /**
         * From entering the queue to the earliest pickup by a warm worker with room: the
         * platform's dispatch and the worker's job-take request. It lands in delayTime, on top
         * of any wait for a worker. First in, first out: no job is picked up before one queued
         * earlier. Runpod publishes no figure, so the default adds nothing: set what you measure
         * (the delayTime p50 of warm requests on your endpoint).
         */
        pickupDelay: durationDist.default({ kind: 'fixed', ms: 0 }),
      })
      .prefault({}),
    /** Env defaults of the legacy worker's stream batching (DEFAULT_BATCH_SIZE, MIN_BATCH_SIZE, BATCH_SIZE_GROWTH_FACTOR). */
    batching: z
      .strictObject({
        maxBatchSize: z.number().int().min(1).default(50),
        minBatchSize: z.number().int().min(1).default(1),
        growthFactor: z.number().positive().default(3),
      })
      .prefault({}),
    rateLimits: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** Dynamic limit: max(route limit, running workers x this), 0 = static limits only. */
        perWorkerPer10s: z.number().int().min(0).default(0),
        routes: z
          .strictObject({
            run: routeLimit.default(DEFAULT_ROUTE_LIMITS.run),
            runsync: routeLimit.default(DEFAULT_ROUTE_LIMITS.runsync),
            status: routeLimit.default(DEFAULT_ROUTE_LIMITS.status),
            stream: routeLimit.default(DEFAULT_ROUTE_LIMITS.stream),
            cancel: routeLimit.default(DEFAULT_ROUTE_LIMITS.cancel),
            purgeQueue: routeLimit.default(DEFAULT_ROUTE_LIMITS.purgeQueue),
            openai: routeLimit.default(DEFAULT_ROUTE_LIMITS.openai),
            health: routeLimit.default(DEFAULT_ROUTE_LIMITS.health),
          })
          .prefault({}),
      })
      .prefault({}),
    /** Seeded fault injection; each value is a probability per HTTP request or per job. */
    faults: z
      .strictObject({
        /** Per request: answer 429. */
        http429: probability.default(0),
        /** Per request: answer 500, 502 or 503. */
        http5xx: probability.default(0),
        /** Per request: destroy the connection without an answer. */
        reset: probability.default(0),
        /** Per request: answer `slowMs` late. */
        slow: probability.default(0),
        slowMs: durationMs.default(5000),
        /** Per request: answer 200 with a malformed or truncated JSON body. */
        malformed: probability.default(0),
        /** Per job: the worker fails it (FAILED with the worker's error shape). */
        failed: probability.default(0),
        /** Per job: it ends TIMED_OUT. */
        timeout: probability.default(0),
        /** Per job: its worker crashes while running it; every job on that worker FAILS. */
        crash: probability.default(0),
        /** Per job: generation stops advancing (the stream stalls) until the execution timeout. */
        stall: probability.default(0),
        /** After a crash the worker is unhealthy this long, then it boots afresh (a full cold start). */
        crashDowntime: durationMs.default(2000),
      })
      .prefault({}),
    /** Delivery of a job's `webhook`: the platform retries a non-200 answer 2 more times, 10 s apart. */
    webhook: z
      .strictObject({
        retries: z.number().int().min(0).default(2),
        retryInterval: durationMs.default(10_000),
        /** Real time one delivery attempt may take before it counts as failed (not scaled). */
        attemptTimeoutMs: z.number().positive().default(10_000),
      })
      .prefault({}),
    retention: z
      .strictObject({
        /** How long /run results stay readable after completion. */
        run: durationMs.default(30 * 60_000),
        /** How long /runsync results stay readable after completion. */
        runsync: durationMs.default(60_000),
      })
      .prefault({}),
    /** Endpoint execution timeout when a job's policy sets none (docs: 600 s). */
    executionTimeout: durationMs.default(600_000),
    /** Job lifespan from submission when a job's policy sets none (docs: 24 h). */
    ttl: durationMs.default(86_400_000),
  })
  .superRefine((settings, ctx) => {
    // Rules across fields, here so that every way in (file, flags, scenario block) checks them.
    if (settings.workers.min > settings.workers.max) {
      ctx.addIssue({
        code: 'custom',
        path: ['workers', 'min'],
        message: `${settings.workers.min} is above workers.max (${settings.workers.max})`,
      });
    }
    if (settings.batching.minBatchSize > settings.batching.maxBatchSize) {
      ctx.addIssue({
        code: 'custom',
        path: ['batching', 'minBatchSize'],
        message: `${settings.batching.minBatchSize} is above batching.maxBatchSize (${settings.batching.maxBatchSize})`,
      });
    }
  });

/** What a file, a scenario block or flags may give: any subset of the fields. */
export type EmulatorSettingsInput = z.input<typeof emulatorSettingsSchema>;
/** Complete settings, every default filled in, durations in milliseconds. */
export type EmulatorSettings = z.output<typeof emulatorSettingsSchema>;

/** Validates and completes settings; `source` names the file or flag set in error messages. */
export function resolveEmulatorSettings(input: unknown, source = 'emulator settings'): EmulatorSettings {
  const result = emulatorSettingsSchema.safeParse(input ?? {});
  if (!result.success) throw new UsageError(formatIssues(source, result.error));
  return result.data;
}
