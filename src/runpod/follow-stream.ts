// Stream mode: polls /stream (optionally long-polling with ?wait) and reassembles partials
// in both worker formats, then reads the job's server times with one /status call. How
// tokens and their times are read from the polls (and TTFT's uncertainty): stream-polls.ts.
import type { RecordDraft } from '../core/record.js';
import { callJson, valueText, type CallContext } from './call.js';
import { TERMINAL_STATUSES, asStatusBody, outcomeOfStatus, statusProblem } from './job-status.js';
import type { FollowEnv } from './follow-env.js';
import { finishStreamed, readStreamPoll, takeFinalStatus, trackStreamPolls } from './stream-polls.js';
import { createStreamReader } from './worker-output.js';
import { followWholeStream } from './targets/whole-stream.js';

export async function followStream(
  env: FollowEnv,
  ctx: CallContext,
  jobId: string,
  record: RecordDraft,
  openAiFormat: boolean,
): Promise<boolean> {
  if (env.calls.runsOnFollow) return followWholeStream(env, ctx, jobId, record, openAiFormat);
  const { polling, timeouts } = env.scenario;
  const id = encodeURIComponent(jobId);
  const { url } = env.calls.stream(jobId, polling.wait);
  const reader = createStreamReader(env.scenario.limits, env.countTokens);
  const polls = trackStreamPolls(record, record.sentMs as number);
  let interval = polling.interval;
  let status: string | undefined;

  for (;;) {
    const pollSentMs = env.clock();
    const result = await callJson(ctx, 'GET', url, undefined, timeouts.http + polling.wait);
    ctx.tally.polls += 1;
    const atMs = result.ok ? result.receivedMs : env.clock();
    if (!result.ok) {
      record.outcome = result.httpStatus === 404 ? 'job_lost' : result.outcome;
      record.error = result.error;
      if (result.httpStatus !== undefined) record.httpStatus = result.httpStatus;
      return false;
    }
    const body = asStatusBody(result.json);
    const problem = body ? statusProblem(body, jobId) : 'a /stream answer that is not a JSON object';
    if (!body || problem !== undefined) {
      record.outcome = 'protocol_error';
      record.error = problem ?? 'an unreadable /stream answer';
      return false;
    }
    if (body.stream !== undefined && body.stream !== null && !Array.isArray(body.stream)) {
      // Not the list Runpod sends: reading on would count a stream without a token as ok.
      record.outcome = 'protocol_error';
      record.error = `a /stream answer whose stream is not a list: ${valueText(body.stream, 80)}`;
      return false;
    }
    status = body.status as string;
    const tokens = readStreamPoll(reader, body.stream, status);
    const unreadable = reader.protocolError;
    if (unreadable !== undefined) {
      // An event-stream slice past its cap: the job is given up (and cancelled).
      record.outcome = 'protocol_error';
      record.error = unreadable;
      return false;
    }
    polls.polled(pollSentMs, atMs, tokens);
    if (tokens > 0) interval = polling.interval;
    if (status === 'IN_PROGRESS' && record.inProgressSeenMs === undefined) record.inProgressSeenMs = atMs;
    if (TERMINAL_STATUSES.has(status)) {
      record.endMs = atMs;
      break;
    }
    if (polling.wait === 0) {
      if (!(await ctx.sleep(Math.min(interval, Math.max(0, ctx.deadlineMs - env.clock()))))) return false;
      if (tokens === 0) interval = Math.min(interval * polling.backoff, polling.maxInterval);
    }
  }
  record.outcome = outcomeOfStatus(status);
  finishStreamed(record, reader, openAiFormat);

  // /stream answers carry no delayTime or executionTime: one /status call reads them.
  const final = await callJson(ctx, 'GET', `${env.endpointUrl}/status/${id}`, undefined, timeouts.http);
  ctx.tally.polls += 1;
  if (final.ok) {
    const finalBody = asStatusBody(final.json);
    if (finalBody) takeFinalStatus(record, finalBody);
  }
  return true;
}
