// A simulated endpoint's jobs (src/core/simulation.ts) as the records a client would have
// written, so every figure of a replay or a what-if comes from the same metric code as a
// measured run's (src/metrics). The client's overheads the emulator does not model (the
// platform's dispatch, a per-job cost in executionTime, polling and network) are added here,
// as a calibration measured them. Pure.
import type { ClientOverheads } from '../core/calibration.js';
import type { HealthSample } from '../core/health.js';
import type { Mode, Outcome, RequestRecord } from '../core/record.js';
import type { SimResult } from '../core/simulation.js';

export const NO_OVERHEADS: ClientOverheads = { dispatchMs: 0, executionMs: 0, ttftMs: 0, e2eMs: 0 };

function outcomeOf(status: string): Outcome {
  switch (status) {
    case 'COMPLETED':
      return 'ok';
    case 'FAILED':
      return 'job_failed';
    case 'TIMED_OUT':
      return 'job_timed_out';
    case 'CANCELLED':
      return 'job_cancelled';
    default:
      return 'job_lost';
  }
}

export interface SimRecordOptions {
  variant: string;
  mode: Mode;
  overheads: ClientOverheads;
  /** Added to every record's seq (the first request is seqStart). */
  seqStart?: number;
  /** Added to every time (the variant's start on the run clock). */
  offsetMs?: number;
}

export function recordsFromSim(result: SimResult, options: SimRecordOptions): RequestRecord[] {
  const o = options.overheads;
  const streamed = options.mode === 'stream' || options.mode === 'openai-stream';
  const offset = options.offsetMs ?? 0;
  return result.jobs.map((job) => {
    const sentMs = offset + job.submittedMs;
    const record: RequestRecord = {
      seq: (options.seqStart ?? 0) + job.request,
      variant: options.variant,
      phase: 'measure',
      mode: options.mode,
      outcome: outcomeOf(job.status),
      scheduledMs: sentMs,
      sentMs,
      endMs: sentMs + (job.completedMs ?? job.submittedMs) - job.submittedMs + o.e2eMs,
      tokenSource: 'usage',
      polls: 0,
      retries: 0,
      promptTokens: job.promptTokens,
      outputTokens: job.outputTokens,
    };
    if (job.startedMs !== undefined && job.completedMs !== undefined) {
      const delayMs = job.startedMs - job.submittedMs + o.dispatchMs;
      const executionMs = job.completedMs - job.startedMs + o.executionMs;
      record.delayMs = delayMs;
      record.executionMs = executionMs;
      record.endMs = sentMs + delayMs + executionMs + o.e2eMs;
      if (job.worker !== undefined) record.workerId = `worker-${job.worker}`;
      if (streamed && job.firstTokenMs !== undefined) {
        record.firstTokenMs = sentMs + delayMs + (job.firstTokenMs - job.startedMs) + o.ttftMs;
        record.lastTokenMs = Math.max(record.firstTokenMs, record.endMs - o.e2eMs);
      }
    }
    return record;
  });
}

/** /health as a sampler every `intervalMs` would have seen it (live workers only). */
export function healthFromSim(result: SimResult, variant: string, intervalMs: number, offsetMs = 0): HealthSample[] {
  const samples: HealthSample[] = [];
  let k = 0;
  let live = 0;
  const lastChange = result.liveWorkers[result.liveWorkers.length - 1]?.[0] ?? 0;
  const endMs = Math.max(result.windowMs, lastChange) + intervalMs;
  for (let t = 0; t <= endMs; t += intervalMs) {
    while (k < result.liveWorkers.length && (result.liveWorkers[k] as [number, number])[0] <= t) {
      live = (result.liveWorkers[k] as [number, number])[1];
      k++;
    }
    samples.push({ tMs: offsetMs + t, variant, workers: { idle: 0, initializing: 0, ready: live, running: 0 } });
  }
  return samples;
}
