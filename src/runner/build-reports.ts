// Builds every report file of a run folder from run.json and results.ndjson. The runner
// calls this at the end of a run and `podbench report` calls it on any run folder, so a
// report never depends on state that only existed during the run.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunError, UsageError, messageOf } from '../core/errors.js';
import type { RequestRecord } from '../core/record.js';
import { SCHEMA_VERSION, type RunMeta, type RunSummary } from '../core/summary.js';
import { evaluateRecorded } from '../checks/thresholds.js';
import { createSummarizer } from '../metrics/summarize.js';
import { k6OutputFiles, mergeK6Outputs } from './k6-merge.js';
import { readNdjson, type ReadWarnings } from './read-ndjson.js';
import { startModuleWorker } from '../util/module-worker.js';
import { summaryJson } from './summary-json.js';
import { summaryCsv } from './summary-table.js';
import { analyzeRun } from '../answers/analyze.js';
import { createReportCollector, loadPageAssets, renderReportHtml, type HealthLine } from './html/index.js';

export const RUN_FILES = {
  meta: 'run.json',
  results: 'results.ndjson',
  health: 'health.ndjson',
  requestsCsv: 'requests.csv',
  summaryCsv: 'summary.csv',
  summaryJson: 'summary.json',
  html: 'report.html',
} as const;

export interface BuiltReports {
  summary: RunSummary;
  warnings: string[];
  files: string[];
}

export function readRunMeta(runDir: string): RunMeta {
  const path = join(runDir, RUN_FILES.meta);
  if (!existsSync(runDir)) throw new UsageError(`${runDir}: no such folder`);
  if (!existsSync(path)) {
    // A --repeat folder holds run-1..run-N and aggregate.json: point at one of its runs.
    const runs = existsSync(join(runDir, 'aggregate.json')) ? readdirSync(runDir).filter((n) => /^run-\d+$/.test(n)).sort() : [];
    if (runs.length > 0) {
      throw new UsageError(`${runDir}: holds ${runs.length} repeated runs (${runs.join(', ')}) and their aggregate.json; rebuild one at a time: podbench report ${join(runDir, runs[0] as string)}`);
    }
    throw new UsageError(`${runDir}: not a podbench run folder (no ${RUN_FILES.meta}); pass a folder under reports/`);
  }
  try {
    const meta = JSON.parse(readFileSync(path, 'utf8')) as RunMeta;
    if (meta.schemaVersion !== SCHEMA_VERSION) {
      throw new UsageError(`${path}: schemaVersion ${meta.schemaVersion}, this podbench reads ${SCHEMA_VERSION}`);
    }
    return meta;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${path}: cannot read: ${messageOf(err)}`);
  }
}

export async function buildReports(runDir: string, meta: RunMeta = readRunMeta(runDir)): Promise<BuiltReports> {
  const resultsPath = join(runDir, RUN_FILES.results);
  // A run of exported k6 scripts (podbench k6 export): their raw outputs under k6/ become results.ndjson first.
  let merged: string[] = [];
  if (!existsSync(resultsPath) && k6OutputFiles(runDir).length > 0) ({ meta, warnings: merged } = await mergeK6Outputs(runDir, meta, resultsPath));
  if (!existsSync(resultsPath)) throw new RunError(`${runDir}: no ${RUN_FILES.results}: the run recorded nothing`);
  const warnings: ReadWarnings = { skipped: [] };
  const summarizer = createSummarizer(meta.variants);
  let lastEndMs = 0;
  for await (const record of readNdjson<RequestRecord>(resultsPath, warnings)) {
    summarizer.add(record);
    lastEndMs = Math.max(lastEndMs, record.endMs);
  }
  const { variants, coldSeqs, pickups } = summarizer.finish();
  const { text: _text, ...scenario } = meta.scenario;
  const summary: RunSummary = { schemaVersion: SCHEMA_VERSION, run: { ...meta, scenario }, variants };
  // Thresholds go into summary.json and the page, so they are checked before either is written.
  if (meta.thresholds && meta.thresholds.length > 0) summary.thresholds = evaluateRecorded(meta.thresholds, summary);
  // /health samples are small (one a second): read once, for the findings and the page.
  const healthPath = join(runDir, RUN_FILES.health);
  const health: HealthLine[] = [];
  if (existsSync(healthPath)) for await (const line of readNdjson<HealthLine>(healthPath, { skipped: [] })) health.push(line);
  const findings = analyzeRun({ meta, summary, pickups, coldSeqs, health });
  if (findings.length > 0) summary.findings = findings;

  writeFileSync(join(runDir, RUN_FILES.summaryJson), summaryJson(summary));
  writeFileSync(join(runDir, RUN_FILES.summaryCsv), summaryCsv(summary));
  // Second pass: rows (and the page's cold-start marks) need the cold-start verdicts, which
  // need every job of a variant first. requests.csv is written on a worker thread meanwhile.
  const csvDone = writeCsvOnWorker(resultsPath, join(runDir, RUN_FILES.requestsCsv), coldSeqs);
  const page = createReportCollector({ variants: variants.map((v) => v.name), spanMs: Math.max(lastEndMs, meta.durationMs ?? 0), coldSeqs, seed: meta.seed });
  for await (const record of readNdjson<RequestRecord>(resultsPath, { skipped: [] })) page.addRecord(record);
  await csvDone;
  for (const line of health) page.addHealth(line);
  writeFileSync(join(runDir, RUN_FILES.html), renderReportHtml({ data: page.finish(variants), meta, summary }, loadPageAssets()));
  return {
    summary,
    warnings: [...merged, ...warnings.skipped.map((s) => `${RUN_FILES.results} line ${s.line} skipped: ${s.reason}`)],
    files: [RUN_FILES.results, RUN_FILES.requestsCsv, RUN_FILES.summaryCsv, RUN_FILES.summaryJson, RUN_FILES.html],
  };
}

/** requests.csv on a worker thread (src/report/requests-csv-worker.ts); resolves when written. */
function writeCsvOnWorker(resultsPath: string, csvPath: string, coldSeqs: ReadonlySet<number>): Promise<void> {
  const cold = Int32Array.from(coldSeqs).sort();
  const worker = startModuleWorker(import.meta.url, './requests-csv-worker.js', { csvJob: { resultsPath, csvPath, cold } });
  return new Promise((resolve, reject) => {
    worker.once('message', (message: { done: boolean; error?: string }) => {
      void worker.terminate();
      if (message.done) resolve();
      else reject(new RunError(`writing ${csvPath} failed: ${message.error ?? 'unknown error'}`));
    });
    worker.once('error', (err) => reject(new RunError(`writing ${csvPath} failed: ${err.message}`)));
  });
}
