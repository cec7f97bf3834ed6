// requests.csv on its own thread: it formats every row (the costliest part of a report after
// the parse) while the main thread derives the summary. results.ndjson is parsed once, on a
// thread of its own (src/util/record-reader-worker.ts); the main thread reads each block of
// records back and passes it on here (src/core/record-block.ts), acknowledged one by one so
// it never runs far ahead. A row's `cold` cell needs the cold-start verdicts, which exist
// only once the main thread has seen every job, so the rows are written with a marker byte
// in that cell (see COLD_PENDING) and the file is copied once more at the end with the
// verdicts in place: a byte copy, not a second pass over the records.
//
// The page's data (./html/collect.ts) is collected here too, from the same records, when the
// parent asks (a run whose span is known before reading): it is the main thread's largest
// share of the pass after the parse, and this thread waits for the verdicts anyway.
//
// The intervals' resamples are drawn here too, when the parent sends the request tables with
// the verdicts: it sorts the distributions meanwhile, and this thread is idle by then.
//
// workerData: { csvJob: { csvPath, page? }, secrets }; then the parent posts { block } for
// each block of records (answered { ack: true }), { end: true } after the last, { cold:
// Int32Array of the cold requests' seqs, sorted, tables? } (answered { deviations } when the
// tables came) and { finish: true, variants?: the summary's variants }; the worker answers
// { done, page? } (page: the ReportData, when variants came).
import { closeSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { RecordBlockView, type RecordBlock } from '../core/record-block.js';
import { Mailbox } from '../util/handover.js';
import { registerSecret } from '../util/redact.js';
import { partialPath } from '../util/atomic-write.js';
import { SampleBuffer } from '../metrics/percentiles.js';
import type { HealthSample } from '../core/health.js';
import type { VariantSummary } from '../core/summary.js';
import type { RequestTable } from '../metrics/request-table.js';
import { valueDeviations, type ValueDeviations } from '../checks/value-deviations.js';
import { DEFAULT_COLD_START_RULE, type ColdStartRule } from '../core/cold-start-rule.js';
import { mayBeCold } from '../metrics/cold-start.js';
import { createReportCollector, type CollectorOptions, type ReportCollector } from './html/collect.js';
import type { ReportData } from './html/types.js';
import { COLD_PENDING, COLD_PENDING_BYTE, REQUEST_COLUMNS, csvRowsPath, openCsv, requestRow } from './requests-csv.js';

export interface PageJob {
  /** The collector's options but the cold-start test, which is rebuilt here from `rules`. */
  options: Omit<CollectorOptions, 'mayBeCold' | 'coldSeqs'>;
  /** Each variant's cold-start rule, by name (run.json's; the default for others). */
  rules: Array<[string, ColdStartRule]>;
  /** The run's /health samples, added after the records. */
  health: HealthSample[];
}

interface CsvJob {
  csvPath: string;
  page?: PageJob;
}

/** What the parent posts once it has classified the run's cold starts. */
export interface Verdicts {
  cold: Int32Array;
  /**
   * Each variant's request table, when the parent wants their value resamples drawn here
   * (src/checks/value-deviations.ts) while it sorts the distributions: this thread
   * has nothing else to do by then.
   */
  tables?: Record<string, RequestTable>;
}

/** What the parent posts last: the summary's variants, when the page collected here is to be finished (else it is dropped). */
export interface PageFinish {
  variants?: VariantSummary[];
}

function pageCollector(job: PageJob): ReportCollector {
  const rules = new Map(job.rules);
  return createReportCollector({
    ...job.options,
    mayBeCold: (r) => r.delayMs !== undefined && mayBeCold(r.delayMs, rules.get(r.variant) ?? DEFAULT_COLD_START_RULE),
  });
}

function contains(sorted: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = sorted[mid] as number;
    if (at === value) return true;
    if (at < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The rows, with the cold cell of every server-timed request pending; the seqs of those rows, in order. */
async function writeRows(
  rowsPath: string,
  blocks: AsyncIterable<RecordBlock>,
  page: ReportCollector | undefined,
): Promise<Float64Array> {
  const csv = openCsv(rowsPath, REQUEST_COLUMNS);
  const pending = new SampleBuffer();
  // Each record read in place: a row and the page's samples keep numbers and texts, never the record.
  const view = new RecordBlockView();
  for await (const block of blocks) {
    for (const record of view.records(block)) {
      // requestRow leaves the cell empty without a delayTime: only these rows wait for a verdict.
      if (record.delayMs !== undefined) pending.push(record.seq);
      page?.addRecord(record);
      if (csv.add(requestRow(record, COLD_PENDING))) await csv.flush();
    }
  }
  await csv.close();
  return pending.values();
}

const CHUNK = 1 << 20;
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');

/** Copies `from` to `to` with each pending cell (in row order, `seqs`) replaced by its verdict. */
function resolveColdCells(from: string, to: string, seqs: Float64Array, cold: Int32Array): void {
  const input = openSync(from, 'r');
  const output = openSync(to, 'w');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK);
    // A marker byte becomes at most five: the copy of a chunk always fits.
    const out = Buffer.allocUnsafe(CHUNK * FALSE.length);
    let row = 0;
    for (let read = readSync(input, chunk, 0, CHUNK, null); read > 0; read = readSync(input, chunk, 0, CHUNK, null)) {
      let o = 0;
      let start = 0;
      for (
        let at = chunk.indexOf(COLD_PENDING_BYTE, 0);
        at !== -1 && at < read;
        at = chunk.indexOf(COLD_PENDING_BYTE, start)
      ) {
        o += chunk.copy(out, o, start, at);
        o += (contains(cold, seqs[row++] as number) ? TRUE : FALSE).copy(out, o);
        start = at + 1;
      }
      o += chunk.copy(out, o, start, read);
      for (let written = 0; written < o; ) written += writeSync(output, out, written, o - written);
    }
  } finally {
    closeSync(input);
    closeSync(output);
  }
}

/** Writes requests.csv; with a page job, also returns the page's data (when the page's finish carries the variants). */
export async function writeRequestsCsv(
  job: CsvJob,
  blocks: AsyncIterable<RecordBlock>,
  verdicts: Promise<Verdicts>,
  pageFinish: Promise<PageFinish>,
  drew: (deviations: Record<string, ValueDeviations>) => void = () => undefined,
): Promise<ReportData | undefined> {
  const rowsPath = csvRowsPath(job.csvPath);
  const finalPartial = partialPath(job.csvPath);
  const page = job.page ? pageCollector(job.page) : undefined;
  try {
    const seqs = await writeRows(rowsPath, blocks, page);
    const { cold, tables } = await verdicts;
    // The parent waits for these: drawn before the cold cells are filled in.
    if (tables) {
      const deviations: Record<string, ValueDeviations> = {};
      for (const [name, table] of Object.entries(tables)) deviations[name] = valueDeviations(name, table);
      drew(deviations);
    }
    if (seqs.length === 0) renameSync(rowsPath, job.csvPath);
    else {
      resolveColdCells(rowsPath, finalPartial, seqs, cold);
      renameSync(finalPartial, job.csvPath);
    }
    const { variants } = await pageFinish;
    if (!page || !job.page || !variants) return undefined;
    for (const line of job.page.health) page.addHealth(line);
    return page.finish(variants, new Set(cold));
  } finally {
    rmSync(rowsPath, { force: true });
    rmSync(finalPartial, { force: true });
  }
}

/** The parent's messages as the job reads them: the blocks in order, then the verdicts, then the page's finish. */
function inbox(port: MessagePort): {
  blocks: AsyncIterable<RecordBlock>;
  verdicts: Promise<Verdicts>;
  pageFinish: Promise<PageFinish>;
} {
  const mailbox = new Mailbox<RecordBlock>();
  let settleVerdicts: (verdicts: Verdicts) => void = () => undefined;
  const verdicts = new Promise<Verdicts>((resolve) => (settleVerdicts = resolve));
  let settlePage: (finish: PageFinish) => void = () => undefined;
  const pageFinish = new Promise<PageFinish>((resolve) => (settlePage = resolve));
  port.on('message', (message: { block?: RecordBlock; end?: true; finish?: true } & Partial<Verdicts> & PageFinish) => {
    if (message.block) mailbox.put(message.block);
    else if (message.end) mailbox.end();
    else if (message.cold) settleVerdicts(message as Verdicts);
    else if (message.finish) settlePage(message);
  });
  // A block read: the parent may send the next (it keeps only a few in flight).
  return { blocks: mailbox.take(() => port.postMessage({ ack: true })), verdicts, pageFinish };
}

if (parentPort && (workerData as { csvJob?: CsvJob } | undefined)?.csvJob) {
  const port = parentPort;
  for (const secret of (workerData as { secrets?: string[] }).secrets ?? []) registerSecret(secret);
  const { blocks, verdicts, pageFinish } = inbox(port);
  writeRequestsCsv((workerData as { csvJob: CsvJob }).csvJob, blocks, verdicts, pageFinish, (deviations) =>
    port.postMessage({ deviations }),
  ).then(
    (page) => port.postMessage({ done: true, ...(page ? { page } : {}) }),
    (err: unknown) => port.postMessage({ done: false, error: err instanceof Error ? err.message : String(err) }),
  );
}
