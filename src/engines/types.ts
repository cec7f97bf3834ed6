// The engine seam: an engine takes one variant of a scenario and turns it into requests and
// records. All engines take the same scenario and produce the same RequestRecords, so every
// report, comparison and check works whichever engine ran.
import type { Mode, Phase, RequestRecord } from '../core/record.js';
import type { LoopDelay } from '../core/summary.js';
import type { Variant } from '../scenario/load.js';
import type { PromptSource } from '../scenario/prompts.js';
import type { TokenCounter } from '../scenario/tokenizer.js';
import type { JobTracker } from '../runpod/job-tracker.js';
import type { TargetApi } from '../core/target-api.js';

export const ENGINE_NAMES = ['native', 'autocannon', 'k6'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** Most client threads the native engine runs (--workers): far past any machine's useful count, a guard against typos. */
export const MAX_CLIENT_THREADS = 64;

export interface EngineCapabilities {
  modes: readonly Mode[];
  closedLoop: boolean;
  openLoop: boolean;
  /** Measures time to first token on streamed modes. */
  streamingTtft: boolean;
  /**
   * Its requests are sent and time-stamped on podbench's own event loop (or its client
   * threads), so that loop's delay is client delay in TTFT and E2E. k6 times its requests in
   * its own process: podbench's loop only reads its lines, and its delay says nothing.
   */
  timesOnPodbenchLoop: boolean;
}

export interface VariantRunContext {
  variant: Variant;
  /** Endpoint base URL without a trailing slash (a model server's: its …/v1 base). */
  endpointUrl: string;
  /** What answers there (src/runpod/targets/calls.ts says which calls each mode makes). */
  api: TargetApi;
  apiKey: string | undefined;
  /** Model name for OpenAI bodies, when the scenario needs one. */
  model: string | undefined;
  prompts: PromptSource;
  /** The scenario's tokenizer (input.tokenizer): counts output text when the server reports no usage. */
  tokenizer?: TokenCounter;
  /** Milliseconds since the run started (monotonic). */
  clock: () => number;
  /** performance.now() on this thread when clock() read 0: other threads read the run's clock from it (native/thread-clock.ts). */
  clockStartPerfMs: number;
  /** Client threads, for an engine that has them (native); undefined: the engine picks from the cores and the load. */
  workers?: number;
  /** The engine ran on this many client threads: each one's event-loop delay (undefined: it sent nothing). */
  clientThreads?(loopDelayMs: Array<LoopDelay | undefined>): void;
  /** Sequence number of this variant's first request. */
  seqStart: number;
  /** Stop scheduling new requests; requests in flight finish. */
  stopSignal: AbortSignal;
  /** Abort requests in flight; they end as `aborted`. */
  abortSignal: AbortSignal;
  jobs: JobTracker;
  /** A request was sent (for the live in-flight count). */
  sent(): void;
  /**
   * Requests budget.maxRequests still allows when the variant starts (undefined: no such
   * budget). The runner stops the run when they are sent; an engine that learns of its sends
   * late (k6: its log comes up to a second late) caps them itself.
   */
  requestsLeft?: number;
  /** A request ended: its record, to be written at once. */
  emit(record: RequestRecord): void;
  /**
   * Requests the plan scheduled that will never be sent, counted rather than recorded one
   * by one: `stopped` when the run stopped while they waited (the runner knows why), or
   * `k6_dropped` when k6 dropped them.
   */
  notSent(phase: Phase, reason: 'stopped' | 'k6_dropped', count: number): void;
}

export interface Engine {
  name: EngineName;
  capabilities: EngineCapabilities;
  /**
   * What stops this engine from running the variant faithfully (empty: nothing); the runner
   * refuses the run with them (exit 2) before anything is sent. It throws a RunError instead
   * when the engine cannot run on this machine at all (k6 without its binary: exit 3).
   */
  check(variant: Variant): string[];
  /** Runs the variant; resolves when every request it sent has a record. Returns the next free sequence number. */
  run(ctx: VariantRunContext): Promise<number>;
}
