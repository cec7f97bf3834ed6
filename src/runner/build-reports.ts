// Builds every report file of a run folder from run.json and results.ndjson. The runner
// calls this at the end of a run and `podbench report` calls it on any run folder, so a
// report never depends on state that only existed during the run. The I/O edge: it reads
// the folder, hands the records to deriveRun (src/derive) as it reads them, and writes what
// the renderers (src/report) make of the result.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RunError, UsageError, messageOf } from '../core/errors.js';
import type { HealthSample } from '../core/health.js';
import type { RequestRecord } from '../core/record.js';
import { RUN_FILES } from '../core/run-folder.js';
import { SCHEMA_VERSION, type RunMeta, type RunSummary } from '../core/summary.js';
import { deriveRun } from '../derive/derive-run.js';
import { k6OutputFiles, mergeK6Outputs } from '../engines/k6/merge.js';
import { createReportCollector, loadPageAssets, renderReportHtml } from '../report/html/index.js';
import { writeRequestsCsvOnWorker } from '../report/requests-csv-file.js';
import { summaryJson } from '../report/summary-json.js';
import { summaryCsv } from '../report/summary-table.js';
import { describeReadWarnings, readNdjson, type ReadWarnings } from '../util/read-ndjson.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { checkRecord } from '../core/record-check.js';

export interface BuiltReports {
  summary: RunSummary;
  warnings: string[];
  files: string[];
  /**
   * Set when run.json says the run never finished (no duration: the process was killed, or
   * the machine stopped): what it planned, when its plan fixed that, and what it recorded.
   */
  incomplete?: { planned?: number; recorded: number };
}

