// Everything one request needs from its run: where to send, how to pace polls, the clock,
// and the job tracker that lets an interrupted or timed-out run cancel what it submitted.
import type { Phase, RequestRecord } from '../../core/record.js';
import type { Submission } from '../../scenario/payload.js';
import type { Scenario } from '../../scenario/schema.js';
import type { Rng } from '../../util/rng.js';
import type { HttpClient } from './http-client.js';

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

export interface RequestEnv {
  /** Endpoint base URL without a trailing slash, e.g. https://api.runpod.ai/v2/abc123. */
  endpointUrl: string;
  scenario: Scenario;
  /** Model name for OpenAI bodies. */
  model: string | undefined;
  /** Milliseconds since the run started, on the monotonic clock. */
  clock: () => number;
  http: HttpClient;
  rng: Rng;
  jobs: JobTracker;
  /** True once the run must stop at once: requests in flight end as `aborted`. */
  interrupted: () => boolean;
  /** Sleeps; false when the run was interrupted meanwhile. */
  sleep: (ms: number) => Promise<boolean>;
}

export interface PlannedRequest {
  seq: number;
  variant: string;
  phase: Phase;
  scheduledMs: number;
  /** The request, built before its time came. */
  submission: Submission;
  /** submission.body as JSON text, serialised ahead too. */
  bodyText: string;
}

export type RecordDraft = Omit<RequestRecord, 'endMs'> & { endMs?: number };

export const TERMINAL_STATUSES = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

/** The record outcome a terminal job status means. */
export function outcomeOfStatus(status: string): RequestRecord['outcome'] {
  switch (status) {
    case 'COMPLETED':
      return 'ok';
    case 'FAILED':
      return 'job_failed';
    case 'CANCELLED':
      return 'job_cancelled';
    case 'TIMED_OUT':
      return 'job_timed_out';
    default:
      return 'protocol_error';
  }
}

/**
 * Pauses for the whole run: one place that can end every pending pause at once when the
 * run is interrupted, instead of an AbortSignal listener per request.
 */
export interface Sleeper {
  sleep(ms: number): Promise<boolean>;
  /** Resolves every pending and future sleep with false. */
  interruptAll(): void;
}

export function createSleeper(): Sleeper {
  const pending = new Map<NodeJS.Timeout, (value: boolean) => void>();
  let interrupted = false;
  return {
    sleep(ms) {
      if (interrupted) return Promise.resolve(false);
      if (ms <= 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(timer);
          resolve(true);
        }, ms);
        pending.set(timer, resolve);
      });
    },
    interruptAll() {
      interrupted = true;
      for (const [timer, resolve] of pending) {
        clearTimeout(timer);
        resolve(false);
      }
      pending.clear();
    },
  };
}
