// The scenario file: what to send, how hard, for how long, and against what. Validated
// before any request is sent; every error names the file, the field path and what was
// expected. See scenarios/*.yaml for commented examples.
import { z } from 'zod';
import type { FieldPath } from '../util/field-path.js';
import { byteSize, durationMs, positiveDurationMs } from '../util/schema.js';
import { INPUT_LIMITS, RESPONSE_LIMITS } from '../core/input-limits.js';
import { loadSchema } from '../schedule/load-schema.js';
import { emulatorSettingsSchema } from '../emulator/settings/index.js';
import { MODES } from '../core/record.js';
import { TARGET_APIS } from '../core/target-api.js';
import { lengthSchema } from './workload/lengths.js';
import { FILE_TYPES } from './workload/rows.js';
import { TRACE_LAYOUTS } from './workload/trace.js';

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
    kind: z
      .enum(TARGET_APIS)
      .optional()
      .describe(
        "What answers at the URL (docs/targets.md): runpod (the queue API), runpod-local (the Python SDK's local test server), openai (a bare OpenAI-compatible server at .../v1). Default: told from the URL, else asked of the server when the run starts. Without a URL, runpod is the emulator's queue and openai its model server (/v1).",
      ),
    endpoint: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Full endpoint URL: https://api.runpod.ai/v2/<id>, any base ending in the endpoint id, http://127.0.0.1:8000 (local test server), http://host:8000/v1 (a model server).',
      ),
    endpointId: z
      .string()
      .min(1)
      // Runpod's ids are letters and digits; a placeholder such as <id> or a pasted URL is a mistake to stop before any call.
      .regex(
        /^[A-Za-z0-9_-]+$/,
        'expected an endpoint id (letters, digits, - and _), as in https://api.runpod.ai/v2/<id>',
      )
      .optional()
      .describe('Endpoint id on api.runpod.ai; the URL is built from it.'),
    modelServer: z
      .string()
      .min(1)
      .optional()
      .describe(
        "The model server's own OpenAI-compatible URL (http://host:8000/v1), for comparisons with the endpoint that serves it (scenarios/platform-overhead.yaml): variants whose kind is openai go there.",
      ),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name')
      .optional()
      .describe(
        "Name of the environment variable that holds the API key (never the key itself). Default RUNPOD_API_KEY for Runpod's API; a bare OpenAI-compatible server gets a key only from a variable named here (or --api-key-file), and the local test server never gets one.",
      ),
  })
  .refine((t) => !(t.endpoint && t.endpointId), { message: 'give endpoint or endpointId, not both' });

const messageSchema = z.strictObject({
  role: z.enum(['system', 'user', 'assistant', 'tool', 'developer']),
  content: z.string(),
  name: z.string().optional(),
});

const fieldName = z.string().min(1);

