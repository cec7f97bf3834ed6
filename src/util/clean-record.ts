// The one way into results.ndjson: the text a server controls (error messages, job, worker
// and response ids) leaves without a registered secret, URL credentials or a terminal
// control sequence (src/util/redact.ts), whatever the engine that made the record. Every
// report is derived from these records, so they inherit it.
import type { RequestRecord } from '../core/record.js';
import { cleanText } from './redact.js';

const SERVER_TEXT = ['error', 'jobId', 'workerId', 'responseId'] as const;

export function cleanRecord(record: RequestRecord): RequestRecord {
  for (const field of SERVER_TEXT) {
    const text = record[field];
    if (text !== undefined) record[field] = cleanText(text);
  }
  return record;
}
