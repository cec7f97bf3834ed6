// Polls /status (or /status-sync with ?wait, a long-poll) until the job is terminal.
import type { RecordDraft } from '../core/record.js';
import { callJson, type CallContext } from './call.js';
import type { FollowEnv } from './follow-env.js';
import { TERMINAL_STATUSES, asStatusBody, statusProblem, takeServerFields, type StatusBody } from './job-status.js';
import { applyCounts, countFinalOutput, type CountTokens } from './worker-output.js';

export type FollowResult = { ok: true; body: StatusBody; receivedMs: number } | { ok: false };

/** Follows the job to a terminal status; on failure the record already holds the outcome. */
export async function followStatus(
  env: FollowEnv,
  ctx: CallContext,
  jobId: string,
  record: RecordDraft,
): Promise<FollowResult> {
  const { polling, timeouts } = env.scenario;
  let interval = polling.interval;
  const { method, url } = env.calls.status(jobId, polling.wait);
  // The local test server runs the job within this call: it may take the whole request's time.
  const timeoutMs = env.calls.runsOnFollow ? timeouts.request : timeouts.http + polling.wait;
  for (;;) {
    const result = await callJson(ctx, method, url, undefined, timeoutMs);
    ctx.tally.polls += 1;
    if (!result.ok) {
      record.outcome = result.httpStatus === 404 ? 'job_lost' : result.outcome;
      record.error = result.error;
      if (result.httpStatus !== undefined) record.httpStatus = result.httpStatus;
      return { ok: false };
    }
    const body = asStatusBody(result.json);
    const problem = body ? statusProblem(body, jobId) : 'a status answer that is not a JSON object';
    if (!body || problem !== undefined) {
      record.outcome = 'protocol_error';
      record.error = problem ?? 'an unreadable status answer';
      return { ok: false };
    }
    if (body.status === 'IN_PROGRESS' && record.inProgressSeenMs === undefined)
      record.inProgressSeenMs = result.receivedMs;
    if (TERMINAL_STATUSES.has(body.status as string)) return { ok: true, body, receivedMs: result.receivedMs };
    if (polling.wait === 0) {
      if (!(await ctx.sleep(Math.min(interval, Math.max(0, ctx.deadlineMs - env.clock()))))) return { ok: false };
      interval = Math.min(interval * polling.backoff, polling.maxInterval);
    }
  }
}

/**
 * Fills the record from a terminal status body with its whole output (sync and async modes).
 * An answer podbench cannot trust (another job's id, impossible server timings) makes the
 * record a protocol error that says why.
 */
export function finishFromStatus(
  record: RecordDraft,
  body: StatusBody,
  openAiFormat: boolean,
  countTokens?: CountTokens,
): void {
  const problem = statusProblem(body, record.jobId);
  takeServerFields(record, body);
  if (problem !== undefined) {
    record.outcome = 'protocol_error';
    record.error = problem;
    return;
  }
  if (body.output !== undefined) {
    const counts = countFinalOutput(body.output, countTokens);
    applyCounts(record, counts);
    const format = openAiFormat ? 'openai' : counts.format;
    if (format) record.workerFormat = format;
  }
}
