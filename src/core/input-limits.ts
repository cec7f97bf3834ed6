// podbench's own limits on what it is asked to do, checked when the scenario and flags are
// read, before anything is allocated or sent: past them a typing slip (--concurrency 1e9)
// would take the machine's memory and CPU instead of giving a clear error. Each is far
// above what one podbench process can drive; docs/safety.md lists them.
export const INPUT_LIMITS = {
  /** Closed loop: requests in flight (each is a socket and a pending request). */
  concurrency: 100_000,
  /** Open loop: cap on requests in flight. */
  maxInFlight: 100_000,
  /** Open loop: requests per second. */
  ratePerSec: 100_000,
  /** Variants of one scenario (a matrix's combinations, a sweep's steps): each runs on its own. */
  variants: 1_000,
  /** Stages of one load profile. */
  stages: 1_000,
  /** Synthetic prompt size, in tokens (about 4 bytes each: Runpod's /run payload limit is 10 MB). */
  promptTokens: 1_000_000,
  /** A scenario file (its text is kept in run.json). */
  scenarioFileBytes: 1024 * 1024,
  /** A JSONL prompts file (read whole). */
  promptsFileBytes: 256 * 1024 * 1024,
  /** An --api-key-file (a key is a line of text). */
  apiKeyFileBytes: 64 * 1024,
  /** A duration: the longest a Node.js timer waits (about 24.8 days). */
  durationMs: 2_147_483_647,
} as const;

/**
 * What podbench reads of one answer, by default (the scenario's `limits:` changes them).
 * Past either the request fails as a protocol error that says so; memory stays bounded
 * whatever a server sends. Large enough for real outputs: a whole answer (a /runsync or
 * /status with every streamed batch) is rarely above a few MB, and one event-stream event
 * (one token's delta, or Runpod's /stream slices of at most 1 MB) far below 1 MB.
 */
export const RESPONSE_LIMITS = {
  maxBodyBytes: 16 * 1024 * 1024,
  maxSseEventBytes: 1024 * 1024,
} as const;
