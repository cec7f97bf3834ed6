// One request, start to end, in any mode; always returns a record (errors are data).
import type { RecordDraft, RequestRecord } from '../../core/record.js';
import { isOpenAiMode } from '../../scenario/payload.js';
import {
  backoffMs,
  callJson,
  httpErrorText,
  isRetryableStatus,
  notRetriedText,
  type CallContext,
  type Tally,
} from '../../runpod/call.js';
import { finishFromStatus, followStatus } from '../../runpod/follow-status.js';
import { followStream } from '../../runpod/follow-stream.js';
import { TERMINAL_STATUSES, fallbackError, outcomeOfStatus, readSubmission } from '../../runpod/job-status.js';
import { takeOpenAiAnswer } from '../../runpod/openai-answer.js';
import { applyCounts, createStreamReader } from '../../runpod/worker-output.js';
import type { PlannedRequest, RequestEnv } from './request-env.js';
import type { JobTracker } from '../../runpod/job-tracker.js';
import { STOPPED_TEXT } from '../../core/errors.js';
import { runsyncWaitMs } from '../../scenario/job-policy.js';

export async function executeRequest(env: RequestEnv, planned: PlannedRequest): Promise<RequestRecord> {
  const { scenario } = env;
  const tally: Tally = { polls: 0, retries: 0 };
  const sentMs = env.clock();
  const ctx: CallContext = {
    http: env.http,
    policy: {
      maxRetries: scenario.retry.maxRetries,
      baseDelayMs: scenario.retry.baseDelay,
      maxDelayMs: scenario.retry.maxDelay,
    },
    rng: env.rng,
    tally,
    clock: env.clock,
    deadlineMs: sentMs + scenario.timeouts.request,
    sleep: env.sleep,
  };
  const record: RecordDraft = {
    seq: planned.seq,
    variant: planned.variant,
    phase: planned.phase,
    mode: scenario.mode,
    outcome: 'ok',
    scheduledMs: planned.scheduledMs,
    // The tokenizer's count of the prompt, until (unless) the server's usage says otherwise.
    ...(planned.promptTokens !== undefined ? { promptTokens: planned.promptTokens } : {}),
    tokenSource: planned.promptTokens !== undefined ? 'tokenizer' : 'none',
    polls: 0,
    retries: 0,
  };
  let jobId: string | undefined;
  let settled = false;
  // sentMs is when the request starts going onto its socket: a request that waited for a
  // socket, or behind a burst of other writes, was late to send (send lag), not slow to answer.
  ctx.onFirstWrite = (atMs) => {
    record.sentMs = Math.max(sentMs, atMs);
    ctx.onFirstWrite = undefined;
  };
  try {
    record.sentMs = sentMs;
    const { bodyText } = planned;
    const url = env.calls.submitUrl(planned.path);
    const openAiFormat = scenario.input.format === 'openai_chat' || scenario.input.format === 'openai_completions';
    if (isOpenAiMode(scenario.mode)) {
      if (scenario.mode === 'openai-stream') await streamOpenAi(env, ctx, url, bodyText, record);
      else await callOpenAi(env, ctx, url, bodyText, record);
      settled = true;
    } else {
      const waitMs = scenario.mode === 'sync' ? runsyncWaitMs(scenario) : 0;
      const submitted = await callJson(ctx, 'POST', url, bodyText, scenario.timeouts.http + waitMs);
      const answeredMs = submitted.ok ? submitted.receivedMs : env.clock();
      if (!submitted.ok) {
        record.outcome = submitted.outcome;
        record.error = submitted.error;
        if (submitted.httpStatus !== undefined) record.httpStatus = submitted.httpStatus;
        settled = true;
      } else {
        const answer = readSubmission(submitted.json, submitted.text);
        if (!answer.ok) {
          record.outcome = 'protocol_error';
          record.error = answer.error;
          // A job exists but its answer cannot be followed: given up, so cancelled below.
          if (answer.jobId !== undefined) {
            jobId = answer.jobId;
            record.jobId = jobId;
            env.jobs.submitted(jobId);
          } else settled = true;
        } else {
          const body = answer.body;
          jobId = body.id;
          record.jobId = jobId;
          env.jobs.submitted(jobId);
          if (scenario.mode === 'stream') {
            settled = await followStream(env, ctx, jobId, record, openAiFormat);
          } else if (TERMINAL_STATUSES.has(body.status)) {
            // /runsync finished within its wait.
            record.endMs = answeredMs;
            record.outcome = outcomeOfStatus(body.status);
            finishFromStatus(record, body, openAiFormat, env.countTokens);
            settled = true;
          } else {
            // The local test server says IN_PROGRESS of a job it only stored.
            if (body.status === 'IN_PROGRESS' && !env.calls.runsOnFollow) record.inProgressSeenMs = answeredMs;
            const followed = await followStatus(env, ctx, jobId, record);
            if (followed.ok) {
              record.endMs = followed.receivedMs;
              record.outcome = outcomeOfStatus(followed.body.status ?? '');
              finishFromStatus(record, followed.body, openAiFormat, env.countTokens);
              settled = true;
            }
          }
        }
      }
    }
  } catch (err) {
    // A bug in podbench, not an endpoint problem: keep the record, say what happened.
    record.outcome = 'protocol_error';
    record.error = `podbench error: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (!settled && env.interrupted()) {
    record.outcome = 'aborted';
    record.error = STOPPED_TEXT;
  } else if (record.outcome === 'client_timeout') {
    record.error = `no result within timeouts.request (${scenario.timeouts.request} ms)`;
  }
  if (jobId !== undefined) {
    if (settled) env.jobs.settled(jobId);
    else env.jobs.abandon(jobId);
  }
  correctInterruptCancel(record, env.jobs);
  // Every non-ok record says something, even when the server gave no error text.
  if (record.outcome !== 'ok' && !record.error) record.error = fallbackError(record.outcome);
  record.endMs ??= env.clock();
  record.polls = tally.polls;
  record.retries = tally.retries;
  return record as RequestRecord;
}

/** A job podbench cancelled because the run was interrupted did not fail on the endpoint: its record says aborted. */
export function correctInterruptCancel(record: RecordDraft, jobs: JobTracker): void {
  if (record.jobId !== undefined && record.outcome === 'job_cancelled' && jobs.cancelledOnInterrupt(record.jobId)) {
    record.outcome = 'aborted';
    record.error = 'cancelled by podbench: the run was interrupted';
  }
}

async function callOpenAi(
  env: RequestEnv,
  ctx: CallContext,
  url: string,
  body: unknown,
  record: RecordDraft,
): Promise<void> {
  const result = await callJson(ctx, 'POST', url, body, env.scenario.timeouts.http);
  record.endMs = result.ok ? result.receivedMs : env.clock();
  record.workerFormat = 'openai';
  if (!result.ok) {
    record.outcome = result.outcome;
    record.error = result.error;
    if (result.httpStatus !== undefined) record.httpStatus = result.httpStatus;
    return;
  }
  takeOpenAiAnswer(record, result.json, env.countTokens);
}

/** openai-stream: SSE read as it arrives; every network read with content is a chunk. Retries only before the first byte. */
async function streamOpenAi(
  env: RequestEnv,
  ctx: CallContext,
  url: string,
  body: unknown,
  record: RecordDraft,
): Promise<void> {
  record.workerFormat = 'openai';
  const chunks: Array<[number, number]> = [];
  record.chunks = chunks;
  for (let attempt = 0; ; attempt++) {
    const reader = createStreamReader(env.scenario.limits, env.countTokens);
    let received = false;
    const remaining = ctx.deadlineMs - env.clock();
    let pastDeadline = false;
    // Pieces are stamped as they arrive and parsed a moment later (see createLater in
    // src/runpod/http-client.ts): under a burst, parsing must not delay the next socket's timestamp.
    const pending: Array<[string, number]> = [];
    // Run from setImmediate, where a throw would end the whole process: whatever a server
    // sends that the reader cannot take ends this request, as a protocol error.
    let unreadable: string | undefined;
    const parsePending = () => {
      try {
        for (const [text, atMs] of pending) {
          if (unreadable !== undefined) break;
          const tokens = reader.push(text);
          if (tokens > 0) {
            chunks.push([atMs, tokens]);
            record.firstTokenMs ??= atMs;
            record.lastTokenMs = atMs;
          }
        }
      } catch (err) {
        unreadable ??= `podbench could not read the stream: ${err instanceof Error ? err.message : String(err)}`;
      }
      pending.length = 0;
    };
    const result = await env.http.stream(
      url,
      body,
      // No new bytes for timeouts.http is a timeout; the whole stream ends by the request's deadline.
      {
        timeoutMs: Math.max(1, Math.min(env.scenario.timeouts.http, remaining)),
        totalMs: Math.max(1, remaining),
        ...(ctx.onFirstWrite ? { onWrite: ctx.onFirstWrite } : {}),
      },
      (text, atMs) => {
        received = true;
        if (atMs > ctx.deadlineMs) {
          pastDeadline = true;
          return false;
        }
        // A line or event past its cap: stop reading (the record says why below).
        if (reader.protocolError !== undefined || unreadable !== undefined) return false;
        if (pending.length === 0) setImmediate(parsePending);
        pending.push([text, atMs]);
        return true;
      },
    );
    parsePending();
    const endMs = result.kind === 'response' ? result.receivedMs : env.clock();
    const tail = reader.end();
    if (tail > 0) {
      chunks.push([endMs, tail]);
      record.firstTokenMs ??= endMs;
      record.lastTokenMs = endMs;
    }
    const retryable =
      !received &&
      ((result.kind === 'response' && isRetryableStatus(result.status)) ||
        result.kind === 'network_error' ||
        result.kind === 'timeout');
    let notRetried = '';
    if (retryable && attempt < ctx.policy.maxRetries) {
      const retryAfterMs = result.kind === 'response' ? result.retryAfterMs : undefined;
      const wait = retryAfterMs ?? backoffMs(ctx.policy, attempt, ctx.rng.next());
      const left = ctx.deadlineMs - env.clock();
      if (wait < left) {
        ctx.tally.retries += 1;
        if (await ctx.sleep(wait)) continue;
      } else notRetried = ` ${notRetriedText(retryAfterMs, wait, left)}`;
    }
    record.endMs = endMs;
    if (unreadable !== undefined) {
      record.outcome = 'protocol_error';
      record.error = unreadable;
      return;
    }
    const counts = reader.result();
    applyCounts(record, counts);
    if (counts.protocolError !== undefined) {
      record.outcome = 'protocol_error';
      record.error = counts.protocolError;
      return;
    }
    switch (result.kind) {
      case 'response':
        if (result.status !== 200) {
          record.outcome = 'http_error';
          record.httpStatus = result.status;
          record.error = httpErrorText(result.status, result.text) + notRetried;
        } else if (counts.streamError !== undefined) {
          record.outcome = 'job_failed';
          record.error = counts.streamError;
        } else if (!counts.sawDone) {
          record.outcome = 'protocol_error';
          record.error = 'the event stream ended without data: [DONE]';
        } else if (!counts.sawChoices) {
          record.outcome = 'protocol_error';
          record.error = 'the event stream held no completion chunk (no choices)';
        }
        return;
      case 'network_error':
      case 'timeout':
        // The stream's whole bound is the request's remaining time: reaching it is the request's timeout.
        record.outcome = result.kind === 'timeout' && result.whole === true ? 'client_timeout' : 'network_error';
        record.error = result.message + notRetried;
        return;
      case 'too_large':
        record.outcome = 'protocol_error';
        if (result.status) record.httpStatus = result.status;
        record.error = result.message;
        return;
      case 'aborted':
        record.outcome = pastDeadline ? 'client_timeout' : 'aborted';
        return;
      default: {
        const never: never = result;
        return never;
      }
    }
  }
}
