// Builds every report file of a run folder from run.json and results.ndjson. The runner
// calls this at the end of a run and `podbench report` calls it on any run folder, so a
// report never depends on state that only existed during the run. The I/O edge: it reads
// the folder, hands the records to deriveRun (src/derive) as it reads them, and writes what
// the renderers (src/report) make of the result.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CheckReport } from '../checks/report.js';
import { RunError, UsageError, messageOf } from '../core/errors.js';
import type { HealthSample } from '../core/health.js';
import type { RequestRecord } from '../core/record.js';
import { AGGREGATE_FILE, CHECK_FILES, K6_OUTPUT_DIR, RUN_FILES } from '../core/run-folder.js';
import type { RequestTable } from '../metrics/request-table.js';
import { SCHEMA_VERSION, type RunMeta, type RunSummary } from '../core/summary.js';
import { createRunDeriver, type DerivedRun } from '../derive/derive-run.js';
import { k6OutputFiles, mergeK6Outputs } from '../engines/k6/merge.js';
import {
  comparisonHtml,
  createReportCollector,
  loadPageAssets,
  renderReportHtml,
  type ReportData,
} from '../report/html/index.js';
import { DEFAULT_COLD_START_RULE, type ColdStartRule } from '../core/cold-start-rule.js';
import { startRequestsCsv } from '../report/requests-csv-file.js';
import type { PageJob } from '../report/requests-csv-worker.js';
import { summaryJson } from '../report/summary-json.js';
import { summaryCsv } from '../report/summary-table.js';
import { describeReadWarnings, readNdjson, type ReadWarnings } from '../util/read-ndjson.js';
import { readRecordBlocksOnThread } from '../util/record-reader.js';
import { RecordBlockView } from '../core/record-block.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { collectGarbage } from '../util/collect-garbage.js';
import { recordLine } from '../core/record-check.js';
import { fsReason } from '../util/fs-error.js';

/**
 * A full collection (tens of ms) once this many requests' columns (about 150 bytes each) are
 * let go in the summary's finish: on a million-record report it keeps three variants' worth
 * from piling up (src/util/collect-garbage.ts); a sweep of many small variants runs none.
 */
const COLLECT_AFTER_REQUESTS = 100_000;

export interface BuiltReports {
  summary: RunSummary;
  /** Each variant's request table (src/metrics/request-table.ts), for a comparison with a baseline. */
  tables: Record<string, RequestTable>;
  /** The checks the page shows: what `compare` returned, or the checks.json found beside the run. */
  checks?: CheckReport;
  warnings: string[];
  files: string[];
  /**
   * Set when run.json says the run never finished (no duration: the process was killed, or
   * the machine stopped): what it planned, when its plan fixed that, and what it recorded.
   */
  incomplete?: { planned?: number; recorded: number };
}

export interface BuildOptions {
  /**
   * The run's checks (its baseline comparison), computed from what was just derived, so the
   * page can lead with them. Without it, the page shows the checks.json of the run folder,
   * or of the --repeat folder around it, when there is one.
   */
  compare?: (summary: RunSummary, tables: Record<string, RequestTable>) => CheckReport | undefined;
}

/** The checks.json a run took part in: its own, or its --repeat folder's. */
function recordedChecks(runDir: string): CheckReport | undefined {
  const parent = dirname(runDir);
  const candidates = [join(runDir, CHECK_FILES.json)];
  if (existsSync(join(parent, AGGREGATE_FILE))) candidates.push(join(parent, CHECK_FILES.json));
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as CheckReport;
    } catch {
      return undefined; // a damaged checks.json leaves the page without its checks, not without a page
    }
  }
  return undefined;
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
    throw new UsageError(`${path}: cannot read: ${fsReason(err) ?? messageOf(err)}`);
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
export function checkHealth(value: object): { ok: true; value: HealthSample } | { ok: false; reason: string } {
  const sample = value as Partial<HealthSample>;
  if (typeof sample.tMs !== 'number' || !Number.isFinite(sample.tMs) || typeof sample.variant !== 'string')
    return { ok: false, reason: 'no time or variant' };
  return { ok: true, value: sample as HealthSample };
}

