// The raw per-request record: one line of results.ndjson, written as each request ends.
// It holds facts only (times, counts, what the server said); every metric is derived from
// records later (src/metrics), so any report can be rebuilt without sending a request.
//
// Times are milliseconds on one monotonic clock (performance.now()) counted from the run's
// start; wall-clock time appears only in the run's provenance (run.json).

export const MODES = ['sync', 'async', 'stream', 'openai', 'openai-stream'] as const;
export type Mode = (typeof MODES)[number];

/** How a request ended. Everything but `ok` is an error kind, reported apart. */
export const OUTCOMES = [
  'ok',
  /** The last HTTP answer was not 200 (after retries); httpStatus says which. */
  'http_error',
  /** The job ended FAILED. */
  'job_failed',
  /** The job ended CANCELLED (by someone else, or by podbench on interrupt or timeout). */
  'job_cancelled',
  /** The job ended TIMED_OUT. */
  'job_timed_out',
  /** The job disappeared while podbench followed it (404: result expired or ttl passed). */
  'job_lost',
  /** podbench's own per-request timeout expired. */
  'client_timeout',
  /** Connection refused, reset, DNS failure... after retries. */
  'network_error',
  /** The answer could not be understood (malformed JSON, broken SSE). */
  'protocol_error',
  /** The run was interrupted while the request was in flight. */
  'aborted',
  /** The run ended (interrupt, budget) before the scheduled request was sent. */
  'not_sent',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type Phase = 'warmup' | 'measure';

/**
 * Where output/prompt token counts come from: the server's usage, podbench's count of stream
 * deltas, or the local tokenizer file the scenario names (input.tokenizer).
 */
export const TOKEN_SOURCES = ['usage', 'tokenizer', 'estimated', 'none'] as const;
export type TokenSource = (typeof TOKEN_SOURCES)[number];

/** Output shape seen from the worker: worker-vllm <= 2.23 (token batches), >= 2.24 (OpenAI JSON / raw SSE), or an OpenAI route. */
export type WorkerFormat = 'legacy' | 'proxy' | 'openai';

export interface RequestRecord {
  /** Request number within the run, in scheduling order. */
  seq: number;
  variant: string;
  phase: Phase;
  mode: Mode;
  outcome: Outcome;
  /** The HTTP status of the answer that ended the request, when it was not 200. */
  httpStatus?: number;
  /** Error text (truncated), for every outcome but ok. */
  error?: string;
  jobId?: string;
  /** OpenAI routes: the answer's id (chatcmpl-...), the one handle a client gets there. */
  responseId?: string;
  workerId?: string;
  workerFormat?: WorkerFormat;

  /** When the request should have been sent (open loop: the arrival schedule; closed loop: when its user was free). */
  scheduledMs: number;
  /** When podbench actually sent it (first attempt). Absent when it was never sent. */
  sentMs?: number;
  /** Streaming modes: when the first chunk holding at least one token arrived. */
  firstTokenMs?: number;
  /** Streaming modes: when the last chunk holding a token arrived. */
  lastTokenMs?: number;
  /** When the request ended from the client's point of view (terminal status seen, stream closed, error). */
  endMs: number;
  /** Async, stream: when a poll first saw the job IN_PROGRESS (bounds the pickup from above). */
  inProgressSeenMs?: number;

  /** Server-reported delayTime: submit to pickup, cold start included. */
  delayMs?: number;
  /** Server-reported executionTime. */
  executionMs?: number;

  promptTokens?: number;
  outputTokens?: number;
  tokenSource: TokenSource;
  /** Streaming modes: [arrivalMs, tokens] for every read or poll that delivered tokens. */
  chunks?: Array<[number, number]>;

  /**
   * Stream mode on Runpod's local test server: the answer held every partial at once, given
   * when the job had ended, so the record has no token times (no TTFT, TPOT or chunk gaps)
   * by the target's design, not for want of tokens.
   */
  streamedWhole?: true;

  /** /status, /status-sync and /stream calls made after the submission. */
  polls: number;
  /** HTTP attempts repeated after a 429, 5xx, network or protocol error (submission and polls). */
  retries: number;
  /**
   * Stream mode: firstTokenMs minus the time the last empty poll was sent (or the submission,
   * when the first poll already had tokens). The first token became available within that
   * interval, so TTFT is known to within it. Long-polls make it loose (the whole hold).
   */
  ttftUncertaintyMs?: number;
}

/** A record while its request runs: everything but its end is filled in as it happens. */
export type RecordDraft = Omit<RequestRecord, 'endMs'> & { endMs?: number };
