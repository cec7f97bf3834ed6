// A run's records as the calibration reads them: one observation per job the server timed,
// every time multiplied by the run's time scale (model ms), the pickup placed on the client's
// clock as sentMs + delayTime and the server's end as pickup + executionTime. Pure.
import type { RequestRecord } from '../../core/record.js';

export interface JobObs {
  seq: number;
  variant: string;
  /** The worker within its variant: the emulator starts each variant afresh, with the same ids. */
  worker: string;
  workerId: string;
  /** Ended ok: its tokens and times are whole. */
  ok: boolean;
  sentMs: number;
  pickupMs: number;
  /** pickup + executionTime: when the worker finished with it. */
  endMs: number;
  delayMs: number;
  executionMs: number;
  promptTokens: number | undefined;
  outputTokens: number | undefined;
  /** Client TTFT (streaming modes). */
  ttftMs: number | undefined;
  /** Client end to end. */
  e2eMs: number;
}

export interface Observations {
  jobs: JobObs[];
  /** Records of requests that reached the endpoint but carry no server timing. */
  untimed: number;
}

export function observeRecords(records: Iterable<RequestRecord>, timeScale: number): Observations {
  const jobs: JobObs[] = [];
  let untimed = 0;
  for (const r of records) {
    if (r.sentMs === undefined || r.outcome === 'not_sent') continue;
    if (r.workerId === undefined || r.delayMs === undefined || r.executionMs === undefined) {
      if (r.outcome === 'ok') untimed++;
      continue;
    }
    const sentMs = r.sentMs * timeScale;
    const delayMs = r.delayMs * timeScale;
    const executionMs = r.executionMs * timeScale;
    const pickupMs = sentMs + delayMs;
    jobs.push({
      seq: r.seq,
      variant: r.variant,
      worker: `${r.variant}\u0000${r.workerId}`,
      workerId: r.workerId,
      ok: r.outcome === 'ok',
      sentMs,
      pickupMs,
      endMs: pickupMs + executionMs,
      delayMs,
      executionMs,
      promptTokens: r.promptTokens,
      outputTokens: r.outputTokens,
      ttftMs: r.firstTokenMs === undefined ? undefined : (r.firstTokenMs - r.sentMs) * timeScale,
      e2eMs: (r.endMs - r.sentMs) * timeScale,
    });
  }
  return { jobs, untimed };
}

/** Jobs grouped by worker, each list in pickup order. */
export function byWorker(jobs: readonly JobObs[]): Map<string, JobObs[]> {
  const out = new Map<string, JobObs[]>();
  for (const job of jobs) {
    const list = out.get(job.worker);
    if (list) list.push(job);
    else out.set(job.worker, [job]);
  }
  for (const list of out.values()) list.sort((a, b) => a.pickupMs - b.pickupMs || a.seq - b.seq);
  return out;
}
