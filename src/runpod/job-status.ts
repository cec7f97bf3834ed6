// Reading a job status body (/run, /runsync, /status, /status-sync, /stream answers), and
// what a job's terminal status means for its record.
import type { Outcome, RecordDraft } from '../core/record.js';
import { errorText, valueText } from './call.js';

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
/** Every status Runpod documents (job-states.mdx); anything else is not an answer podbench can follow. */
export const JOB_STATUSES = new Set(['IN_QUEUE', 'IN_PROGRESS', ...TERMINAL_STATUSES]);

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
): { ok: true; body: Submitted } | { ok: false; error: string; jobId?: string } {
  const body = asStatusBody(json);
  if (!body || typeof body.id !== 'string' || typeof body.status !== 'string') {
    return { ok: false, error: `the submission answer has no job id and status: ${errorText(text, 120)}` };
  }
  // A job that exists but whose answer cannot be followed: its id still lets podbench cancel it.
  const problem = statusProblem(body, undefined);
  if (problem !== undefined) return { ok: false, error: problem, jobId: body.id };
  return { ok: true, body: body as Submitted };
}

/**
 * What makes a status answer about job `jobId` one podbench cannot trust, if anything: a
 * status Runpod does not have, another job's id, server timings that cannot be (negative,
 * infinite). Such an answer ends the request as a protocol error with this reason, and its
 * numbers stay out of every statistic.
 */
export function statusProblem(body: StatusBody, jobId: string | undefined): string | undefined {
  if (typeof body.status !== 'string') return 'a status answer without a status field';
  if (!JOB_STATUSES.has(body.status)) return `an unknown job status "${errorText(body.status, 40)}"`;
  if (jobId !== undefined && body.id !== undefined && body.id !== jobId)
    return `a status answer for job "${errorText(String(body.id), 80)}", not for "${jobId}"`;
  return timingProblem(body);
}

/**
 * The longest server timing taken as true: 30 days. Runpod ends a job at its policy.ttl (at
 * most days), so a longer delayTime or executionTime is a lie, and 1e308 would turn every
 * mean, overhead and CSV cell it touches into Infinity or NaN.
 */
const MAX_SERVER_MS = 30 * 24 * 3600 * 1000;

/** delayTime and executionTime, when present, are milliseconds: finite, not negative, at most 30 days. */
export function timingProblem(body: StatusBody): string | undefined {
  for (const field of ['delayTime', 'executionTime'] as const) {
    const value: unknown = body[field];
    if (value === undefined || value === null) continue;
    if (!validMs(value)) {
      const shown = typeof value === 'number' ? String(value) : valueText(value, 40);
      return `the server reported ${field} ${shown}: not a number of milliseconds (finite, at least 0, at most 30 days)`;
    }
  }
  return undefined;
}

/** Copies what the server reported about the job into the record (server timings only when valid). */
export function takeServerFields(record: RecordDraft, body: StatusBody): void {
  if (typeof body.id === 'string') record.jobId = body.id;
  if (validMs(body.delayTime)) record.delayMs = body.delayTime;
  if (validMs(body.executionTime)) record.executionMs = body.executionTime;
  if (typeof body.workerId === 'string') record.workerId = body.workerId;
  if (body.error !== undefined && body.error !== null) {
    record.error = valueText(body.error);
  }
}

function validMs(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= MAX_SERVER_MS;
}
