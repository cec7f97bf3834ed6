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

/** Times on the run clock: finite (the clock starts at 0, but k6 merges may place an event a little before). */
const TIME_FIELDS = ['sentMs', 'firstTokenMs', 'lastTokenMs', 'inProgressSeenMs'] as const;
/** What the server reported, and counts: finite and never negative. */
const AMOUNT_FIELDS = [
  'delayMs',
  'executionMs',
  'promptTokens',
  'outputTokens',
  'ttftUncertaintyMs',
  'httpStatus',
] as const;
const TEXT_FIELDS = ['error', 'jobId', 'responseId', 'workerId'] as const;

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
  for (const field of TIME_FIELDS) if (r[field] !== undefined && !finite(r[field])) drop(field);
  for (const field of AMOUNT_FIELDS) if (r[field] !== undefined && !count(r[field])) drop(field);
  for (const field of TEXT_FIELDS) if (r[field] !== undefined && typeof r[field] !== 'string') drop(field);
  if (r.workerFormat !== undefined && !WORKER_FORMATS.has(r.workerFormat as string)) drop('workerFormat');
  // Only `true` means a stream came whole; anything else would hide a record's token times for no reason.
  if (r.streamedWhole !== undefined && r.streamedWhole !== true) drop('streamedWhole');
  // Older or foreign records may lack the bookkeeping fields: the defaults every engine writes.
  if (!TOKEN_SOURCE_SET.has(r.tokenSource as string)) r.tokenSource = 'none';
  if (!count(r.polls)) r.polls = 0;
  if (!count(r.retries)) r.retries = 0;
  if (r.chunks !== undefined) {
    const chunks = r.chunks;
    const valid =
      Array.isArray(chunks) && chunks.every((c) => Array.isArray(c) && c.length === 2 && finite(c[0]) && count(c[1]));
    if (!valid) drop('chunks');
  }
  return { ok: true, record: r as unknown as RequestRecord, dropped };
}
