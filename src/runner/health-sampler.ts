// Samples GET /health through the run, so reports can show the workers and queue the
// endpoint reported over time (scale from zero, scale out, queue build-up).
import type { HttpClient } from '../runpod/http-client.js';
import { readHealth } from '../runpod/health.js';
import type { HealthSample } from '../core/health.js';
import type { NdjsonSink } from '../util/ndjson-sink.js';
import { cleanValue } from '../util/redact.js';

export function startHealthSampler(options: {
  endpointUrl: string;
  http: HttpClient;
  intervalMs: number;
  clock: () => number;
  variant: string;
  sink: NdjsonSink;
  /** Each sample as it is written (the live console shows the workers). */
  onSample?: (sample: HealthSample) => void;
}): { stop(): Promise<void> } {
  const { endpointUrl, http, intervalMs, clock, variant, sink } = options;
  if (intervalMs <= 0) return { stop: async () => {} };
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  const sample = async () => {
    const result = await http.call('GET', `${endpointUrl}/health`, undefined, {
      timeoutMs: Math.max(1000, intervalMs * 2),
    });
    if (stopped) return;
    const entry: HealthSample = { tMs: clock(), variant };
    if (result.kind === 'response' && result.status === 200) {
      const health = readHealth(result.text);
      if (health) {
        entry.jobs = health.jobs;
        entry.workers = health.workers;
      } else {
        entry.error = 'health answer is not JSON';
      }
    } else {
      entry.error = result.kind === 'response' ? `HTTP ${result.status}` : result.kind;
    }
    // The counts' names are the server's text: they pass the redaction boundary like every record.
    const clean = cleanValue(entry);
    sink.write(clean);
    options.onSample?.(clean);
  };
  const timer = setInterval(() => {
    inFlight = sample();
  }, intervalMs);
  inFlight = sample();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
      stopped = true;
    },
  };
}