const inputSchema = z
  .strictObject({
    format: z
      .enum(INPUT_FORMATS)
      .default('messages')
      .describe(
        'How a prompt is sent: chat messages, a plain prompt, a prompt with the chat template applied, or an OpenAI chat or completions body (through the queue in a native mode).',
      ),
    synthetic: z
      .strictObject({
        promptTokens: lengthSchema
          .default(128)
          .describe(
            'Prompt length in tokens (the emulator estimates 4 UTF-8 bytes a token): a number, or a distribution {distribution: fixed | uniform | normal, ...}.',
          ),
        spread: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .describe(
            'With a number of promptTokens: each prompt is promptTokens x (1 +- spread), uniformly (default 0.2). Not with a distribution.',
          ),
        outputTokens: lengthSchema
          .optional()
          .describe(
            'Expected output length in tokens, a number or a distribution: sent as max_tokens (exactly, with input.exactOutput). Absent: sampling_params decide.',
          ),
        sharedPrefix: z
          .strictObject({
            tokens: positiveInt
              .max(INPUT_LIMITS.promptTokens)
              .describe('Length of the shared prefix in tokens, before each prompt of promptTokens.'),
            prompts: positiveInt
              .optional()
              .describe('Each run of this many consecutive requests shares one prefix (absent: all share one).'),
          })
          .optional()
          .describe('Prompts that open with the same text (for prefix caching): N prompts sharing a K-token prefix.'),
        turns: positiveInt
          .max(1000)
          .default(1)
          .describe(
            'Turns per conversation: turn k carries the k-1 turns before it (user prompts and replies as long as their outputTokens, else their prompt), in the messages formats.',
          ),
        system: z
          .string()
          .default('You are a helpful assistant.')
          .describe('A system message for the messages and openai_chat formats (omitted when empty).'),
      })
      .optional()
      .describe("Synthetic prompts of about this many tokens (the emulator's token estimate), seeded."),
    file: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Dataset of prompts: JSONL, JSON (an array; ShareGPT dumps), CSV (a header line) or Parquet, by extension or fileType; rows hold a prompt or messages (docs/workloads.md). Relative to the scenario file.',
      ),
    fileType: z
      .enum(FILE_TYPES)
      .optional()
      .describe("The file's format when its extension does not say (.jsonl/.ndjson, .json, .csv, .parquet)."),
    fields: z
      .strictObject({
        prompt: fieldName.default('prompt').describe('Field (dotted path) holding a prompt string.'),
        messages: fieldName
          .default('messages')
          .describe(
            'Field holding a list of messages ({role, content} or ShareGPT {from, value}); `conversations` is tried when this default is absent.',
          ),
        outputTokens: fieldName
          .default('output_tokens')
          .describe('Field holding the expected output length in tokens (optional in each row).'),
      })
      .prefault({})
      .describe("Where a file's rows keep the prompt, the messages and the expected output length."),
    multiTurn: z
      .boolean()
      .default(false)
      .describe(
        "Conversations in the file: one request per user turn, each carrying the turns before it (false: one request per conversation, up to its last user turn). Turns are sent in order; a conversation's next turn waits for nothing.",
      ),
    trace: z
      .strictObject({
        file: z
          .string()
          .min(1)
          .describe('The trace: an Azure CSV or a Mooncake JSONL file, relative to the scenario file.'),
        layout: z
          .enum(TRACE_LAYOUTS)
          .optional()
          .describe('azure (CSV TIMESTAMP,ContextTokens,GeneratedTokens) or mooncake (JSONL); default: by extension.'),
        blockTokens: positiveInt
          .max(INPUT_LIMITS.promptTokens)
          .default(512)
          .describe("Tokens of prompt text per Mooncake hash id (requests sharing an id share that block's text)."),
      })
      .optional()
      .describe(
        'Request lengths (and, with load.replay, arrival times) from a trace; each prompt is synthetic text of its input length.',
      ),
    exactOutput: z
      .boolean()
      .default(true)
      .describe(
        'When a prompt has an expected output length: also send min_tokens equal to max_tokens and ignore_eos, so vLLM generates exactly that many.',
      ),
    model: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Model name for the OpenAI routes; default: the first id /openai/v1/models returns, asked before the run (on an endpoint with no worker up, that call takes the cold start the run then does not see).',
      ),
    tokenizer: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A local Hugging Face tokenizer.json (never downloaded), relative to the scenario file: synthetic prompts of exactly promptTokens by it, and prompt and output tokens counted by it when the server reports no usage (tokenSource tokenizer; docs/workloads.md).',
      ),
  })
  .refine((i) => [i.synthetic, i.file, i.trace].filter((x) => x !== undefined).length <= 1, {
    message: 'give one of synthetic, file or trace',
  })
  .refine((i) => !(i.synthetic?.spread !== undefined && typeof i.synthetic.promptTokens !== 'number'), {
    message: 'synthetic.spread applies to a number of promptTokens; a distribution sets its own spread',
  });

const streamSchema = z.strictObject({
  max_batch_size: positiveInt
    .optional()
    .describe('Largest batch of tokens per streamed update (worker default: DEFAULT_BATCH_SIZE, 50).'),
  min_batch_size: positiveInt.optional().describe('First batch size (worker default: MIN_BATCH_SIZE, 1).'),
  batch_size_growth_factor: z
    .number()
    .positive()
    .optional()
    .describe(
      'Each batch is this many times the last, up to max_batch_size (worker default: BATCH_SIZE_GROWTH_FACTOR, 3).',
    ),
});

const pollingSchema = z.strictObject({
  interval: durationMs.default(250).describe('Pause between /status or /stream polls.'),
  backoff: z
    .number()
    .min(1)
    .max(10)
    .default(1)
    .describe('Each empty poll multiplies the pause by this (1 = fixed interval).'),
  maxInterval: durationMs.default(2000).describe('The pause never grows beyond this.'),
  wait: durationMs
    .default(0)
    .describe('Long-poll: ?wait= on /stream and /status-sync (0 = plain /status and /stream without wait).'),
  runsyncWait: durationMs.default(90_000).describe('?wait= on /runsync (Runpod: 1000-300000 ms, default 90000).'),
  health: durationMs
    .default(1000)
    .describe('Sample /health this often during the run to see workers and queue (0 = never).'),
});

