// requests.csv: one row per request, columns stable and documented in the README.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { RequestRecord } from '../core/record.js';
import { cleanText } from '../util/redact.js';
import { partialPath } from '../util/atomic-write.js';
import { csvSafeText } from './csv-cell.js';
import { writeCsvNumber } from './csv-number.js';

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

/** A text cell's final text: cleaned (secrets, control characters), escaped against formula injection, quoted. */
function textCell(value: string): string {
  return quoteCell(csvSafeText(cleanText(value)));
}

/**
 * Text cells seen before are not cleaned again: most are a few names repeated on every row
 * (variant, phase, outcome, worker), and the cleaning (three regular expressions) was a
 * large share of a row's time (the secrets to redact do not change while a file is written).
 * Kept as the bytes they are written as. Bounded, since ids are new on every row.
 */
const MAX_KNOWN_TEXTS = 4096;

/** The rows' bytes are handed to the file when this many are waiting. */
const BATCH_BYTES = 1 << 16;
/** Room left at the start of a row for its numbers and short cells (a number takes at most 25 bytes). */
const ROW_ROOM = 4096;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');

/** Short cells (a few names repeated on every row) are copied byte by byte: Buffer's copy costs more in checking its arguments. */
const SHORT_CELL = 32;

/** Texts up to this long are tried as ASCII, written a character a byte. */
const SHORT_TEXT = 256;

/** `bytes` written into `out` from `at` (which has room); returns the index after them. */
function copyBytes(bytes: Buffer, out: Buffer, at: number): number {
  const n = bytes.length;
  if (n > SHORT_CELL) return at + bytes.copy(out, at);
  for (let i = 0; i < n; i++) out[at + i] = bytes[i] as number;
  return at + n;
}

/**
 * Writes rows to a file, a batch at a time, synchronously: the writer runs on its own
 * thread (requests-csv-worker.ts), where a blocking write costs nothing else. Each row is
 * formatted here, cell by cell in column order, byte for byte as csv-stringify wrote it
 * before (header line, quoting, "\n" after every row): one cell is text cleaned and escaped
 * against formula injection, numbers as JavaScript prints them, booleans as true/false,
 * nothing for none. The cells go straight into one reused buffer, numbers as digits: a
 * string per cell and per row was most of a million-row file's allocation, and so of its
 * collections (about a third of the writer's time). The file is written under a temporary
 * name and renamed when complete; on a failure (a full disk) the partial file is removed
 * and the error thrown.
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
  let out = Buffer.allocUnsafe(BATCH_BYTES + ROW_ROOM);
  let at = 0;
  const flush = () => {
    try {
      for (let written = 0; written < at; ) written += writeSync(fd, out, written, at - written);
    } catch (err) {
      fail(err);
    }
    at = 0;
  };
  /** Makes room for `bytes` more (a text longer than the buffer gets a buffer of its own size). */
  const room = (bytes: number) => {
    if (at + bytes <= out.length) return;
    flush();
    if (bytes > out.length) out = Buffer.allocUnsafe(bytes);
  };
  const texts = new Map<string, Buffer>();
  const writeText = (text: string) => {
    // A short ASCII text (a job's id: one a row, never the same) by hand: Buffer's byteLength
    // and write cost more in their checks than copying fifty characters.
    const n = text.length;
    if (n <= SHORT_TEXT) {
      room(n);
      let i = 0;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c > 0x7f) break;
        out[at + i] = c;
      }
      if (i === n) {
        at += n;
        return;
      }
    }
    const bytes = Buffer.byteLength(text);
    room(bytes);
    at += out.write(text, at, bytes, 'utf8');
  };
  const writeCell = (value: unknown) => {
    switch (typeof value) {
      case 'number':
        at = writeCsvNumber(out, at, value);
        return;
      case 'string': {
        let bytes = texts.get(value);
        if (bytes === undefined) {
          const text = textCell(value);
          if (texts.size >= MAX_KNOWN_TEXTS) return writeText(text);
          bytes = Buffer.from(text);
          texts.set(value, bytes);
        }
        room(bytes.length);
        at = copyBytes(bytes, out, at);
        return;
      }
      case 'boolean':
        at = copyBytes(value ? TRUE : FALSE, out, at);
        return;
      case 'undefined':
        return;
      default:
        if (value === null) return;
        if (value === COLD_PENDING) out[at++] = COLD_PENDING_BYTE;
        else writeText(quoteCell(JSON.stringify(value)));
    }
  };
  const add = (row: readonly unknown[]) => {
    room(ROW_ROOM);
    writeCell(row[0]);
    for (let i = 1; i < columns.length; i++) {
      // A text cell may have filled the buffer: a number still needs its room.
      if (at + 32 > out.length) room(ROW_ROOM);
      out[at++] = COMMA;
      writeCell(row[i]);
    }
    room(1);
    out[at++] = NEWLINE;
    return at >= BATCH_BYTES;
  };
  add(columns);
  const flushFull = async () => {
    if (at >= BATCH_BYTES) flush();
  };
  return {
    add,
    flush: flushFull,
    async write(row) {
      add(row);
      await flushFull();
    },
    async close() {
      if (at > 0) flush();
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
