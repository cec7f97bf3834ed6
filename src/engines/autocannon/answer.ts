// One autocannon response → the rest of its record, read by the same Runpod client code as
// the native engine's answers (src/runpod). Pure.
import type { Mode, RecordDraft } from '../../core/record.js';
import { formatBytes } from '../../util/size.js';
import { httpErrorText, notJsonText } from '../../runpod/call.js';
import { finishFromStatus } from '../../runpod/follow-status.js';
import { TERMINAL_STATUSES, fallbackError, outcomeOfStatus, readSubmission } from '../../runpod/job-status.js';
import { takeOpenAiAnswer } from '../../runpod/openai-answer.js';
import type { CountTokens } from '../../runpod/worker-output.js';

export interface AnswerResult {
  /** A job the endpoint still runs (a /runsync whose wait ran out): it should be cancelled. */
  unfinishedJobId?: string;
}

export function readAnswer(
  record: RecordDraft,
  mode: Mode,
  openAiFormat: boolean,
  status: number,
  text: string,
  runsyncWaitMs: number,
  maxBodyBytes = Number.POSITIVE_INFINITY,
  countTokens?: CountTokens,
): AnswerResult {
  if (mode === 'openai') record.workerFormat = 'openai';
  // autocannon has read it whole already; past the cap it is not parsed, as the other engines do.
  if (text.length > maxBodyBytes) {
    record.outcome = 'protocol_error';
    if (status !== 200) record.httpStatus = status;
    record.error = `the answer (HTTP ${status}) passed ${formatBytes(maxBodyBytes)} (limits.maxBodyBytes)`;
    return {};
  }
  if (status !== 200) {
    record.outcome = 'http_error';
    record.httpStatus = status;
    record.error = httpErrorText(status, text);
    return {};
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    record.outcome = 'protocol_error';
    record.error = notJsonText(text);
    return {};
  }
  if (mode === 'openai') {
    takeOpenAiAnswer(record, json, countTokens);
    return {};
  }
  const answer = readSubmission(json, text);
  if (!answer.ok) {
    record.outcome = 'protocol_error';
    record.error = answer.error;
    if (answer.jobId !== undefined) {
      record.jobId = answer.jobId;
      return { unfinishedJobId: answer.jobId };
    }
    return {};
  }
  const body = answer.body;
  record.jobId = body.id;
  if (!TERMINAL_STATUSES.has(body.status)) {
    // autocannon cannot poll: the job outlived /runsync's wait and podbench gives up on it.
    record.outcome = 'client_timeout';
    record.error = `the job was still ${body.status} when /runsync's wait (${runsyncWaitMs} ms) ran out; the autocannon engine does not follow jobs with /status (use --engine native)`;
    return { unfinishedJobId: body.id };
  }
  record.outcome = outcomeOfStatus(body.status);
  finishFromStatus(record, body, openAiFormat, countTokens);
  // Every non-ok record says something, even when the server gave no error text.
  if (record.outcome !== 'ok' && !record.error) record.error = fallbackError(record.outcome);
  return {};
}
