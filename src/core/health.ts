// One line of health.ndjson: what the endpoint's GET /health said at one moment of the run.
// The runner's sampler writes them; the report's charts and the scaling findings read them.

export interface HealthSample {
  /** When the answer came, on the run clock (ms since the run started). */
  tMs: number;
  /** The variant running when it was sampled. */
  variant: string;
  /** /health's `jobs` counts (inQueue, inProgress, ...), as the endpoint sent them. */
  jobs?: Record<string, number>;
  /** /health's `workers` counts (idle, running, initializing, ready, ...). */
  workers?: Record<string, number>;
  /** Why this sample holds no counts (an HTTP status, a network error, an unreadable answer). */
  error?: string;
}
