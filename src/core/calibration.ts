// What `podbench calibrate` learned from a run (calibration.json): each fitted value of the
// emulator's model with its uncertainty, what the run could not tell, and how well the fitted
// emulator replays the run. Plain data; src/answers/calibrate fits it, the words are
// src/report/calibration-text.ts's.
//
// Times are model milliseconds: the run's times multiplied by its time scale (1 for a real
// endpoint), so a calibration from a time-scaled emulator run compares with its settings.

/** Every value a calibration can fit, by the emulator setting (or client overhead) it becomes. */
export const CALIBRATION_PARAMETERS = [
  'generation.stepMs',
  'generation.stepMsPerSequence',
  'generation.prefillMsPerToken',
  'generation.jitter',
  'generation.eosProbability',
  'workers.coldStart.medianMs',
  'workers.coldStart.sigma',
  'workers.flashboot.probability',
  'workers.flashboot.medianMs',
  'workers.flashboot.sigma',
  'workers.idleTimeoutMs',
  'workers.concurrency',
  /** A fixed cost in every job's executionTime beyond its decode steps (handler, reporting). */
  'overhead.executionMs',
  /** Server pickup to the client's first token, beyond the first decode step (polling, network). */
  'overhead.ttftMs',
  /** Client end-to-end beyond delayTime + executionTime (network, gateway, the last poll). */
  'overhead.e2eMs',
  /** delayTime of a job a warm worker with room picked up: the platform's dispatch. */
  'overhead.dispatchMs',
] as const;
export type CalibrationParameter = (typeof CALIBRATION_PARAMETERS)[number];

/**
 * fitted   estimated from the run, with an interval
 * bound    the run bounds it only (low or high is null); value is the bound's edge or midpoint
 * assumed  the run says nothing: the emulator's default (or the value given) is used
 * given    the user set it (calibrate --set)
 */
export type FitStatus = 'fitted' | 'bound' | 'assumed' | 'given';

export interface FittedValue {
  parameter: CalibrationParameter;
  /** The emulator setting it becomes (absent: a client-side overhead the emulator does not model). */
  setting?: string;
  value: number;
  /** 90% interval: bootstrap over requests (or boots, or scale-downs); null when unknown on that side. */
  low: number | null;
  high: number | null;
  status: FitStatus;
  /** How many observations it rests on. */
  basis: number;
  /**
   * 'default': the run bounds the value on one side only, so the value is the emulator's
   * default (kept within the bound), not an estimate. Absent: the value is the fit or the bound.
   */
  valueFrom?: 'default';
}

/** What a run could not tell, and which run would. */
export type CalibrationGap =
  | { kind: 'no-server-timing'; requests: number }
  | { kind: 'few-requests'; requests: number; wanted: number }
  | { kind: 'no-batch-variation'; sequencesP10: number; sequencesP90: number }
  | { kind: 'no-prompt-variation'; promptTokensP10: number; promptTokensP90: number }
  | { kind: 'no-output-variation'; outputTokens: number }
  | { kind: 'eos-unknown'; reason: 'ignore-eos' | 'no-max-tokens' }
  | { kind: 'eos-never-seen'; requests: number }
  | { kind: 'no-cold-starts' }
  | { kind: 'few-cold-starts'; boots: number; wanted: number }
  | { kind: 'cold-starts-under-load'; boots: number }
  | { kind: 'no-flashboot-seen'; revivals: number }
  | { kind: 'no-scale-down' }
  | { kind: 'idle-timeout-bound'; lowMs: number | null; highMs: number | null }
  | { kind: 'concurrency-not-reached'; maxInFlight: number }
  | { kind: 'no-stream-timing' }
  | { kind: 'endpoint-settings-given' };

export type CalibrationGapKind = CalibrationGap['kind'];

/** One figure of the run beside the same figure of the fitted emulator replaying its traffic. */
export interface ReplayRow {
  metric: 'ttftMs.p50' | 'ttftMs.p95' | 'e2eMs.p50' | 'e2eMs.p95' | 'delayMs.p95' | 'outputTokensPerSec';
  measured: number | null;
  replayed: number | null;
  /** replayed / measured - 1 (null when either is missing). */
  relativeError: number | null;
}

export interface ReplayCheck {
  /** Requests replayed (each at its measured send time, with its prompt and output lengths). */
  requests: number;
  rows: ReplayRow[];
}

/** The endpoint settings the run was made on, as far as calibrate knows them. */
export interface EndpointFacts {
  /** Most workers seen live at once (health) or serving in one variant (records). */
  maxWorkersSeen: number;
  /** Settings given with calibrate --set (workers.min, workers.max, workers.scaler...). */
  given: Record<string, unknown>;
}

/** The traffic the run sent, for a what-if that names no other. */
export interface TrafficFacts {
  mode: string;
  requests: number;
  durationMs: number;
  promptTokensP50: number | null;
  promptTokensMean: number | null;
  outputTokensMean: number | null;
  maxTokens: number | null;
  minTokens: number;
  ignoreEos: boolean;
}

export const CALIBRATION_FORMAT = 'podbench-calibration';
export const CALIBRATION_VERSION = 1;

export interface Calibration {
  format: typeof CALIBRATION_FORMAT;
  version: number;
  source: {
    runDir: string;
    runId: string;
    target: 'emulator' | 'endpoint';
    /** The run's times were multiplied by this (the emulator's timeScale; 1 for an endpoint). */
    timeScale: number;
    variants: string[];
  };
  parameters: FittedValue[];
  gaps: CalibrationGap[];
  endpoint: EndpointFacts;
  traffic: TrafficFacts;
  /** Outliers the decode fit weighed down (robust regression), so nothing is dropped silently. */
  downweighted: number;
  /** Lines of the run folder skipped or repaired on reading (as `podbench report` words them); absent when none. */
  readWarnings?: string[];
  replay?: ReplayCheck;
  /** The emulator settings the fitted values make (the input form; emulator.yaml holds the same). */
  settings: Record<string, unknown>;
}

/** The client-side overheads podbench adds to what the emulator models (model ms). */
export interface ClientOverheads {
  dispatchMs: number;
  executionMs: number;
  ttftMs: number;
  e2eMs: number;
}
