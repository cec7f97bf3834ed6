// Reading GET /health: the endpoint's job and worker counts. The runner samples it through
// a run; the native engine's probes wait on it until the endpoint scaled to zero.

export interface HealthCounts {
  jobs?: Record<string, number>;
  workers?: Record<string, number>;
}

/** The counts in a 200 answer's text; undefined when the text is not a JSON object. Only counts are kept (finite numbers, at least 0). */
export function readHealth(text: string): HealthCounts | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { jobs, workers } = body as { jobs?: unknown; workers?: unknown };
  const out: HealthCounts = {};
  const countsOf = (value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const counts: Record<string, number> = {};
    for (const [key, n] of Object.entries(value)) {
      // The names are the server's: the runner cleans them (secrets, control characters) with the sample.
      if (typeof n === 'number' && Number.isFinite(n) && n >= 0) counts[key] = n;
    }
    return counts;
  };
  const j = countsOf(jobs);
  const w = countsOf(workers);
  if (j) out.jobs = j;
  if (w) out.workers = w;
  return out;
}

/** Workers that are up or on their way: none means the endpoint has scaled to zero. */
export function activeWorkers(health: HealthCounts): number {
  const workers = health.workers ?? {};
  return (workers.ready ?? 0) + (workers.running ?? 0) + (workers.initializing ?? 0);
}
