// What a run answers, as data: the capacity a sweep found and a plan for the target
// traffic, what the run cost, the stream batch setting to use, and what cold starts cost.
// src/answers derives them; each kind carries the measured numbers it rests on, unrounded
// and in the unit its name says. The words are the renderers' (src/report/finding-text.ts),
// so a finding reads the same on the console, in report.html and in summary.json.
import type { StreamingSettings } from './streaming-settings.js';
import type { WhatIfCandidate, WhatIfPrice } from './what-if.js';

/**
 * The run ended before it measured all it was to (a Ctrl-C, a budget, a failed write): what
 * an answer from it rests on. Absent when the sweep or matrix ran to its end.
 */
export interface Incomplete {
  /** 'interrupted' (a signal), or what stopped the run early in words (run.json stoppedBy). */
  cause: string;
  /** Settings (variants, sweep steps) measured in full: the answer rests on these only. */
  measured: number;
  /** Settings the run was to measure; null when not known in advance (a capacity search decides as it goes). */
  planned: number | null;
  /** The variant the stop cut short, left out of the answer; null when none was. */
  cutShort: string | null;
}

/** A capacity search the run stopped before it concluded. */
export interface IncompleteSweep extends Incomplete {
  /** The highest level measured in full. */
  highestLevel: number;
  /** The lowest level measured to break the SLOs, if any: the capacity is below it. */
  lowestBadLevel: number | null;
}

/** The most load a capacity sweep found within the SLOs. */
export interface CapacityFinding {
  kind: 'capacity';
  /** The swept field: requests in flight (load.concurrency) or requests per second (load.rate). */
  field: 'load.concurrency' | 'load.rate';
  /** The highest level that held the SLOs. */
  level: number;
  /** The step's steady throughput when it had one (src/metrics/steady-throughput.ts). */
  requestsPerSec: number;
  /** Its 95% interval; null when the step was too short to tell (absent in findings written before it existed). */
  requestsPerSecInterval?: { low: number; high: number } | null;
  outputTokensPerSec: number;
  /** Mean workers /health reported serving during that step; null when not sampled. */
  workers: number | null;
  /** The lowest level whose throughput reached 90% of the most the sweep saw; null when unknown (always, for an unfinished sweep). */
  kneeLevel: number | null;
  /** Why the sweep stopped, as the search wrote it into run.json. */
  sweepConclusion: string | null;
  ttftP95Ms: number | null;
  e2eP95Ms: number | null;
  /** The run stopped the search before it concluded: `level` is then a lower bound. */
  incomplete?: IncompleteSweep;
}

/** GuideLLM's sweep profile: the synchronous and throughput runs, and the constant rates between them. */
export interface ProfileSweepFinding {
  kind: 'profile-sweep';
  /** Steady throughput of the synchronous run (one request at a time), with its 95% interval when known. */
  synchronousRps: number | null;
  synchronousInterval: { low: number; high: number } | null;
  /** Steady throughput of the throughput run (every request at once): the endpoint's most. */
  throughputRps: number | null;
  throughputInterval: { low: number; high: number } | null;
  /** The constant-rate runs, in run order: the rate sent and what it achieved. */
  rates: Array<{ variant: string; rate: number; requestsPerSec: number; e2eP95Ms: number | null }>;
  /** How many benchmarks the sweep was to run (load.sweepSize). */
  sweepSize: number;
  /** What the sweep derived, as the runner wrote it into run.json. */
  sweepConclusion: string | null;
  /** The run stopped before the sweep's last benchmark. */
  incomplete?: Incomplete;
}

/** A capacity sweep in which no level held the SLOs. */
export interface NoCapacityFinding {
  kind: 'no-capacity';
  /** The SLOs, in the thresholds' language (empty: errors only). */
  slo: string[];
  sweepConclusion: string | null;
  levelsTried: number;
  /** The run stopped the search before it concluded. */
  incomplete?: Incomplete;
}

/** Workers (and their cost) for the target traffic, from the capacity per worker measured. */
export interface CapacityPlanFinding {
  kind: 'capacity-plan';
  targetRps: number;
  requestsPerSecPerWorker: number;
  /**
   * Where the per-worker rate comes from: a capacity search (the most a worker took within
   * the SLOs), or this run's load (what it drew from the workers: at most what one takes,
   * so the plan is an upper bound on the workers needed). Absent in files written before it.
   */
  rateFrom?: 'capacity-search' | 'this-load';
  workersNeeded: number;
  /** workers.min: the base load never waits for a cold start. */
  activeWorkers: number;
  /** workers.max: the base plus headroom for bursts. */
  maxWorkers: number;
  /** Flex workers beyond the base, as a share of it. */
  headroom: number;
  /** The highest cold-start p90 (delayTime) of the run's variants, if any was cold. */
  coldStartP90Ms: number | null;
  /** GPU price per worker-second, in the currency it was given in; null when none was. */
  pricePerSecond: number | null;
  costPerHour: number | null;
  costPerMillionOutputTokens: number | null;
  /** The run stopped before it measured every variant: the per-worker rate is from those it did. */
  incomplete?: Incomplete;
}

