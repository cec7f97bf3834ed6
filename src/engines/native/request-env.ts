// Everything one request needs from its run: where to send, how to pace polls, the clock,
// and the job tracker that lets an interrupted or timed-out run cancel what it submitted.
import type { Phase } from '../../core/record.js';
import type { FollowEnv } from '../../runpod/follow-env.js';
import type { HttpClient } from '../../runpod/http-client.js';
import type { JobTracker } from '../../runpod/job-tracker.js';
import type { Scenario } from '../../scenario/schema.js';
import type { Rng } from '../../util/rng.js';

export interface RequestEnv extends FollowEnv {
  scenario: Scenario;
  /** Model name for OpenAI bodies. */
  model: string | undefined;
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
  /** Where it goes under the endpoint (Submission.path), built before its time came. */
  path: string;
  /** Its body as JSON text, serialised ahead too. */
  bodyText: string;
  /** The prompt's tokens by the scenario's tokenizer, when it has one. */
  promptTokens?: number;
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
