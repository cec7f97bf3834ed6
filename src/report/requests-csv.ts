// requests.csv: one row per request, columns stable and documented in the README.
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify';
import type { RequestRecord } from '../core/record.js';
import { cleanText } from '../util/redact.js';
import { partialPath } from '../util/atomic-write.js';
import { csvSafeText } from './csv-cell.js';

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

const round = (value: number | undefined): number | undefined =>
  value === undefined ? undefined : Math.round(value * 1000) / 1000;

/** The CSV row of a record; derived columns follow the formulas in src/metrics/summarize.ts. */
export function requestRow(r: RequestRecord, cold: boolean): Record<(typeof REQUEST_COLUMNS)[number], unknown> {
  const sent = r.sentMs;
  const e2e = sent !== undefined ? r.endMs - sent : undefined;
  const first = r.chunks?.[0];
  const after = first && r.outputTokens !== undefined ? r.outputTokens - first[1] : 0;
  return {
    variant: r.variant,
    seq: r.seq,
    phase: r.phase,
    mode: r.mode,
    outcome: r.outcome,
    httpStatus: r.httpStatus,
    jobId: r.jobId,
    workerId: r.workerId,
    workerFormat: r.workerFormat,
    scheduledMs: round(r.scheduledMs),
    sentMs: round(sent),
    firstTokenMs: round(r.firstTokenMs),
    lastTokenMs: round(r.lastTokenMs),
    endMs: round(r.endMs),
    sendLagMs: sent !== undefined ? round(sent - r.scheduledMs) : undefined,
    ttftMs: sent !== undefined && r.firstTokenMs !== undefined ? round(r.firstTokenMs - sent) : undefined,
    e2eMs: round(e2e),
    tpotMs:
      r.firstTokenMs !== undefined && r.lastTokenMs !== undefined && after > 0
        ? round((r.lastTokenMs - r.firstTokenMs) / after)
        : undefined,
    delayMs: r.delayMs,
    executionMs: r.executionMs,
    overheadMs:
      e2e !== undefined && r.delayMs !== undefined && r.executionMs !== undefined
        ? round(e2e - r.delayMs - r.executionMs)
        : undefined,
    promptTokens: r.promptTokens,
    outputTokens: r.outputTokens,
    tokenSource: r.tokenSource,
    chunks: r.chunks?.length ?? 0,
    polls: r.polls,
    retries: r.retries,
    ttftUncertaintyMs: round(r.ttftUncertaintyMs),
    inProgressSeenMs: round(r.inProgressSeenMs),
    cold: r.delayMs !== undefined ? cold : undefined,
    error: r.error,
  };
}

export interface CsvWriter {
  write(row: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/**
 * Streams rows to a file; write() waits when the file falls behind, so memory stays flat.
 * Rows go to csv-stringify as arrays in column order: looking fields up by name for every
 * cell was a tenth of the time of a million-row report. The file is written under a
 * temporary name and renamed when complete; text cells are cleaned (secrets, control
 * characters) and escaped against formula injection.
 */
export function openCsv(path: string, columns: readonly string[]): CsvWriter {
  const partial = partialPath(path);
  const file = createWriteStream(partial);
  let failure: Error | undefined;
  // One promise for the file's failure, raced with every wait (not a listener per wait).
  const failed = new Promise<void>((resolve) =>
    file.once('error', (err) => {
      failure ??= err;
      resolve();
    }),
  );
  const csv = stringify({
    header: true,
    columns: [...columns],
    cast: { boolean: (b) => (b ? 'true' : 'false'), string: (text) => csvSafeText(cleanText(text)) },
  });
  csv.pipe(file);
  const cells = new Array<unknown>(columns.length);
  const fail = (err: Error) => {
    file.destroy();
    rmSync(partial, { force: true });
    throw err;
  };
  return {
    async write(row) {
      if (failure) fail(failure);
      for (let i = 0; i < columns.length; i++) cells[i] = row[columns[i] as string];
      if (!csv.write([...cells])) await Promise.race([once(csv, 'drain'), failed]);
      if (failure) fail(failure);
    },
    async close() {
      csv.end();
      if (!failure) await Promise.race([once(file, 'finish'), failed]);
      if (failure) fail(failure);
      renameSync(partial, path);
    },
  };
}
