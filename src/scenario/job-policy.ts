// What every job podbench submits carries so that none is left running on a paid endpoint
// when podbench stops caring about it:
//   - policy.ttl: the job's whole life on the platform (queue and execution, hard: Runpod
//     deletes it when it runs out, mid-run too), set just past the request's deadline
//     (timeouts.request). A job whose id never reached podbench (a /run answer lost, the
//     client killed) still ends on the platform that long after it was sent.
//   - policy.executionTimeout: only when the scenario sets timeouts.execution.
//   - /runsync's ?wait: below the request's time, so /runsync answers (at the latest with
//     the job's id and IN_PROGRESS) before podbench gives up, and podbench can cancel it.
// Runpod's ranges (reference §1.3): ttl 10 s to 7 days, executionTimeout 5 s to 7 days,
// wait 1000 to 300000 ms. Pure.
import type { Scenario } from './schema.js';

const SEVEN_DAYS_MS = 7 * 24 * 3_600_000;
const MIN_TTL_MS = 10_000;
/** The ttl passes the request's deadline by this: the job outlives podbench's interest only briefly. */
export const TTL_MARGIN_MS = 10_000;
const MIN_WAIT_MS = 1000;
const MAX_WAIT_MS = 300_000;

/** How far below the request's time /runsync's wait stays: a fifth of it, between 1 s and 10 s. */
export function runsyncMarginMs(requestMs: number): number {
  return Math.min(10_000, Math.max(1000, requestMs / 5));
}

/** The ?wait= podbench sends on /runsync: the scenario's, kept below the request's time. */
export function runsyncWaitMs(scenario: Pick<Scenario, 'polling' | 'timeouts'>): number {
  const { request } = scenario.timeouts;
  const wait = Math.min(scenario.polling.runsyncWait, request - runsyncMarginMs(request));
  return Math.round(Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, wait)));
}

/**
 * The `policy` of every /run and /runsync body. The embedded emulator runs its clock
 * `timeScale` times faster and reads the policy on its clock, so the times are scaled for it.
 */
export function jobPolicy(scenario: Pick<Scenario, 'timeouts' | 'target' | 'emulator'>): {
  ttl: number;
  executionTimeout?: number;
} {
  const embedded = !scenario.target?.endpoint && !scenario.target?.endpointId;
  const scale = embedded ? scenario.emulator.timeScale : 1;
  const clamp = (ms: number, min: number) => Math.round(Math.min(SEVEN_DAYS_MS, Math.max(min, ms * scale)));
  const ttl = clamp(scenario.timeouts.request + TTL_MARGIN_MS, MIN_TTL_MS);
  const execution = scenario.timeouts.execution;
  return execution === undefined ? { ttl } : { ttl, executionTimeout: clamp(execution, 5000) };
}
