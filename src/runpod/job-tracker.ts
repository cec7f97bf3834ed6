// Jobs podbench submitted and that may still be running (and costing money). Abandoned
// jobs are cancelled at once; on interrupt every job still open is cancelled.
import type { HttpClient } from './http-client.js';

/** What a request tells the run about its job, so that no job is left running when podbench stops caring. */
export interface JobTracker {
  /** A job now exists on the endpoint and may cost money until it ends. */
  submitted(jobId: string): void;
  /** The job reached a terminal status: nothing to cancel. */
  settled(jobId: string): void;
  /** podbench gives up on the job (timeout, error): cancel it on the endpoint. */
  abandon(jobId: string): void;
  /** True when podbench itself cancelled the job because the run was interrupted. */
  cancelledOnInterrupt(jobId: string): boolean;
}

export interface RunJobTracker extends JobTracker {
  /** Jobs submitted and not yet seen terminal. */
  readonly open: number;
  /** Cancels every open job; resolves when each cancel answered or timed out. */
  cancelAll(): Promise<number>;
  /** Waits for cancels already under way. */
  drain(): Promise<void>;
}

export function createJobTracker(endpointUrl: string, http: HttpClient, timeoutMs = 5000): RunJobTracker {
  const open = new Set<string>();
  const pending = new Set<Promise<void>>();
  /** Jobs cancelled by cancelAll (an interrupt): their requests end as aborted, not as the endpoint's failures. */
  const interrupted = new Set<string>();
  const cancel = (jobId: string) => {
    const done = http
      .call('POST', `${endpointUrl}/cancel/${encodeURIComponent(jobId)}`, {}, { timeoutMs })
      .then(() => undefined)
      .finally(() => pending.delete(done));
    pending.add(done);
    return done;
  };
  return {
    submitted: (jobId) => void open.add(jobId),
    settled: (jobId) => void open.delete(jobId),
    abandon: (jobId) => {
      if (open.delete(jobId)) void cancel(jobId);
    },
    get open() {
      return open.size;
    },
    cancelledOnInterrupt: (jobId) => interrupted.has(jobId),
    async cancelAll() {
      const ids = [...open];
      open.clear();
      for (const id of ids) interrupted.add(id);
      await Promise.all(ids.map(cancel));
      return ids.length;
    },
    async drain() {
      await Promise.all([...pending]);
    },
  };
}

/**
 * Where there is nothing to cancel: the local test server has no /cancel (a stored job runs
 * only when /status or /stream asks for it), and a model server has no jobs.
 */
export function createNoCancelTracker(): RunJobTracker {
  return {
    submitted: () => undefined,
    settled: () => undefined,
    abandon: () => undefined,
    open: 0,
    cancelledOnInterrupt: () => false,
    cancelAll: () => Promise.resolve(0),
    drain: () => Promise.resolve(),
  };
}