export async function buildReports(
  runDir: string,
  meta: RunMeta = readRunMeta(runDir),
  options: BuildOptions = {},
): Promise<BuiltReports> {
  const resultsPath = join(runDir, RUN_FILES.results);
  // A run of exported k6 scripts (podbench k6 export): their raw outputs under k6/ become results.ndjson first.
  let merged: string[] = [];
  if (!existsSync(resultsPath) && k6OutputFiles(runDir).length > 0)
    ({ meta, warnings: merged } = await mergeK6Outputs(runDir, meta, resultsPath));
  if (!existsSync(resultsPath)) {
    // A k6 export's folder before its scripts ran: say what to do, not that a run failed.
    if (existsSync(join(runDir, K6_OUTPUT_DIR)))
      throw new UsageError(
        `${runDir}: no k6 outputs under ${K6_OUTPUT_DIR}/ yet: run the exported scripts as ${join(runDir, 'README.md')} says (k6 run --out json=${K6_OUTPUT_DIR}/<variant>.json ...), then podbench report again`,
      );
    throw new RunError(`${runDir}: no ${RUN_FILES.results}: the run recorded nothing`);
  }
  const warnings: ReadWarnings = { skipped: [] };
  // /health samples are small (one a second): read once, for the findings and the page.
  const health = await readHealth(runDir);
  // The page's time axis is the run's span: known before reading when run.json has the
  // run's duration (which ends after every record: one clock), so the page is collected in
  // the same pass; its cold-start marks wait for the verdicts.
  const onePassPage = meta.durationMs !== undefined ? pageJob(meta, meta.durationMs, health) : undefined;
  // requests.csv (and that page) are written and collected on a worker thread while this
  // thread derives the summary, from the same blocks of records: one parse of the file.
  const csv = startRequestsCsv(join(runDir, RUN_FILES.requestsCsv), onePassPage);
  let recorded = 0;
  let derived: DerivedRun;
  let onePass = false;
  try {
    // The finish's sorts run after a large variant's columns are freed, not beside them.
    let released = 0;
    const deriver = createRunDeriver(meta, {
      released(requests) {
        released += requests;
        if (released < COLLECT_AFTER_REQUESTS) return;
        released = 0;
        collectGarbage();
      },
    });
    // Parsed on a thread of its own; read back here, in place (the deriver keeps numbers,
    // never the records), and handed on to the CSV worker.
    const view = new RecordBlockView();
    for await (const block of readRecordBlocksOnThread(resultsPath, warnings)) {
      for (const record of view.records(block)) {
        recorded += 1;
        deriver.add(record);
      }
      await csv.forward(block);
    }
    csv.end();
    derived = await deriver.finish(health, {
      // The worker draws the intervals' resamples while this thread sorts the distributions.
      verdicts: (coldSeqs, tables) => csv.verdicts(coldSeqs, tables),
      early(verdicts) {
        onePass = onePassPage !== undefined && verdicts.lastEndMs <= (meta.durationMs as number);
        // Posted (a copy) before the intervals are added: the page reads none of them.
        csv.finish(onePass ? verdicts.variants : undefined);
      },
    });
  } catch (err) {
    await csv.cancel();
    throw err;
  }
  const { summary, coldSeqs, lastEndMs, tables } = derived;

  // Each file whole or not at all: written aside and renamed (a full disk leaves no torn summary).
  writeFileAtomic(join(runDir, RUN_FILES.summaryJson), summaryJson(summary));
  const checks = options.compare ? options.compare(summary, tables) : recordedChecks(runDir);
  writeFileAtomic(join(runDir, RUN_FILES.summaryCsv), summaryCsv(summary));
  let data: ReportData | undefined;
  try {
    // A run without a duration (killed) or with a record past it: the span is known only
    // now, and the page takes a second pass.
    if (!onePass)
      data = await collectPage(
        meta,
        summary,
        coldSeqs,
        lastEndMs,
        readNdjson(resultsPath, { skipped: [] }, recordLine),
        health,
      );
  } finally {
    // The CSV worker's failure (a full disk) is the one to report, after this pass ends either way.
    const collected = await csv.done;
    data ??= collected;
  }
  if (data === undefined) throw new RunError(`${runDir}: the report page's data was not collected`);
  writeFileAtomic(
    join(runDir, RUN_FILES.html),
    renderReportHtml(
      {
        data,
        meta,
        summary,
        ...(checks?.comparison ? { verdictHtml: comparisonHtml(checks) } : {}),
      },
      loadPageAssets(),
    ),
  );
  const planned = meta.variants.every((v) => v.plannedRequests !== undefined)
    ? meta.variants.reduce((n, v) => n + (v.plannedRequests ?? 0), 0)
    : undefined;
  return {
    summary,
    tables,
    ...(checks ? { checks } : {}),
    warnings: [...merged, ...describeReadWarnings(RUN_FILES.results, warnings)],
    files: [RUN_FILES.results, RUN_FILES.requestsCsv, RUN_FILES.summaryCsv, RUN_FILES.summaryJson, RUN_FILES.html],
    ...(meta.durationMs === undefined
      ? { incomplete: { ...(planned !== undefined ? { planned } : {}), recorded } }
      : {}),
  };
}

/** The run's /health samples (health.ndjson); none when the file is absent. */
export async function readHealth(runDir: string): Promise<HealthSample[]> {
  const healthPath = join(runDir, RUN_FILES.health);
  const health: HealthSample[] = [];
  if (existsSync(healthPath))
    for await (const line of readNdjson(healthPath, { skipped: [] }, checkHealth)) health.push(line);
  return health;
}

/**
 * The page's data: the second pass over the records, after deriveRun, because the page marks
 * the requests the cold-start rule classified cold. Shared with the live dashboard, so the
 * page it serves is drawn from the same data as report.html.
 */
export async function collectPage(
  meta: RunMeta,
  summary: RunSummary,
  coldSeqs: ReadonlySet<number>,
  lastEndMs: number,
  records: AsyncIterable<RequestRecord>,
  health: readonly HealthSample[],
): Promise<ReportData> {
  const page = createReportCollector({
    variants: summary.variants.map((v) => v.name),
    spanMs: Math.max(lastEndMs, meta.durationMs ?? 0),
    coldSeqs,
    seed: meta.seed,
  });
  for await (const record of records) page.addRecord(record);
  for (const line of health) page.addHealth(line);
  return page.finish(summary.variants);
}

export async function* counted<T>(items: AsyncIterable<T>, onItem: (item: T) => void): AsyncGenerator<T> {
  for await (const item of items) {
    onItem(item);
    yield item;
  }
}

/**
 * The page collector of a single pass (run on the CSV worker): variants in summary.json's
 * order (run.json's, then any only the records name), and the cold-start rule of each, so a
 * job that cannot be cold is placed at once (the others wait for deriveRun's verdicts).
 */
function pageJob(meta: RunMeta, spanMs: number, health: HealthSample[]): PageJob {
  const rules = new Map<string, ColdStartRule>();
  for (const v of meta.variants) if (!rules.has(v.name)) rules.set(v.name, v.coldStartRule ?? DEFAULT_COLD_START_RULE);
  return { options: { variants: [...rules.keys()], spanMs, seed: meta.seed }, rules: [...rules], health };
}
