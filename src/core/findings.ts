// What a run answers, as data: the capacity a sweep found and a plan for the target
// traffic, what the run cost, the stream batch setting to use, and what cold starts cost.
// src/answers derives them; each kind carries the measured numbers it rests on, unrounded
// and in the unit its name says. The words are the renderers' (src/report/finding-text.ts),
// so a finding reads the same on the console, in report.html and in summary.json.

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
  /** The lowest level whose throughput reached 90% of the most the sweep saw. */
  kneeLevel: number | null;
  /** Why the sweep stopped, as the search wrote it into run.json. */
  sweepConclusion: string | null;
  ttftP95Ms: number | null;
  e2eP95Ms: number | null;
}

/** A capacity sweep in which no level held the SLOs. */
export interface NoCapacityFinding {
  kind: 'no-capacity';
  /** The SLOs, in the thresholds' language (empty: errors only). */
  slo: string[];
  sweepConclusion: string | null;
  levelsTried: number;
}

/** Workers (and their cost) for the target traffic, from the capacity per worker measured. */
export interface CapacityPlanFinding {
  kind: 'capacity-plan';
  targetRps: number;
  requestsPerSecPerWorker: number;
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
}

/** A plan was asked for, but the capacity per worker is unknown (no serving workers seen). */
export interface NoCapacityPlanFinding {
  kind: 'no-capacity-plan';
  targetRps: number;
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
}

/** Every setting performed alike (p50 TTFT and /stream calls within the tie). */
export interface BatchingAlikeFinding {
  kind: 'stream-batching-alike';
  settings: Array<{ variant: string; ttftP50Ms: number; streamCallsPerRequest: number }>;
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
}

/** No setting met the TTFT target: the one that came closest. */
export interface BatchingTargetMissedFinding {
  kind: 'stream-batching-target-missed';
  ttftTargetMs: number;
  closest: TunedSetting;
  knobsIgnored: boolean;
}

/** Without a TTFT target: the Pareto front of (p50 TTFT, /stream calls), soonest first. */
export interface BatchingFrontFinding {
  kind: 'stream-batching-front';
  front: TunedSetting[];
  knobsIgnored: boolean;
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

export type Finding =
  | CapacityFinding
  | NoCapacityFinding
  | CapacityPlanFinding
  | NoCapacityPlanFinding
  | RunCostFinding
  | BatchingNoEffectFinding
  | BatchingAlikeFinding
  | BatchingTargetMetFinding
  | BatchingTargetMissedFinding
  | BatchingFrontFinding
  | ColdStartFinding;

export type FindingKind = Finding['kind'];
