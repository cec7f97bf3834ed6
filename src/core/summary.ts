// What a run is (run.json) and what it measured (summary.json). summary.json is derived
// from run.json and results.ndjson by the pure summarize step; `schemaVersion` changes
// when a field changes meaning or disappears (adding fields does not change it).
import type { Distribution } from '../metrics/percentiles.js';
import type { ColdStartRule } from '../metrics/cold-start.js';
import type { Mode, Outcome, TokenSource, WorkerFormat } from './record.js';

export const SCHEMA_VERSION = 1;

export interface RunVariantMeta {
  name: string;
  params: Record<string, unknown>;
  mode: Mode;
  coldStartRule: ColdStartRule;
  /** The load model in words, e.g. "closed loop, concurrency 4, 20 requests". */
  load: string;
}

export interface RunMeta {
  schemaVersion: number;
  runId: string;
  podbenchVersion: string;
  scenario: { name: string; description: string; file: string; sha256: string; text: string };
  /** Host and endpoint id only: never a key. */
  target: { kind: 'emulator' | 'endpoint'; host: string; endpointId: string; workerFormat?: 'legacy' | 'proxy' };
  engine: string;
  seed: number;
  /** Wall-clock start (ISO 8601); all record times count from it on the monotonic clock. */
  startedAt: string;
  /** The same instant as performance.timeOrigin + performance.now() (epoch ms, sub-ms), to line records up with other clocks on this machine. */
  startedEpochMs: number;
  durationMs?: number;
  /** True when the run was interrupted or stopped early. */
  interrupted?: boolean;
  prompts: string;
  variants: RunVariantMeta[];
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

/** Runpod's console shows cold-start P70/P90/P98; podbench adds P50. */
export interface ColdStartDistribution {
  count: number;
  p50: number | null;
  p70: number | null;
  p90: number | null;
  p98: number | null;
  max: number | null;
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
    /** sent - ok. */
    failed: number;
    /** failed / sent (null when nothing was sent). */
    errorRate: number | null;
    byOutcome: Partial<Record<Outcome, number>>;
    /** Final HTTP status of http_error requests. */
    httpStatus: Record<string, number>;
    warmup: number;
    /** Retried HTTP calls, summed over requests. */
    retries: number;
    /** Requests that needed at least one retry. */
    requestsRetried: number;
  };
  metrics: Record<MetricName, Distribution>;
  throughput: {
    /** From the first measured request's scheduled time to the last one's end. */
    windowMs: number;
    requestsPerSec: number | null;
    outputTokensPerSec: number | null;
    totalTokensPerSec: number | null;
  };
  coldStarts: {
    count: number;
    /** Cold requests / requests with server timing. */
    share: number | null;
    delayMs: { cold: ColdStartDistribution; warm: ColdStartDistribution };
  };
  /** How late podbench sent requests against their schedule. */
  sendLag: { lateOver1msShare: number | null; behind: boolean };
  tokenSources: Partial<Record<TokenSource, number>>;
  workerFormats: Partial<Record<WorkerFormat, number>>;
  /** Each error kind once, with its count and the first message seen. */
  errors: Array<{ outcome: Outcome; count: number; example: string }>;
}

export interface RunSummary {
  schemaVersion: number;
  run: Omit<RunMeta, 'scenario'> & { scenario: Omit<RunMeta['scenario'], 'text'> };
  variants: VariantSummary[];
}
