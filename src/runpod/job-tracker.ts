// Jobs podbench submitted and that may still be running (and costing money). Abandoned
// jobs are cancelled at once; on interrupt (or any early end) every job still open is
// cancelled, and so is every job whose id arrives afterwards (a /runsync or /run answer
// that was on its way when the run stopped).
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
  /** Cancels that still failed after their retries: those jobs end at their policy.ttl. */
  readonly cancelsFailed: number;
  /** Cancels every open job, and from now on every job as soon as its id arrives; resolves when each cancel answered or timed out. */
  cancelAll(): Promise<number>;
  /** Waits for cancels already under way, at most maxMs (then what is unanswered stays in unconfirmed()). */
  drain(maxMs?: number): Promise<void>;
  /**
   * Jobs that may still run: open, or cancelled without an answer yet, or whose cancel failed.
   * What a second Ctrl-C (exit at once) leaves behind.
   */
  unconfirmed(): string[];
}

/** Cancels in flight at once: Runpod allows 20 /cancel calls in flight per endpoint (src/core/runpod-limits.ts). */
const CANCELS_AT_ONCE = 16;
/** Attempts per cancel: a 429, a 5xx or a network error is asked again after a short pause. */
const CANCEL_ATTEMPTS = 3;
const CANCEL_PAUSE_MS = 500;

export function createJobTracker(endpointUrl: string, http: HttpClient, timeoutMs = 5000): RunJobTracker {
  const open = new Set<string>();
  /** Cancels sent and not answered yet, by job id. */
  const pending = new Map<string, Promise<void>>();
  /** Jobs cancelled by cancelAll (an interrupt): their requests end as aborted, not as the endpoint's failures. */
  const interrupted = new Set<string>();
  /** After cancelAll: the run is ending, so a job whose id arrives now is cancelled at once. */
  let closing = false;
  /** Cancels that failed after their retries. */
  const failedIds = new Set<string>();
  let running = 0;
  const queue: Array<() => void> = [];
  const slot = async (): Promise<void> => {
    if (running < CANCELS_AT_ONCE) {
      running += 1;
      return;
    }
    await new Promise<void>((resolve) => queue.push(resolve));
  };
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else running -= 1;
  };
  const cancelOnce = async (jobId: string): Promise<void> => {
    await slot();
    try {
      for (let attempt = 1; ; attempt++) {
        const result = await http.call('POST', `${endpointUrl}/cancel/${encodeURIComponent(jobId)}`, {}, { timeoutMs });
        const again =
          result.kind === 'network_error' ||
          result.kind === 'timeout' ||
          (result.kind === 'response' && (result.status === 429 || result.status >= 500));
        if (!again) return;
        if (attempt >= CANCEL_ATTEMPTS) {
          failedIds.add(jobId);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, CANCEL_PAUSE_MS * attempt));
      }
    } finally {
      release();
    }
  };
  const cancel = (jobId: string) => {
    const done = cancelOnce(jobId).finally(() => {
      if (pending.get(jobId) === done) pending.delete(jobId);
    });
    pending.set(jobId, done);
    return done;
  };
  return {
    submitted: (jobId) => {
      if (!closing) {
        open.add(jobId);
        return;
      }
      interrupted.add(jobId);
      void cancel(jobId);
    },
    settled: (jobId) => void open.delete(jobId),
    abandon: (jobId) => {
      if (open.delete(jobId)) void cancel(jobId);
    },
    get open() {
      return open.size;
    },
    get cancelsFailed() {
      return failedIds.size;
    },
    cancelledOnInterrupt: (jobId) => interrupted.has(jobId),
    async cancelAll() {
      closing = true;
      const ids = [...open];
      open.clear();
      for (const id of ids) interrupted.add(id);
      await Promise.all(ids.map(cancel));
      return ids.length;
    },
    async drain(maxMs = Number.POSITIVE_INFINITY) {
      const all = Promise.all([...pending.values()]);
      if (!Number.isFinite(maxMs)) return void (await all);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, maxMs);
        timer.unref();
      });
      await Promise.race([all, late]);
      clearTimeout(timer);
    },
    unconfirmed: () => [...new Set([...open, ...pending.keys(), ...failedIds])],
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
    cancelsFailed: 0,
    cancelledOnInterrupt: () => false,
    cancelAll: () => Promise.resolve(0),
    drain: () => Promise.resolve(),
    unconfirmed: () => [],
  };
}

/**
 * What a second Ctrl-C leaves running, said once: the count and the ids (the first 10), so
 * they can be cancelled by hand. Undefined when nothing is left.
 */
export function leftRunningText(ids: readonly string[]): string | undefined {
  if (ids.length === 0) return undefined;
  const shown = ids.slice(0, 10).join(', ');
  const more = ids.length > 10 ? ` and ${ids.length - 10} more` : '';
  return `${ids.length === 1 ? '1 job' : `${ids.length} jobs`} podbench submitted ${ids.length === 1 ? 'was' : 'were'} not confirmed cancelled and may run on the endpoint (and cost) until ${ids.length === 1 ? 'it ends or reaches' : 'they end or reach'} policy.ttl: ${shown}${more} (POST /cancel/{id} stops one)`;
}
