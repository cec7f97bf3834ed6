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
  per10s: z.number().int().positive().describe('Requests allowed in any 10 s window.'),
  concurrent: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Requests allowed in flight at once (held long-polls count).'),
});

/** Runpod's documented limits. /health is not in Runpod's table: it gets the limits of /status. */
const DEFAULT_ROUTE_LIMITS = { ...RUNPOD_LIMITS, health: RUNPOD_LIMITS.status };

export const emulatorSettingsSchema = z
  .strictObject({
    seed: z
      .number()
      .int()
      .default(1)
      .describe('Seeds every random draw: generated text, lengths, jitter, cold starts, faults.'),
    timeScale: z
      .number()
      .positive()
      .max(100_000)
      .default(1)
      .describe('Run all durations this many times faster (tests use 10-1000).'),
    worker: z
      .enum(['legacy', 'proxy'])
      .default('legacy')
      .describe('worker-vllm generation: legacy (<= v2.23.0, token batches) or proxy (>= v2.24.0, raw SSE).'),
    model: z
      .string()
      .min(1)
      .default('meta-llama/Llama-3.1-8B-Instruct')
      .describe('The served model name (/openai/v1/models, `model` in OpenAI responses).'),
    maxModelLen: z
      .number()
      .int()
      .positive()
      .max(1_048_576)
      .default(8192)
      .describe('Context window: prompt + max_tokens beyond it fails the job as vLLM would.'),
    backend: z
      .enum(['synthetic', 'llama'])
      .default('synthetic')
      .describe(
        'What generates the tokens: `synthetic` (seeded made-up text and a modelled decode step, the default) or `llama` (a real GGUF model through node-llama-cpp, see `llama`).',
      ),
    llama: z
      .strictObject({
        model: z
          .string()
          .min(1)
          .optional()
          .describe(
            'GGUF file. Default: $PODBENCH_LLAMA_MODEL, else shared/models/stories260K.gguf beside the package or in a parent folder (see llama/model-path.ts). Relative to the cwd.',
          ),
        threads: z
          .number()
          .int()
          .min(1)
          .default(1)
          .describe(
            "CPU threads per worker's context. 1 by default: on a small machine several threads per decode of a tiny model spin-wait against each other and against the load generator, and throughput collapses to a few tokens/s.",
          ),
        contextSize: z
          .number()
          .int()
          .min(16)
          .optional()
          .describe("Tokens per sequence (the real context window). Default: the model's, at most maxModelLen."),
        sequences: z
          .number()
          .int()
          .min(1)
          .optional()
          .describe("Parallel sequences in one worker's context. Default: workers.concurrency."),
        tokenDelayMs: z
          .number()
          .min(0)
          .default(0)
          .describe(
            'Emulated ms added to every decode step on top of the real decode (scaled by timeScale like every duration), to look like a big model on a GPU while the tokens stay real.',
          ),
      })
      .prefault({})
      .describe("The llama backend's model and engine; ignored by the synthetic backend."),
    workers: z
      .strictObject({
        min: z.number().int().min(0).default(0).describe('Active workers: always on and warm from the start.'),
        max: z.number().int().min(1).default(3).describe('Flex workers scale up to this many.'),
        concurrency: z
          .number()
          .int()
          .min(1)
          .default(30)
          .describe('Jobs one worker runs at once (worker-vllm MAX_CONCURRENCY).'),
        idleTimeout: durationMs
          .default(5000)
          .describe('A worker with no job for this long scales down (active workers never do).'),
        coldStart: durationDist
          .prefault({ median: 12_000, sigma: 0.3 })
          .describe('Container start plus model load, before a new worker takes its first job.'),
        flashboot: z
          .strictObject({
            enabled: z.boolean().default(false).describe('Revive scaled-down workers with FlashBoot.'),
            probability: probability
              .default(0.8)
              .describe('Chance that a revival of a scaled-down worker is a fast FlashBoot one.'),
            start: durationDist
              .prefault({ median: 1500, sigma: 0.4 })
              .describe('How long a FlashBoot revival takes, instead of a cold start.'),
          })
          .prefault({})
          .describe('FlashBoot: fast revivals of scaled-down workers.'),
        scaler: z
          .discriminatedUnion('type', [
            /** Add a worker when a job has waited this many seconds (Runpod default 4). */
            z.strictObject({ type: z.literal('QUEUE_DELAY'), value: z.number().positive().default(4) }),
            /** Target workers = ceil((inQueue + inProgress) / value). */
            z.strictObject({ type: z.literal('REQUEST_COUNT'), value: z.number().positive().default(1) }),
          ])
          .default({ type: 'QUEUE_DELAY', value: 4 })
          .describe(
            'Scaling: QUEUE_DELAY adds a worker when a job has waited `value` seconds (Runpod default 4); REQUEST_COUNT targets ceil((inQueue + inProgress) / value) workers.',
          ),
      })
      .prefault({})
      .describe('Active and flex workers, their cold starts and how the endpoint scales.'),
    generation: z
      .strictObject({
        prefillMsPerToken: z
          .number()
          .min(0)
          .default(0.15)
          .describe('Prefill cost: added to the decode step in which a prompt is admitted, per prompt token.'),
        stepMs: z
          .number()
          .min(0)
          .default(22)
          .describe('Decode step with one active sequence (one token per sequence per step).'),
        stepMsPerSequence: z
          .number()
          .min(0)
          .default(0.5)
          .describe('Each further active sequence makes the step this much longer (batching slowdown).'),
        jitter: z
          .number()
          .min(0)
          .max(1)
          .default(0.05)
          .describe('Relative random noise on each step (0 = exactly as configured).'),
        eosProbability: probability
          .default(0.01)
          .describe('Chance per token of an end of sequence once min_tokens is reached (0 = always max_tokens).'),
      })
      .prefault({})
      .describe("The synthetic backend's decode: per-step times, prefill cost, jitter, end of sequence."),
    batching: z
      .strictObject({
        maxBatchSize: z.number().int().min(1).default(50).describe('DEFAULT_BATCH_SIZE: the largest batch.'),
        minBatchSize: z.number().int().min(1).default(1).describe('MIN_BATCH_SIZE: the first batch.'),
        growthFactor: z
          .number()
          .positive()
          .default(3)
          .describe('BATCH_SIZE_GROWTH_FACTOR: each batch is this many times the last.'),
      })
      .prefault({})
      .describe(
        "Env defaults of the legacy worker's stream batching (DEFAULT_BATCH_SIZE, MIN_BATCH_SIZE, BATCH_SIZE_GROWTH_FACTOR).",
      ),
    rateLimits: z
      .strictObject({
        enabled: z.boolean().default(true).describe("Answer 429 past Runpod's per-route limits."),
        perWorkerPer10s: z
          .number()
          .int()
          .min(0)
          .default(0)
          .describe('Dynamic limit: max(route limit, running workers x this), 0 = static limits only.'),
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
          .prefault({})
          .describe("Per route: requests per 10 s and in flight (Runpod's documented limits; /health gets /status's)."),
      })
      .prefault({})
      .describe("Runpod's rate limits, per route."),
    faults: z
      .strictObject({
        http429: probability.default(0).describe('Per request: answer 429.'),
        http5xx: probability.default(0).describe('Per request: answer 500, 502 or 503.'),
        reset: probability.default(0).describe('Per request: destroy the connection without an answer.'),
        slow: probability.default(0).describe('Per request: answer `slowMs` late.'),
        slowMs: durationMs.default(5000).describe('How late a slow answer is.'),
        malformed: probability.default(0).describe('Per request: answer 200 with a malformed or truncated JSON body.'),
        failed: probability.default(0).describe("Per job: the worker fails it (FAILED with the worker's error shape)."),
        timeout: probability.default(0).describe('Per job: it ends TIMED_OUT.'),
        crash: probability
          .default(0)
          .describe('Per job: its worker crashes while running it; every job on that worker FAILS.'),
        stall: probability
          .default(0)
          .describe('Per job: generation stops advancing (the stream stalls) until the execution timeout.'),
        crashDowntime: durationMs
          .default(2000)
          .describe('After a crash the worker is unhealthy this long, then it boots afresh (a full cold start).'),
      })
      .prefault({})
      .describe('Seeded fault injection; each value is a probability per HTTP request or per job.'),
    webhook: z
      .strictObject({
        retries: z.number().int().min(0).default(2).describe('Further attempts after a failed delivery.'),
        retryInterval: durationMs.default(10_000).describe('Pause between attempts.'),
        attemptTimeoutMs: z
          .number()
          .positive()
          .default(10_000)
          .describe('Real time one delivery attempt may take before it counts as failed (not scaled).'),
      })
      .prefault({})
      .describe("Delivery of a job's `webhook`: the platform retries a non-200 answer 2 more times, 10 s apart."),
    retention: z
      .strictObject({
        run: durationMs.default(30 * 60_000).describe('How long /run results stay readable after completion.'),
        runsync: durationMs.default(60_000).describe('How long /runsync results stay readable after completion.'),
      })
      .prefault({})
      .describe('How long finished jobs stay readable.'),
    executionTimeout: durationMs
      .default(600_000)
      .describe("Endpoint execution timeout when a job's policy sets none (docs: 600 s)."),
    ttl: durationMs
      .default(86_400_000)
      .describe("Job lifespan from submission when a job's policy sets none (docs: 24 h)."),
    http: z
      .strictObject({
        requestTimeoutMs: z
          .number()
          .min(100)
          .max(3_600_000)
          .default(60_000)
          .describe(
            'A request whose headers and body have not all arrived in this long (a slow upload) is answered 408 and its socket closed.',
          ),
        idleTimeoutMs: z
          .number()
          .min(100)
          .max(3_600_000)
          .default(60_000)
          .describe('A connection without a request for this long is closed.'),
      })
      .prefault({})
      .describe(
        "The HTTP server's own bounds, in real milliseconds (not scaled: they guard the emulator's process, not the platform's clock).",
      ),
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