/**
 * A plan was asked for, but the capacity per worker is unknown (no serving workers seen), or
 * only a lower bound of it is (the run stopped the capacity search before it concluded).
 */
export interface NoCapacityPlanFinding {
  kind: 'no-capacity-plan';
  targetRps: number;
  /** The search did not conclude: no plan is sized on its unfinished curve. */
  incomplete?: Incomplete;
  /** What the unfinished search bounds: at least this rate per worker, so at most these workers. */
  bound?: { requestsPerSecPerWorkerAtLeast: number; workersAtMost: number };
}

/** What this run itself kept billed, rebuilt from the jobs' pickups (src/answers/cost.ts). */
export interface RunCostFinding {
  kind: 'run-cost';
  busySeconds: number;
  idleSeconds: number;
  coldStartSeconds: number;
  totalSeconds: number;
  pricePerSecond: number;
  /** Measured output tokens (warmup excluded). */
  outputTokens: number;
  /** Warmup requests: billed, but their tokens are not measured. */
  warmupRequests: number;
}

/** One stream batching or polling setting as measured. */
export interface TunedSetting {
  variant: string;
  /** The variant's stream and polling matrix values, e.g. { 'stream.max_batch_size': 16 }. */
  setting: Record<string, unknown>;
  /**
   * What to put on the worker: the request fields the variant sent (absent ones were the
   * worker's defaults) and how it polled /stream; absent in runs recorded before run.json kept them.
   */
  streaming?: StreamingSettings;
  ttftP50Ms: number;
  ttftP95Ms: number;
  ttftUncertaintyP50Ms: number | null;
  /** /stream calls per request: every poll after the submission but the final /status read. */
  streamCallsPerRequest: number;
  chunkTokensMean: number | null;
  chunkGapP50Ms: number | null;
  e2eP50Ms: number;
}

/** The batch knobs change nothing on this worker. */
export interface BatchingNoEffectFinding {
  kind: 'stream-batching-no-effect';
  /** raw-sse: the worker streams raw SSE (worker-vllm 2.24+); chunk-sizes: chunk sizes do not follow the knobs. */
  cause: 'raw-sse' | 'chunk-sizes';
  settings: Array<{ variant: string; chunkTokensMean: number | null }>;
  /** The run stopped before it measured every setting: the answer is from those it did. */
  incomplete?: Incomplete;
}

/** Every setting performed alike (p50 TTFT and /stream calls within the tie). */
export interface BatchingAlikeFinding {
  kind: 'stream-batching-alike';
  settings: Array<{ variant: string; ttftP50Ms: number; streamCallsPerRequest: number }>;
  /** The run stopped before it measured every setting: the answer is from those it did. */
  incomplete?: Incomplete;
}

/** The setting that meets the TTFT target with the fewest /stream calls. */
export interface BatchingTargetMetFinding {
  kind: 'stream-batching-target-met';
  ttftTargetMs: number;
  best: TunedSetting;
  /** How many settings met the target. */
  settingsMeeting: number;
  /** The batch knobs had no effect (a stream-batching-no-effect finding precedes this one). */
  knobsIgnored: boolean;
  /** The run stopped before it measured every setting: the answer is from those it did. */
  incomplete?: Incomplete;
}

/** No setting met the TTFT target: the one that came closest. */
export interface BatchingTargetMissedFinding {
  kind: 'stream-batching-target-missed';
  ttftTargetMs: number;
  closest: TunedSetting;
  knobsIgnored: boolean;
  /** The run stopped before it measured every setting: the answer is from those it did. */
  incomplete?: Incomplete;
}

/** Without a TTFT target: the Pareto front of (p50 TTFT, /stream calls), soonest first. */
export interface BatchingFrontFinding {
  kind: 'stream-batching-front';
  front: TunedSetting[];
  knobsIgnored: boolean;
  /** The run stopped before it measured every setting: the answer is from those it did. */
  incomplete?: Incomplete;
}

