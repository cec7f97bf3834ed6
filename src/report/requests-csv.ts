// requests.csv: one row per request, columns stable and documented in the README.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { RequestRecord } from '../core/record.js';
import { cleanText } from '../util/redact.js';
import { partialPath } from '../util/atomic-write.js';
import { csvSafeText } from './csv-cell.js';
import { csvNumber } from './csv-number.js';

export const REQUEST_COLUMNS = [
  'variant',
  'seq',
  'phase',
  'mode',
  'outcome',
  'httpStatus',
  'jobId',
  'workerId',
  'workerFormat',
  'scheduledMs',
  'sentMs',
  'firstTokenMs',
  'lastTokenMs',
  'endMs',
  'sendLagMs',
  'ttftMs',
  'e2eMs',
  'tpotMs',
  'delayMs',
  'executionMs',
  'overheadMs',
  'promptTokens',
  'outputTokens',
  'tokenSource',
  'chunks',
  'polls',
  'retries',
  'ttftUncertaintyMs',
  'inProgressSeenMs',
  'cold',
  'error',
] as const;

/**
 * A `cold` cell whose verdict is not known yet when the row is written (the cold-start rule
 * needs every job first). It is written as one byte no other cell can hold (text cells are
 * stripped of control characters, numbers and booleans have none) and replaced once the
 * verdicts are in (requests-csv-worker.ts).
 */
export const COLD_PENDING = Object.freeze({ coldPending: true });
export const COLD_PENDING_BYTE = 0x01;

/** Where the rows are written before their pending cold cells are filled in. */
export function csvRowsPath(csvPath: string): string {
  return `${partialPath(csvPath)}-rows`;
}

const round = (value: number | undefined): number | undefined =>
  value === undefined ? undefined : Math.round(value * 1000) / 1000;

/**
 * The CSV row of a record, its cells in REQUEST_COLUMNS order; derived columns follow the
 * formulas in src/metrics/summarize.ts. An array, not an object by column name: the writer
 * reads every cell of a million rows, and a read by a name that changes at each cell is a
 * slow lookup in V8.
 */
export function requestRow(r: RequestRecord, cold: boolean | typeof COLD_PENDING): unknown[] {
  const sent = r.sentMs;
  const e2e = sent !== undefined ? r.endMs - sent : undefined;
  const first = r.chunks?.[0];
  const after = first && r.outputTokens !== undefined ? r.outputTokens - first[1] : 0;
  return [
    r.variant,
    r.seq,
    r.phase,
    r.mode,
    r.outcome,
    r.httpStatus,
    r.jobId,
    r.workerId,
    r.workerFormat,
    round(r.scheduledMs),
    round(sent),
    round(r.firstTokenMs),
    round(r.lastTokenMs),
    round(r.endMs),
    // sendLagMs, ttftMs, e2eMs, tpotMs
    sent !== undefined ? round(sent - r.scheduledMs) : undefined,
    sent !== undefined && r.firstTokenMs !== undefined ? round(r.firstTokenMs - sent) : undefined,
    round(e2e),
    r.firstTokenMs !== undefined && r.lastTokenMs !== undefined && after > 0
      ? round((r.lastTokenMs - r.firstTokenMs) / after)
      : undefined,
    r.delayMs,
    r.executionMs,
    // overheadMs
    e2e !== undefined && r.delayMs !== undefined && r.executionMs !== undefined
      ? round(e2e - r.delayMs - r.executionMs)
      : undefined,
    r.promptTokens,
    r.outputTokens,
    r.tokenSource,
    r.chunks?.length ?? 0,
    r.polls,
    r.retries,
    round(r.ttftUncertaintyMs),
    round(r.inProgressSeenMs),
    r.delayMs !== undefined ? cold : undefined,
    r.error,
  ];
}

export interface CsvWriter {
  /** Adds a row (its cells in column order) without an await; true when enough rows wait for the file that flush() should be awaited now. */
  add(row: readonly unknown[]): boolean;
  /** Hands the added rows to the file; waits while the file falls behind. */
  flush(): Promise<void>;
  write(row: readonly unknown[]): Promise<void>;
  close(): Promise<void>;
}