const retrySchema = z.strictObject({
  maxRetries: z
    .number()
    .int()
    .min(0)
    .max(20)
    .default(3)
    .describe('Retries after a 429, 5xx, network or protocol error, per HTTP call.'),
  baseDelay: durationMs
    .default(1000)
    .describe('Backoff before retry k is min(maxDelay, baseDelay x 2^k) with jitter (x 0.5-1).'),
  maxDelay: durationMs.default(30_000).describe('The backoff never grows beyond this.'),
});

const timeoutsSchema = z.strictObject({
  request: positiveDurationMs
    .default(600_000)
    .describe(
      'A request (submission, queue, execution, polling) that takes longer ends as client_timeout, and its job is cancelled.',
    ),
  http: positiveDurationMs
    .default(60_000)
    .describe(
      'One HTTP call without a response header for this long is a network error (then retried). /runsync waits are added.',
    ),
  execution: durationMs
    .refine((ms) => ms >= 5000 && ms <= 604_800_000, { message: 'Runpod accepts 5s to 7 days (604800000 ms)' })
    .optional()
    .describe(
      "Sent as every job's policy.executionTimeout (Runpod: 5 s to 7 days): the longest a worker may run it. Absent: the endpoint's own setting applies.",
    ),
});

/** What podbench reads of one answer (src/core/input-limits.ts); past either, the request is a protocol error. */
const limitsSchema = z.strictObject({
  maxBodyBytes: byteSize
    .refine((n) => n >= 1024 && n <= 1024 ** 3, { message: 'expected a size from 1KB to 1GB' })
    .default(RESPONSE_LIMITS.maxBodyBytes)
    .describe(
      'One answer read whole (a /runsync, /status or OpenAI answer, an error body): past it, the request is a protocol_error.',
    ),
  maxSseEventBytes: byteSize
    .refine((n) => n >= 1024 && n <= 256 * 1024 ** 2, { message: 'expected a size from 1KB to 256MB' })
    .default(RESPONSE_LIMITS.maxSseEventBytes)
    .describe(
      'One event-stream line or event (openai-stream bodies, raw SSE slices in /stream items): past it, the request is a protocol_error.',
    ),
});

const coldStartSchema = z.strictObject({
  thresholdMs: z
    .number()
    .min(0)
    .optional()
    .describe(
      "A request counts as cold only if its delayTime is at least this (default: from the emulator's settings, else 1s).",
    ),
  idleGapMs: z
    .number()
    .min(0)
    .optional()
    .describe(
      "A worker without a job for this long is assumed scaled down (default: the emulator's idle timeout, else 5s).",
    ),
});