export function readRunMeta(runDir: string): RunMeta {
  const path = join(runDir, RUN_FILES.meta);
  if (!existsSync(runDir)) throw new UsageError(`${runDir}: no such folder`);
  if (!existsSync(path)) {
    // A --repeat folder holds run-1..run-N and aggregate.json: point at one of its runs.
    const runs = existsSync(join(runDir, 'aggregate.json'))
      ? readdirSync(runDir)
          .filter((n) => /^run-\d+$/.test(n))
          .sort()
      : [];
    if (runs.length > 0) {
      throw new UsageError(
        `${runDir}: holds ${runs.length} repeated runs (${runs.join(', ')}) and their aggregate.json; rebuild one at a time: podbench report ${join(runDir, runs[0] as string)}`,
      );
    }
    throw new UsageError(`${runDir}: not a podbench run folder (no ${RUN_FILES.meta}); pass a folder under reports/`);
  }
  try {
    const meta = JSON.parse(readFileSync(path, 'utf8')) as RunMeta;
    if (typeof meta !== 'object' || meta === null) throw new UsageError(`${path}: not a JSON object`);
    if (meta.schemaVersion !== SCHEMA_VERSION) {
      throw new UsageError(`${path}: schemaVersion ${meta.schemaVersion}, this podbench reads ${SCHEMA_VERSION}`);
    }
    const problem = metaProblem(meta);
    if (problem !== undefined) throw new UsageError(`${path}: ${problem}; the file was edited or damaged`);
    return meta;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${path}: cannot read: ${messageOf(err)}`);
  }
}

/** What a damaged run.json lacks that every report needs, if anything. */
function metaProblem(meta: RunMeta): string | undefined {
  if (typeof meta.scenario !== 'object' || meta.scenario === null) return 'no scenario';
  if (typeof meta.target !== 'object' || meta.target === null) return 'no target';
  if (!Array.isArray(meta.variants)) return 'no list of variants';
  for (const v of meta.variants) {
    if (typeof v !== 'object' || v === null || typeof v.name !== 'string' || typeof v.mode !== 'string')
      return 'a variant without a name or mode';
    if (v.notSent !== undefined && !Array.isArray(v.notSent)) return `variant ${v.name}: notSent is not a list`;
  }
  if (meta.durationMs !== undefined && !Number.isFinite(meta.durationMs)) return 'durationMs is not a number';
  return undefined;
}

/** A /health sample read back: a time and a variant, the rest as the server said. */
function checkHealth(value: object): { ok: true; value: HealthSample } | { ok: false; reason: string } {
  const sample = value as Partial<HealthSample>;
  if (typeof sample.tMs !== 'number' || !Number.isFinite(sample.tMs) || typeof sample.variant !== 'string')
    return { ok: false, reason: 'no time or variant' };
  return { ok: true, value: sample as HealthSample };
}

/** The record's shape, checked on every line read back. */
function recordLine(
  value: object,
): { ok: true; value: RequestRecord; dropped: string[] } | { ok: false; reason: string } {
  const checked = checkRecord(value);
  return checked.ok ? { ok: true, value: checked.record, dropped: checked.dropped } : checked;
}

export async function buildReports(runDir: string, meta: RunMeta = readRunMeta(runDir)): Promise<BuiltReports> {
  const resultsPath = join(runDir, RUN_FILES.results);
  // A run of exported k6 scripts (podbench k6 export): their raw outputs under k6/ become results.ndjson first.
  let merged: string[] = [];
  if (!existsSync(resultsPath) && k6OutputFiles(runDir).length > 0)
    ({ meta, warnings: merged } = await mergeK6Outputs(runDir, meta, resultsPath));
  if (!existsSync(resultsPath)) throw new RunError(`${runDir}: no ${RUN_FILES.results}: the run recorded nothing`);
  const warnings: ReadWarnings = { skipped: [] };
  // /health samples are small (one a second): read once, for the findings and the page.
  const healthPath = join(runDir, RUN_FILES.health);
  const health: HealthSample[] = [];
  if (existsSync(healthPath))
    for await (const line of readNdjson(healthPath, { skipped: [] }, checkHealth)) health.push(line);
  let recorded = 0;
  const { summary, coldSeqs, lastEndMs } = await deriveRun(
    meta,
    counted(readNdjson(resultsPath, warnings, recordLine), () => (recorded += 1)),
    health,
  );

  // Each file whole or not at all: written aside and renamed (a full disk leaves no torn summary).
  writeFileAtomic(join(runDir, RUN_FILES.summaryJson), summaryJson(summary));
  writeFileAtomic(join(runDir, RUN_FILES.summaryCsv), summaryCsv(summary));
  // Second pass: rows (and the page's cold-start marks) need the cold-start verdicts, which
  // need every job of a variant first. requests.csv is written on a worker thread meanwhile.
  const csvDone = writeRequestsCsvOnWorker(resultsPath, join(runDir, RUN_FILES.requestsCsv), coldSeqs);
  // Awaited below; until then a failure must not count as an unhandled rejection.
  csvDone.catch(() => undefined);
  const page = createReportCollector({
    variants: summary.variants.map((v) => v.name),
    spanMs: Math.max(lastEndMs, meta.durationMs ?? 0),
    coldSeqs,
    seed: meta.seed,
  });
  try {
    for await (const record of readNdjson(resultsPath, { skipped: [] }, recordLine)) page.addRecord(record);
  } finally {
    // The CSV worker's failure (a full disk) is the one to report, after this pass ends either way.
    await csvDone;
  }
  for (const line of health) page.addHealth(line);
  writeFileAtomic(
    join(runDir, RUN_FILES.html),
    renderReportHtml({ data: page.finish(summary.variants), meta, summary }, loadPageAssets()),
  );
  const planned = meta.variants.every((v) => v.plannedRequests !== undefined)
    ? meta.variants.reduce((n, v) => n + (v.plannedRequests ?? 0), 0)
    : undefined;
  return {
    summary,
    warnings: [...merged, ...describeReadWarnings(RUN_FILES.results, warnings)],
    files: [RUN_FILES.results, RUN_FILES.requestsCsv, RUN_FILES.summaryCsv, RUN_FILES.summaryJson, RUN_FILES.html],
    ...(meta.durationMs === undefined
      ? { incomplete: { ...(planned !== undefined ? { planned } : {}), recorded } }
      : {}),
  };
}

async function* counted<T>(items: AsyncIterable<T>, onItem: () => void): AsyncGenerator<T> {
  for await (const item of items) {
    onItem();
    yield item;
  }
}
