// Reading a record back (podbench report, the CSV writer): every line of results.ndjson is
// checked against the record's shape before anything uses it, because the file may come
// from an older podbench, a crash, a hand edit or a hostile server's text. A line without
// what every record has (its variant, outcome, times) is skipped and counted; an optional
// field that cannot be (a negative delayMs, a null chunk) is left out and counted, so a bad
// value never reaches a statistic and never stops a report. Hand-written, not a schema
// library: it runs on every line of million-line files.
import { MODES, OUTCOMES, TOKEN_SOURCES, type RequestRecord } from './record.js';

export type RecordCheck =
  | { ok: true; record: RequestRecord /** Optional fields left out, by name. */; dropped: string[] }
  | { ok: false; reason: string };

const OUTCOME_SET = new Set<string>(OUTCOMES);
const MODE_SET = new Set<string>(MODES);
const TOKEN_SOURCE_SET = new Set<string>(TOKEN_SOURCES);
const WORKER_FORMATS = new Set(['legacy', 'proxy', 'openai']);

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const count = (v: unknown): v is number => finite(v) && v >= 0;

/** [atMs, tokens] pairs: a finite time and a count each. */
function validChunks(chunks: unknown): boolean {
  if (!Array.isArray(chunks)) return false;
  for (let i = 0; i < chunks.length; i++) {
    const c: unknown = chunks[i];
    if (!Array.isArray(c) || c.length !== 2 || !finite(c[0]) || !count(c[1])) return false;
  }
  return true;
}

export function checkRecord(value: unknown): RecordCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, reason: 'not a JSON object' };
  const r = value as Record<string, unknown>;
  if (!finite(r.seq)) return { ok: false, reason: 'no seq number' };
  if (typeof r.variant !== 'string') return { ok: false, reason: 'no variant name' };
  if (r.phase !== 'warmup' && r.phase !== 'measure') return { ok: false, reason: 'no phase (warmup or measure)' };
  if (typeof r.mode !== 'string' || !MODE_SET.has(r.mode)) return { ok: false, reason: 'no known mode' };
  if (typeof r.outcome !== 'string' || !OUTCOME_SET.has(r.outcome)) return { ok: false, reason: 'no known outcome' };
  if (!finite(r.scheduledMs)) return { ok: false, reason: 'scheduledMs is not a number' };
  if (!finite(r.endMs)) return { ok: false, reason: 'endMs is not a number' };
  const dropped: string[] = [];
  const drop = (field: string) => {
    delete r[field];
    dropped.push(field);
  };
  // Field by field, not by looping over lists of names: a name read from a list is a lookup
  // by a key that changes at every step (slow in V8), and this runs on every line.
  if (r.sentMs !== undefined && !finite(r.sentMs)) drop('sentMs');
  if (r.firstTokenMs !== undefined && !finite(r.firstTokenMs)) drop('firstTokenMs');
  if (r.lastTokenMs !== undefined && !finite(r.lastTokenMs)) drop('lastTokenMs');
  if (r.inProgressSeenMs !== undefined && !finite(r.inProgressSeenMs)) drop('inProgressSeenMs');
  if (r.delayMs !== undefined && !count(r.delayMs)) drop('delayMs');
  if (r.executionMs !== undefined && !count(r.executionMs)) drop('executionMs');
  if (r.promptTokens !== undefined && !count(r.promptTokens)) drop('promptTokens');
  if (r.outputTokens !== undefined && !count(r.outputTokens)) drop('outputTokens');
  if (r.ttftUncertaintyMs !== undefined && !count(r.ttftUncertaintyMs)) drop('ttftUncertaintyMs');
  if (r.httpStatus !== undefined && !count(r.httpStatus)) drop('httpStatus');
  if (r.error !== undefined && typeof r.error !== 'string') drop('error');
  if (r.jobId !== undefined && typeof r.jobId !== 'string') drop('jobId');
  if (r.responseId !== undefined && typeof r.responseId !== 'string') drop('responseId');
  if (r.workerId !== undefined && typeof r.workerId !== 'string') drop('workerId');
  if (r.workerFormat !== undefined && !WORKER_FORMATS.has(r.workerFormat as string)) drop('workerFormat');
  // Only `true` means a stream came whole; anything else would hide a record's token times for no reason.
  if (r.streamedWhole !== undefined && r.streamedWhole !== true) drop('streamedWhole');
  // Older or foreign records may lack the bookkeeping fields: the defaults every engine writes.
  if (!TOKEN_SOURCE_SET.has(r.tokenSource as string)) r.tokenSource = 'none';
  if (!count(r.polls)) r.polls = 0;
  if (!count(r.retries)) r.retries = 0;
  if (r.chunks !== undefined && !validChunks(r.chunks)) drop('chunks');
  return { ok: true, record: r as unknown as RequestRecord, dropped };
}

/** checkRecord as a line check of src/util/read-ndjson.ts: every line of a results.ndjson read back goes through it. */
export function recordLine(
  value: object,
): { ok: true; value: RequestRecord; dropped: string[] } | { ok: false; reason: string } {
  const checked = checkRecord(value);
  return checked.ok ? { ok: true, value: checked.record, dropped: checked.dropped } : checked;
}