/** A capacity sweep: the level rises until the SLOs break, then bisects (src/answers/capacity-search.ts). */
const sweepSchema = z.strictObject({
  field: z
    .enum(['load.concurrency', 'load.rate'])
    .describe('What rises: requests in flight (closed loop) or requests per second (open loop).'),
  start: z.number().positive().describe("The first level (the load block's own value of the field wins)."),
  factor: z.number().gt(1).max(10).default(2).describe('Each step multiplies the level by this.'),
  max: z.number().positive().describe('The highest level tried.'),
  refine: z
    .number()
    .int()
    .min(0)
    .max(20)
    .default(3)
    .describe('Bisection steps between the last good and the first bad level.'),
  maxErrorRate: z
    .number()
    .min(0)
    .max(1)
    .default(0.01)
    .describe('A step with a higher error rate (429s included) is bad.'),
  minGain: z
    .number()
    .min(0)
    .max(1)
    .default(0.05)
    .describe('Stop growing when throughput rose by less than this share over the previous step.'),
  tolerance: z
    .number()
    .gt(0)
    .max(1)
    .default(0.03)
    .describe(
      "Closed loop (load.concurrency): a step whose steady throughput is known only to worse than this share (its 95% interval's half width) runs again with twice the requests, up to maxRequests. Rate sweeps are not grown.",
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
    targetRps: z.number().positive().optional().describe('The traffic to plan for, in requests per second.'),
    gpuPricePerSecond: z
      .number()
      .positive()
      .optional()
      .describe('GPU price per worker: per second, or per hour (one of them).'),
    gpuPricePerHour: z.number().positive().optional().describe('GPU price per worker per hour (or gpuPricePerSecond).'),
    headroom: z
      .number()
      .min(0)
      .max(10)
      .default(0.25)
      .describe('Flex workers beyond the base, as a share of it, for bursts.'),
    idleTimeout: durationMs
      .optional()
      .describe(
        "The endpoint's idle timeout, for billing (default: the emulator's, else Runpod's console default 5 s).",
      ),
  })
  .refine((p) => !(p.gpuPricePerSecond !== undefined && p.gpuPricePerHour !== undefined), {
    message: 'give gpuPricePerSecond or gpuPricePerHour, not both',
  });

export const scenarioSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-"')
    .describe('Required. Names the run folder (reports/<time>-<name>) and the baseline a comparison expects.'),
  description: z.string().default('').describe('What the run is for; heads the report.'),
  target: targetSchema.optional().describe('Absent: run against the embedded emulator configured by `emulator`.'),
  emulator: emulatorSettingsSchema
    .prefault({})
    .describe("The embedded emulator's settings (docs/emulator-settings.md); ignored when a target is given."),
  mode: z
    .enum(MODES)
    .default('stream')
    .describe('How requests go: /runsync, /run + /status, /run + /stream, or the OpenAI routes (plain or streamed).'),
  input: inputSchema.prefault({}).describe('What each request asks: prompts and their format.'),
  sampling_params: z
    .record(z.string(), z.unknown())
    .default({})
    .describe("Passed to the worker as they are (vLLM SamplingParams, or the OpenAI body's fields)."),
  stream: streamSchema.default({}).describe('worker-vllm (<= 2.23) stream batching, sent at the top level of input.'),
  polling: pollingSchema.prefault({}).describe('How /status and /stream are polled, and /health sampled.'),
  load: loadSchema
    .default({ concurrency: 1, requests: 10, arrival: 'constant' })
    .describe('How hard and how long: closed or open loop, stages, stop conditions, warmup, probes.'),
  retry: retrySchema
    .prefault({})
    .describe('Retries of 429, 5xx, network and unreadable answers, with backoff and jitter.'),
  timeouts: timeoutsSchema.prefault({}).describe('How long a request, and one HTTP call, may take.'),
  limits: limitsSchema
    .prefault({})
    .describe('What podbench reads of one answer: larger answers end as protocol errors (docs/safety.md).'),
  coldStart: coldStartSchema.default({}).describe('How cold starts are recognised from delayTime and workerId.'),
  budget: z
    .strictObject({
      maxRequests: positiveInt.optional().describe('Requests sent in the whole run (all variants, warmup included).'),
      maxDuration: durationMs
        .optional()
        .describe("Wall time of the whole run; requests in flight then get the interrupt's grace period."),
      maxOutputTokens: positiveInt.optional().describe('Output tokens of finished requests in the whole run.'),
    })
    .default({})
    .describe('Limits that protect a paid endpoint: the run stops scheduling once one is reached.'),
  thresholds: z
    .array(z.string().min(1))
    .default([])
    .describe('Pass/fail checks over summary metrics, e.g. "ttftMs.p95 < 800" (evaluated by `podbench run`).'),
  slo: z
    .array(z.string().min(1))
    .default([])
    .describe(
      'Service-level objectives. Percentiles in the thresholds\' language ("e2eMs.p95 < 2s"): what a capacity sweep must keep. Per-request limits ("ttft <= 500ms, e2e <= 5s, itl <= 50ms"): goodput, the rate of requests meeting all of them (docs/metrics.md).',
    ),
  sweep: sweepSchema.optional().describe('A capacity search instead of a matrix: the level rises until an SLO breaks.'),
  plan: planSchema.optional().describe('Capacity plan and cost for a target traffic.'),
  tuning: z
    .strictObject({
      ttftTarget: durationMs.optional().describe('The TTFT p95 a stream batching setting must meet.'),
    })
    .optional()
    .describe(
      'Stream batch-size tuning: the TTFT (p95) a setting must meet; without it, the Pareto front is reported.',
    ),
  seed: z.number().int().default(1).describe('Seeds prompts, arrivals and jitter.'),
  matrix: z
    .record(z.string(), z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]))
    .default({})
    .describe('Field path -> list of values (or map of label -> value); the cartesian product gives the variants.'),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A scenario field's dotted path, as --set and the run flags address it: "load.concurrency". */
export type ScenarioField = FieldPath<ScenarioInput>;
export type SweepSettings = z.output<typeof sweepSchema>;
export type PlanSettings = z.output<typeof planSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type Message = z.output<typeof messageSchema>;
export { messageSchema };
