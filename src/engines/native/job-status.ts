// Reading a job status body (/run, /runsync, /status, /status-sync, /stream answers).
import type { RecordDraft } from './request-env.js';
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

export function asStatusBody(json: unknown): StatusBody | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  return json as StatusBody;
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
