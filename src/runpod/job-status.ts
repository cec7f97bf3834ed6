// Reading a job status body (/run, /runsync, /status, /status-sync, /stream answers), and
// what a job's terminal status means for its record.
import type { Outcome, RecordDraft } from '../core/record.js';
import { errorText } from './call.js';

export interface StatusBody {
  id?: string;
  status?: string;
  delayTime?: number;
  executionTime?: number;
  workerId?: string;
  output?: unknown;
  error?: unknown;
  stream?: unknown;
}

export const TERMINAL_STATUSES = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

/** The record outcome a terminal job status means. */
export function outcomeOfStatus(status: string): Outcome {
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

const DEFAULT_ERRORS: Partial<Record<Outcome, string>> = {
  job_failed: 'the job ended FAILED (no error text)',
  job_cancelled: 'the job ended CANCELLED',
  job_timed_out: 'the job ended TIMED_OUT',
};

/** What a non-ok record says when the server gave no error text: every non-ok record says something. */
export function fallbackError(outcome: Outcome): string {
  return DEFAULT_ERRORS[outcome] ?? outcome;
}

export function asStatusBody(json: unknown): StatusBody | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  return json as StatusBody;
}

export type Submitted = StatusBody & { id: string; status: string };

/** A /run or /runsync answer (JSON, and its text for the error): the job it created, or why it names none. */
export function readSubmission(
  json: unknown,
  text: string,
): { ok: true; body: Submitted } | { ok: false; error: string } {
  const body = asStatusBody(json);
  if (!body || typeof body.id !== 'string' || typeof body.status !== 'string') {
    return { ok: false, error: `the submission answer has no job id and status: ${errorText(text, 120)}` };
  }
  return { ok: true, body: body as Submitted };
}

/** Copies what the server reported about the job into the record. */
export function takeServerFields(record: RecordDraft, body: StatusBody): void {
  if (typeof body.id === 'string') record.jobId = body.id;
  if (typeof body.delayTime === 'number') record.delayMs = body.delayTime;
  if (typeof body.executionTime === 'number') record.executionMs = body.executionTime;
  if (typeof body.workerId === 'string') record.workerId = body.workerId;
  if (body.error !== undefined && body.error !== null) {
    record.error = errorText(typeof body.error === 'string' ? body.error : JSON.stringify(body.error));
  }
}
