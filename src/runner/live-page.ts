// The dashboard's page from a run folder mid-run: results.ndjson and health.ndjson as far as
// they are written, through the same steps as report.html (deriveRun, the page collector,
// renderReportHtml). A line being written at that moment is torn and skipped; it is in the
// next page. The second pass reads only as many records as the first, so the charts and the
// tables count the same requests even while the file grows.
import { join } from 'node:path';
import type { RequestRecord } from '../core/record.js';
import { RUN_FILES } from '../core/run-folder.js';
import type { RunMeta } from '../core/summary.js';
import { deriveRun } from '../derive/derive-run.js';
import { loadPageAssets, renderReportHtml } from '../report/html/index.js';
import { readNdjson } from '../util/read-ndjson.js';
import { collectPage, counted, readHealth } from './build-reports.js';
import { recordLine } from '../core/record-check.js';
import type { Snapshot } from './dashboard.js';

/** `meta` as it stands (the caller cleans it: no secret reaches the page). */
export async function livePage(runDir: string, meta: RunMeta): Promise<Snapshot> {
  const resultsPath = join(runDir, RUN_FILES.results);
  const read = () => readNdjson(resultsPath, { skipped: [] }, recordLine);
  const health = await readHealth(runDir);
  let records = 0;
  const { summary, coldSeqs, lastEndMs } = await deriveRun(
    meta,
    counted(read(), () => (records += 1)),
    health,
  );
  const data = await collectPage(meta, summary, coldSeqs, lastEndMs, firstOf(read(), records), health);
  return { html: renderReportHtml({ data, meta, summary }, loadPageAssets()), records };
}

async function* firstOf(items: AsyncIterable<RequestRecord>, n: number): AsyncGenerator<RequestRecord> {
  if (n <= 0) return;
  let taken = 0;
  for await (const item of items) {
    yield item;
    taken += 1;
    if (taken >= n) return;
  }
}
