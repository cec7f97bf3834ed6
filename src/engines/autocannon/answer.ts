// One autocannon response → the rest of its record, read the way the native engine reads
// the same answer (finishFromStatus, countOpenAiResponse). Pure.
import type { Mode } from '../../core/record.js';
import { errorText } from '../native/call.js';
import { finishFromStatus } from '../native/follow-status.js';
import { asStatusBody, takeServerFields } from '../native/job-status.js';
import { TERMINAL_STATUSES, outcomeOfStatus, type RecordDraft } from '../native/request-env.js';
import { applyCounts, countOpenAiResponse } from '../native/worker-output.js';

export interface AnswerResult {
  /** A job the endpoint still runs (a /runsync whose wait ran out): it should be cancelled. */
  unfinishedJobId?: string;
}

export function readAnswer(record: RecordDraft, mode: Mode, openAiFormat: boolean, status: number, text: string, runsyncWaitMs: number): AnswerResult {
  if (mode === 'openai') record.workerFormat = 'openai';
  if (status !== 200) {
    record.outcome = 'http_error';
    record.httpStatus = status;
    record.error = `HTTP ${status}: ${errorText(text)}`;
    return {};
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    record.outcome = 'protocol_error';
    record.error = `the answer is not JSON: ${errorText(text, 120)}`;
    return {};
  }
  const body = asStatusBody(json);
  if (mode === 'openai') {
    const counts = countOpenAiResponse(json);
    applyCounts(record, counts);
    if (counts.streamError !== undefined) {
      record.outcome = 'job_failed';
      record.error = counts.streamError;
    }
    if (body && typeof body.workerId === 'string') takeServerFields(record, { workerId: body.workerId });
    return {};
  }
  if (!body || typeof body.id !== 'string' || typeof body.status !== 'string') {
    record.outcome = 'protocol_error';
    record.error = `the submission answer has no job id and status: ${errorText(text, 120)}`;
    return {};
  }
  record.jobId = body.id;
  if (!TERMINAL_STATUSES.has(body.status)) {
    // autocannon cannot poll: the job outlived /runsync's wait and podbench gives up on it.
    record.outcome = 'client_timeout';
    record.error = `the job was still ${body.status} when /runsync's wait (${runsyncWaitMs} ms) ran out; the autocannon engine does not follow jobs with /status (use --engine native)`;
    return { unfinishedJobId: body.id };
  }
  record.outcome = outcomeOfStatus(body.status);
  finishFromStatus(record, body, openAiFormat);
  // Every non-ok record says something, even when the server gave no error text.
  if (record.outcome !== 'ok' && !record.error) record.error = `the job ended ${body.status}${record.outcome === 'job_failed' ? ' (no error text)' : ''}`;
  return {};
}
