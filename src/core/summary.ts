// What a run is (run.json) and what it measured (summary.json). summary.json is derived
// from run.json and results.ndjson by the pure summarize step; `schemaVersion` changes
// when a field changes meaning or disappears (adding fields does not change it).
import type { ColdStartRule } from './cold-start-rule.js';
import type { Distribution } from './distribution.js';
import type { Mode, Outcome, Phase, TokenSource, WorkerFormat } from './record.js';
import type { Finding } from './findings.js';
import type { Intervals95 } from './interval95.js';
import type { Recommendation } from './recommendation.js';
import type { TargetApi } from './target-api.js';
import type { StreamingSettings } from './streaming-settings.js';

export type { StreamingSettings } from './streaming-settings.js';

export const SCHEMA_VERSION = 1;

/** The scenario's analysis settings, kept in run.json so `podbench report` reaches the same findings. */
export interface AnalysisSettings {
  slo: string[];
  sweep?: {
    field: 'load.concurrency' | 'load.rate';
    start: number;
    factor: number;
    max: number;
    refine: number;
    maxErrorRate: number;
    minGain: number;
    /** Absent in run.json files written before steps grew until stable. */
    tolerance?: number;
    maxRequests?: number;
  };
  /** Why the sweep stopped (a profile sweep: the rates it derived). */
  sweepConclusion?: string;
  /** load.profile sweep: GuideLLM's sweep, with this many benchmarks in all. */
  profileSweep?: { sweepSize: number };
  plan?: { targetRps?: number; pricePerSecond?: number; headroom: number };
  ttftTargetMs?: number;
  /** The endpoint's idle timeout, for billing estimates (ms). */
  idleTimeoutMs: number;
}

export interface RunVariantMeta {
  name: string;
  params: Record<string, unknown>;
  mode: Mode;
  coldStartRule: ColdStartRule;
  /** The load model in words, e.g. "closed loop, concurrency 4, 20 requests". */
  load: string;
  /**
   * What this variant's requests went to (docs/targets.md): Runpod's queue API, the local test
   * server or a bare OpenAI-compatible server, and its host. Absent in run.json files before it existed.
   */
  target?: { api: TargetApi; host: string };
  /**
   * How late podbench's own event loop ran a periodic timer while this variant ran
   * (src/util/loop-delay.ts): an answer that arrived during such a stall was time-stamped
   * up to that late. Not derivable from the records, so run.json keeps it.
   */
  clientLoopDelayMs?: LoopDelay;
  /**
   * The native engine's client threads (--workers), when it ran more than one: each one's
   * event-loop delay (clientLoopDelayMs is then the worst of them, since they time-stamped
   * the answers) and the scheduling thread's own.
   */
  clientThreads?: { count: number; loopDelayMs: LoopDelay[]; schedulerLoopDelayMs?: LoopDelay };
  /**
   * The variant's effective scenario: the file after its matrix values, every run flag and
   * --set, validated, with every default filled in (the emulator's settings included). What
   * compare diffs to refuse runs of another workload. Absent in run.json files before it existed.
   */
  effective?: Record<string, unknown>;
  /** What the variant asked of the worker's streaming and how it polled (the tuning answer names them). */
  streaming?: StreamingSettings;
  /**
   * Requests the plan scheduled that were never sent, counted (not one record each): the run
   * stopped (a Ctrl-C, a budget, a failed write) while they waited, or k6 dropped them (no free
   * VU when they were due, or its executor's time ran out). Run folders written before it
   * existed hold `not_sent` records instead.
   */
  notSent?: NotSentCount[];
  /** The requests the plan fixes in advance (warmup and measured), when it does: `podbench report` compares them with what a run that ended early recorded. */
  plannedRequests?: number;
}

/** Why scheduled requests were not sent. */
export type NotSentReason = 'interrupted' | 'budget' | 'write_failed' | 'stopped' | 'k6_dropped';

export interface NotSentCount {
  phase: Phase;
  reason: NotSentReason;
  count: number;
}

