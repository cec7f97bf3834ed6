// Reading GET /health: the endpoint's job and worker counts. The runner samples it through
// a run; the native engine's probes wait on it until the endpoint scaled to zero.

export interface HealthCounts {
  jobs?: Record<string, number>;
  workers?: Record<string, number>;
}

/** The counts in a 200 answer's text; undefined when the text is not JSON (or is null). */
export function readHealth(text: string): HealthCounts | undefined {
  try {
    const body = JSON.parse(text) as HealthCounts;
    return { jobs: body.jobs, workers: body.workers };
  } catch {
    return undefined;
  }
}

/** Workers that are up or on their way: none means the endpoint has scaled to zero. */
export function activeWorkers(health: HealthCounts): number {
  const workers = health.workers ?? {};
  return (workers.ready ?? 0) + (workers.running ?? 0) + (workers.initializing ?? 0);
}
