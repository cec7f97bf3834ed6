// requests.csv on its own thread: it parses results.ndjson and formats every row (the two
// costliest parts of a report) while the main thread builds the page from the same file.
// workerData: { resultsPath, csvPath, cold: Int32Array of the cold requests' seqs, sorted }.
import { parentPort, workerData } from 'node:worker_threads';
import type { RequestRecord } from '../core/record.js';
import { readNdjson } from '../util/read-ndjson.js';
import { checkRecord } from '../core/record-check.js';
import { REQUEST_COLUMNS, openCsv, requestRow } from './requests-csv.js';

interface CsvJob {
  resultsPath: string;
  csvPath: string;
  cold: Int32Array;
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

export async function writeRequestsCsv(job: CsvJob): Promise<void> {
  const csv = openCsv(job.csvPath, REQUEST_COLUMNS);
  const rows = readNdjson<RequestRecord>(job.resultsPath, { skipped: [] }, (value) => {
    const checked = checkRecord(value);
    return checked.ok ? { ok: true, value: checked.record } : checked;
  });
  for await (const record of rows) {
    await csv.write(requestRow(record, contains(job.cold, record.seq)));
  }
  await csv.close();
}

if (parentPort && (workerData as { csvJob?: CsvJob } | undefined)?.csvJob) {
  writeRequestsCsv((workerData as { csvJob: CsvJob }).csvJob).then(
    () => parentPort?.postMessage({ done: true }),
    (err: unknown) => parentPort?.postMessage({ done: false, error: err instanceof Error ? err.message : String(err) }),
  );
}