export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  /** Timer samples behind the figures (one per 5 ms); absent in run.json files before it existed. */
  samples?: number;
}

/** Where and how a run was made, so two runs' reports say what may explain a difference. */
export interface RunProvenance {
  /** podbench's arguments as typed, secrets and URL credentials removed. */
  commandLine?: string;
  /** Every run flag and --set in the order applied: the flag, the field it set, the value. */
  overrides: Array<{ origin: string; path: string; value: unknown }>;
  /** process.version, e.g. "v20.19.4". */
  node: string;
  /** Platform, kernel release and architecture, e.g. "linux 6.1.0-18-amd64 x64". */
  os: string;
  cpu: {
    model: string;
    cores: number;
    /** The 1-minute load average when the run started: how busy the machine already was (absent on Windows, which has none). */
    loadAverage1m?: number;
  };
}

export interface RunMeta {
  schemaVersion: number;
  runId: string;
  podbenchVersion: string;
  scenario: { name: string; description: string; file: string; sha256: string; text: string };
  /** Host and endpoint id only: never a key. */
  target: {
    kind: 'emulator' | 'endpoint';
    host: string;
    endpointId: string;
    workerFormat?: 'legacy' | 'proxy';
    /** What answered at the first variant's target (see RunVariantMeta.target); absent before it existed, or until asked. */
    api?: TargetApi;
  };
  engine: string;
  seed: number;
  /** Wall-clock start (ISO 8601); all record times count from it on the monotonic clock. */
  startedAt: string;
  /** The same instant as performance.timeOrigin + performance.now() (epoch ms, sub-ms), to line records up with other clocks on this machine. */
  startedEpochMs: number;
  durationMs?: number;
  /** True when the run was interrupted (a signal). */
  interrupted?: boolean;
  /** The budget that stopped the run early, in words (budget.maxRequests...). */
  stoppedBy?: string;
  /**
   * Jobs podbench submitted whose cancel was not confirmed when the run ended (the cancel
   * failed after its retries, or had not answered within the wait): they may run, and cost,
   * until they end or reach policy.ttl. Absent when every cancel was answered.
   */
  jobsLeftRunning?: string[];
  prompts: string;
  variants: RunVariantMeta[];
  /** Threshold expressions to check (the scenario's, then --threshold flags'), validated before the run. */
  thresholds?: string[];
  /** What the run is to answer (SLOs, a capacity sweep, a cost plan, a TTFT target), from the scenario. */
  analysis?: AnalysisSettings;
  /** The command line, the flags and --set values applied, Node, OS and CPU (absent in older run.json files). */
  provenance?: RunProvenance;
  /** `podbench k6 export --instances N` (N > 1): the k6 instances (execution segments) each variant's load is split over. */
  k6Instances?: number;
}