/** A text cell as csv-stringify writes it: quoted when it holds a comma, a quote or a line break, quotes doubled. */
function quoteCell(text: string): string {
  if (text.includes('"')) return `"${text.replaceAll('"', '""')}"`;
  return text.includes(',') || text.includes('\n') || text.includes('\r') ? `"${text}"` : text;
}

/**
 * One cell: text cleaned (secrets, control characters) and escaped against formula
 * injection, numbers as JavaScript prints them, booleans as true/false, nothing for none.
 */
function cell(value: unknown, texts?: Map<string, string>): string {
  switch (typeof value) {
    case 'number':
      return csvNumber(value);
    case 'string': {
      const known = texts?.get(value);
      if (known !== undefined) return known;
      const text = quoteCell(csvSafeText(cleanText(value)));
      if (texts && texts.size < MAX_KNOWN_TEXTS) texts.set(value, text);
      return text;
    }
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return '';
    default:
      if (value === null) return '';
      if (value === COLD_PENDING) return String.fromCharCode(COLD_PENDING_BYTE);
      return quoteCell(JSON.stringify(value));
  }
}

/**
 * Text cells seen before are not cleaned again: most are a few names repeated on every row
 * (variant, phase, outcome, worker), and the cleaning (three regular expressions) was a
 * large share of a row's time (the secrets to redact do not change while a file is written).
 * Bounded, since ids are new on every row.
 */
const MAX_KNOWN_TEXTS = 4096;

/** Rows are handed to the file in batches of about this many characters. */
const BATCH_CHARS = 1 << 16;

/**
 * Writes rows to a file, a batch at a time, synchronously: the writer runs on its own
 * thread (requests-csv-worker.ts), where a blocking write costs nothing else, and a write
 * stream's queue kept every batch (as a Buffer) alive across collections, about a tenth of
 * the thread's time on a million rows. Memory stays flat: a batch is written before the
 * next is built. Each row is formatted here, cell by cell in column order, byte for byte as
 * csv-stringify wrote it before (header line, quoting, "\n" after every row): the library's
 * per-cell casting and option handling were most of a million-row file's time. The file is
 * written under a temporary name and renamed when complete; on a failure (a full disk) the
 * partial file is removed and the error thrown.
 */
export function openCsv(path: string, columns: readonly string[]): CsvWriter {
  const partial = partialPath(path);
  const fd = openSync(partial, 'w');
  let closed = false;
  const fail = (err: unknown): never => {
    if (!closed) closeSync(fd);
    closed = true;
    rmSync(partial, { force: true });
    throw err;
  };
  let batch = `${columns.map((column) => cell(column)).join(',')}\n`;
  const flush = () => {
    const text = batch;
    batch = '';
    try {
      // From the string itself (no Buffer per batch: 64 kB of external memory each, which
      // the collector counts); the rare short write finishes from a Buffer.
      const written = writeSync(fd, text);
      const bytes = written < text.length || written < Buffer.byteLength(text) ? Buffer.from(text) : undefined;
      for (let at = written; bytes && at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    } catch (err) {
      fail(err);
    }
  };
  const texts = new Map<string, string>();
  const add = (row: readonly unknown[]) => {
    let line = cell(row[0], texts);
    for (let i = 1; i < columns.length; i++) line += `,${cell(row[i], texts)}`;
    batch += `${line}\n`;
    // Kept short: a long string of rows would outlive the young generation (a full collection each).
    return batch.length >= BATCH_CHARS;
  };
  const flushFull = async () => {
    if (batch.length >= BATCH_CHARS) flush();
  };
  return {
    add,
    flush: flushFull,
    async write(row) {
      add(row);
      await flushFull();
    },
    async close() {
      if (batch !== '') flush();
      try {
        closeSync(fd);
        closed = true;
        renameSync(partial, path);
      } catch (err) {
        fail(err);
      }
    },
  };
}