/** What cold starts cost one variant, and how fast /health saw it scale. */
export interface ColdStartFinding {
  kind: 'cold-starts';
  variant: string;
  coldRequests: number;
  /** Cold requests / requests with server timing. */
  coldShare: number | null;
  coldP50Ms: number | null;
  coldP70Ms: number | null;
  coldP90Ms: number | null;
  coldP98Ms: number | null;
  warmRequests: number;
  warmP50Ms: number | null;
  /** From the first request to the first sample with a serving worker, when it started from zero. */
  timeToFirstWorkerMs: number | null;
  timeToMaxWorkersMs: number | null;
  maxServingWorkers: number | null;
  /** The /health sampling interval: the resolution of the two times above. */
  scalingResolutionMs: number | null;
}

/** A median (or a difference of two) and how far it may be off: the 95% interval's half-width plus timing resolution. */
export interface Uncertain {
  ms: number;
  uncertaintyMs: number;
}

/** One metric on both paths: its p50 on each and the difference. */
export interface OverheadDifference {
  metric: 'e2eMs' | 'ttftMs';
  directP50Ms: number;
  viaP50Ms: number;
  /** via minus direct, with its uncertainty (both intervals' half-widths plus podbench's loop delay). */
  difference: Uncertain;
}

/**
 * What Runpod's platform adds to the model server: the same workload sent straight to the
 * model server (`direct`, a target of kind openai) and through the endpoint's queue (`via`).
 * Compared over the via path's warm requests where it reports server timing, so cold starts
 * are counted apart instead of moving the medians.
 */
export interface PlatformOverheadFinding {
  kind: 'platform-overhead';
  direct: string;
  via: string;
  /** How the via path was called: sync (/runsync), async, stream (polled /stream), openai(-stream) (the OpenAI route). */
  mode: 'sync' | 'async' | 'stream' | 'openai' | 'openai-stream';
  /** Successful measured requests compared on each path. */
  requests: { direct: number; via: number };
  differences: OverheadDifference[];
  /** The via path's median delayTime: time in the queue before a worker took the job. Null: the path reports none (OpenAI route). */
  queueDelay: Uncertain | null;
  /** Median E2E minus delayTime and executionTime: network round trips, the gateway and polling. Null without server timing. */
  outsideServer: Uncertain | null;
  /** Streams: how much later the first token was seen than on the model server, beyond the queue delay (TTFT difference - queue delay). */
  pollingCost: Uncertain | null;
  /** HTTP calls per request on the via path (submission, polls, the final /status); the model server takes 1. */
  callsPerRequest: number;
  /** Requests that waited for a cold start on the via path (the model server is always warm), and their median delayTime. */
  coldStarts: number;
  coldStartP50Ms: number | null;
  /** The via path reports no server timing (the OpenAI route): its cold requests could not be told apart and are compared too. */
  coldNotSeparated: boolean;
}

/**
 * A what-if answer: the cheapest candidate setting whose predicted figures meet the SLOs.
 * Always a model's answer, never a measurement; flagged when it meets them only within the
 * model's error (recommended.meetsWithMargin false), with the safer choice beside it.
 */
export interface WhatIfAnswerFinding {
  kind: 'what-if-answer';
  /** The run the emulator was calibrated from (null: uncalibrated settings). */
  calibratedFrom: string | null;
  recommended: WhatIfCandidate;
  /** Flagged answer: the cheapest candidate that meets the SLOs with the model's error to spare, if any. */
  safer: WhatIfCandidate | null;
  candidatesTried: number;
  candidatesMeeting: number;
  price: WhatIfPrice;
  /** The one real run that would confirm the answer. */
  confirm: { scenarioFile: string; load: string };
}

/** No candidate met the SLOs, even by the prediction: the one that came closest. */
export interface WhatIfNoneFinding {
  kind: 'what-if-none';
  calibratedFrom: string | null;
  closest: WhatIfCandidate | null;
  candidatesTried: number;
  price: WhatIfPrice;
}

export type Finding =
  | CapacityFinding
  | NoCapacityFinding
  | ProfileSweepFinding
  | CapacityPlanFinding
  | NoCapacityPlanFinding
  | RunCostFinding
  | BatchingNoEffectFinding
  | BatchingAlikeFinding
  | BatchingTargetMetFinding
  | BatchingTargetMissedFinding
  | BatchingFrontFinding
  | ColdStartFinding
  | PlatformOverheadFinding
  | WhatIfAnswerFinding
  | WhatIfNoneFinding;

export type FindingKind = Finding['kind'];