export const METRIC_NAMES = [
  'ttftMs',
  'e2eMs',
  'e2eFromScheduledMs',
  'tpotMs',
  'chunkGapMs',
  'chunkTokens',
  'delayMs',
  'executionMs',
  'overheadMs',
  'sendLagMs',
  'ttftUncertaintyMs',
  'polls',
  'promptTokens',
  'outputTokens',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** The metrics with a value per chunk of a stream, not per request. */
const PER_CHUNK_METRICS = ['chunkGapMs', 'chunkTokens'] as const;
export type PerRequestMetric = Exclude<MetricName, (typeof PER_CHUNK_METRICS)[number]>;

/** The metrics with one value per request (METRIC_NAMES but the per-chunk ones), in METRIC_NAMES' order. */
export const PER_REQUEST_METRICS: readonly PerRequestMetric[] = METRIC_NAMES.filter(
  (name): name is PerRequestMetric => !(PER_CHUNK_METRICS as readonly string[]).includes(name),
);

/** Runpod's console shows cold-start P70/P90/P98; podbench adds P50. */
export interface ColdStartDistribution {
  count: number;
  p50: number | null;
  p70: number | null;
  p90: number | null;
  p98: number | null;
  max: number | null;
  /** 95% intervals of the percentiles (absent in older files). */
  interval95?: Intervals95<'p50' | 'p70' | 'p90' | 'p98'>;
}

/**
 * Why a metric has no samples by the target's design rather than for want of requests:
 *   whole-answer      the streamed answer came in one piece once the job had ended (Runpod's
 *                     local test server): no token times, so no TTFT, TPOT or chunk gaps
 *   no-server-timing  the target reports no delayTime or executionTime (the local test
 *                     server; a model server, which has no queue)
 */
export type NotMeasuredReason = 'whole-answer' | 'no-server-timing';
/** See VariantSummary.throughput.steady. */
export interface SteadyThroughputFigure {
  windowStartMs: number;
  windowMs: number;
  /** Requests the figure rests on: sent inside the window (closed loop), or completed inside it (open loop). */
  completions: number;
  requestsPerSec: number;
  outputTokensPerSec: number;
  interval: { low: number; high: number; method: 'little' | 'poisson' } | null;
}

export interface VariantSummary {
  name: string;
  params: Record<string, unknown>;
  mode: Mode;
  counts: {
    /** Measured requests scheduled (warmup excluded), whatever became of them. */
    scheduled: number;
    sent: number;
    ok: number;
    /** sent - ok - aborted: the requests the endpoint (or the way to it) failed. */
    failed: number;
    /** failed / (sent - aborted) (null when nothing was sent). Aborted requests, cut short by an interrupt, count neither way. */
    errorRate: number | null;
    byOutcome: Partial<Record<Outcome, number>>;
    /** Final HTTP status of http_error requests. */
    httpStatus: Record<string, number>;
    warmup: number;
    /** Retried HTTP calls, summed over requests. */
    retries: number;
    /** Requests that needed at least one retry. */
    requestsRetried: number;
    /** Measured requests scheduled and never sent, by why (also in byOutcome.not_sent). Absent when none. */
    notSentByReason?: Partial<Record<NotSentReason, number>>;
    /** 95% interval of errorRate (absent in older files). */
    interval95?: Intervals95<'errorRate'>;
  };
  metrics: Record<MetricName, Distribution>;
  throughput: {
    /** From the first measured request's scheduled time to the last one's end. */
    windowMs: number;
    /** Where that window starts on the run clock (ms). */
    windowStartMs?: number;
    requestsPerSec: number | null;
    outputTokensPerSec: number | null;
    totalTokensPerSec: number | null;
    /**
     * Throughput without the ramp-up and the drain, from the first completion to the last
     * send, with its 95% interval (src/metrics/steady-throughput.ts). Absent when the variant
     * had no steady part (every request sent before the first one finished) or too few
     * completions in it, and in summaries written before it existed.
     */
    steady?: SteadyThroughputFigure;
    /** 95% intervals of the rates (absent in older files). */
    interval95?: Intervals95<'requestsPerSec' | 'outputTokensPerSec' | 'totalTokensPerSec'>;
  };
  coldStarts: {
    count: number;
    /** Cold requests / requests with server timing. */
    share: number | null;
    delayMs: { cold: ColdStartDistribution; warm: ColdStartDistribution };
    /** 95% interval of share (absent in older files). */
    interval95?: Intervals95<'share'>;
  };
  /** How late podbench sent requests against their schedule. */
  sendLag: { lateOver1msShare: number | null; behind: boolean; interval95?: Intervals95<'lateOver1msShare'> };
  /**
   * How late podbench's event loop ran while the variant ran (from run.json), and whether
   * its p99 passed 2 ms: then the client's times carry that much of its own delay. Absent
   * for runs recorded before it existed.
   */
  clientLoopDelay?: {
    ms: LoopDelay;
    busy: boolean;
    /** p99 delay as a share of what it distorts: the TTFT p50, else the E2E p50 (null when neither). */
    share?: number | null;
    /** Which figure `share` is of, e.g. "TTFT p50 (203 ms)". */
    against?: string;
    /** Busy and at least 10% of that figure: worth a warning; otherwise a line in the report. */
    significant?: boolean;
    /** Event loops that time-stamped answers: the native engine's client threads (--workers), else 1; ms is the worst of them. */
    threads?: number;
    /** Each client thread's delay, when there were several. */
    perThreadMs?: LoopDelay[];
    /**
     * When significant: about how many client threads would bring the p99 delay under 2 ms
     * (the delay shrinks with each loop's share of the answers). More than the machine's
     * cores: that many threads' worth of machines (podbench k6 export --instances). Never more
     * than a closed loop's concurrency (a thread needs a request in flight to share the work).
     */
    neededThreads?: number;
    /** Set when neededThreads was cut to the closed loop's concurrency: more threads could not help. */
    inFlightCap?: number;
  };
  tokenSources: Partial<Record<TokenSource, number>>;
  workerFormats: Partial<Record<WorkerFormat, number>>;
  /** Each error kind once, with its count and the first message seen. */
  errors: Array<{ outcome: Outcome; count: number; example: string }>;
  /** Metrics this target cannot give, and why (absent when every metric could be measured). */
  notMeasured?: Partial<Record<MetricName, NotMeasuredReason>>;
  /**
   * The same metrics over warm requests only: measured requests whose server timing the
   * cold-start rule classified as not cold. Requests without server timing (the OpenAI
   * routes report none) are in neither block. Absent in summaries written before it existed.
   */
  warm?: RequestClassSummary;
  /** The same metrics over the requests the cold-start rule classified as cold. */
  cold?: RequestClassSummary;
  /** Present when the run has per-request SLOs (`slo:` entries such as "ttft <= 500ms"). */
  goodput?: Goodput;
}

/** The requests that met every per-request SLO (src/metrics/goodput.ts), over the throughput window. */
export interface Goodput {
  /** The per-request SLOs, as written. */
  slo: string[];
  /** Measured requests that ended ok within every limit. */
  met: number;
  /** met / (sent - aborted); null when nothing was sent. */
  share: number | null;
  requestsPerSec: number | null;
  outputTokensPerSec: number | null;
  /** 95% intervals (src/derive/summary-intervals.ts): the rates by the throughput's bootstrap, the share by Wilson's. */
  interval95?: Intervals95<'share' | 'requestsPerSec' | 'outputTokensPerSec'>;
}

export interface RequestClassSummary {
  /** Successful measured requests in the class (latency metrics are over these). */
  ok: number;
  metrics: Record<MetricName, Distribution>;
}

/** One threshold checked against one variant (summary.json `thresholds`, the report's table). */
export interface ThresholdResult {
  /** As written, e.g. "[concurrency=4] warm.ttftMs.p95 < 800ms". */
  expression: string;
  variant?: string;
  /** Canonical metric name, e.g. "warm.ttftMs.p95". */
  metric: string;
  op: '<' | '<=' | '>' | '>=' | '==';
  /** The limit in the metric's unit (milliseconds, a share as a fraction...). */
  limit: number;
  /** The measured value (over repeats: the mean of the runs), null when there was nothing to measure. */
  value: number | null;
  passed: boolean;
  status: 'pass' | 'fail' | 'no-data';
  /** Why a no-data result passed or failed. */
  note?: string;
  /** Over repeats: runs with a value, and the 95% confidence interval of the mean. */
  runs?: number;
  ci?: [number, number];
}

export interface RunSummary {
  schemaVersion: number;
  run: Omit<RunMeta, 'scenario'> & { scenario: Omit<RunMeta['scenario'], 'text'> };
  variants: VariantSummary[];
  /** Present when the run had thresholds: one result per threshold and variant it applies to. */
  thresholds?: ThresholdResult[];
  /** Findings as data: capacity, a plan, stream batching, cold starts (src/answers). */
  findings?: Finding[];
}

/**
 * summary.json as written: the summary, with its findings also in words (`recommendations`,
 * one per finding, in the same order) for readers of the files written before findings were data.
 */
export interface SummaryFile extends RunSummary {
  recommendations?: Recommendation[];
}
