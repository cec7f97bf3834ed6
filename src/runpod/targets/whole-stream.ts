// Stream mode against the Runpod Python SDK's local test server: POST /stream/{id} runs the
// stored job to its end and answers every partial at once. The tokens are counted as
// anywhere else; their times are not known, so the record keeps none (no TTFT, TPOT or chunk
// gaps) and says why (`streamedWhole`) instead of passing the end of the job off as a first
// token. There are no server times to read afterwards, and the job is gone.
import type { RecordDraft } from '../../core/record.js';
import { callJson, type CallContext } from '../call.js';
import type { FollowEnv } from '../follow-env.js';
import { asStatusBody, outcomeOfStatus, takeServerFields } from '../job-status.js';
import { finishStreamed, readStreamPoll } from '../stream-polls.js';
import { createStreamReader } from '../worker-output.js';

export async function followWholeStream(
  env: FollowEnv,
  ctx: CallContext,
  jobId: string,
  record: RecordDraft,
  openAiFormat: boolean,
): Promise<boolean> {
  const { method, url } = env.calls.stream(jobId, 0);
  const result = await callJson(ctx, method, url, undefined, env.scenario.timeouts.request);
  ctx.tally.polls += 1;
  if (!result.ok) {
    record.outcome = result.outcome;
    record.error = result.error;
    if (result.httpStatus !== undefined) record.httpStatus = result.httpStatus;
    return false;
  }
  const body = asStatusBody(result.json);
  if (!body || typeof body.status !== 'string') {
    record.outcome = 'protocol_error';
    record.error = 'a /stream answer without a status field';
    return false;
  }
  record.endMs = result.receivedMs;
  record.streamedWhole = true;
  const reader = createStreamReader(env.scenario.limits, env.countTokens);
  readStreamPoll(reader, body.stream, 'COMPLETED');
  record.outcome = outcomeOfStatus(body.status);
  takeServerFields(record, body);
  finishStreamed(record, reader, openAiFormat);
  return true;
}
