// From what a run recorded to what it measured: per-variant summaries (src/metrics), the
// run's thresholds (src/checks) and its findings (src/answers), in one pure step that
// `podbench run` and `podbench report` both take, so a rebuilt report says what the run said.
//
// Streaming: records are taken one at a time as the caller reads them (results.ndjson
// line by line), and only numbers per metric are kept, never the records, so a run of a
// million requests is never held in memory as objects. Reading and writing files is the
// caller's (src/runner/build-reports.ts).
import type { Finding } from '../core/findings.js';
import type { RequestRecord } from '../core/record.js';
import { SCHEMA_VERSION, type RunMeta, type RunSummary } from '../core/summary.js';
import { analyzeRun, type AnalysisInput } from '../answers/analyze.js';
import { evaluateRecorded } from '../checks/thresholds.js';
import { createTableCollector, type RequestTable } from '../metrics/request-table.js';
import { createSummarizer } from '../metrics/summarize.js';
import { createOverheadSamples } from '../answers/platform-overhead.js';
import { requestSlos } from '../metrics/goodput.js';
import { addIntervals } from './summary-intervals.js';
import type { ValueDeviations } from '../checks/value-deviations.js';

/** The run's /health samples (health.ndjson), small enough to pass whole: one a second. */
export type RunHealth = AnalysisInput['health'];

export interface DerivedRun {
  summary: RunSummary;
  /** The requests the cold-start rule classified cold: requests.csv and the page mark them. */
  coldSeqs: ReadonlySet<number>;
  /** The latest end of any record (ms on the run clock), for the span of the page's time charts. */
  lastEndMs: number;
  /** Each variant's request table: the per-request values a comparison with a baseline resamples. */
  tables: Record<string, RequestTable>;
}

export async function deriveRun(
  meta: RunMeta,
  records: AsyncIterable<RequestRecord> | Iterable<RequestRecord>,
  health: RunHealth,
): Promise<DerivedRun> {
  const deriver = createRunDeriver(meta);
  for await (const record of records) deriver.add(record);
  return deriver.finish(health);
}

/** Work a caller hangs on the steps of finish(). */
export interface FinishHooks {
  /**
   * The cold-start verdicts and the request tables, as soon as they exist: before the
   * distributions are sorted (the longest part of finishing), so work that waits for the
   * verdicts (the requests.csv worker's cold cells) runs meanwhile. May return each
   * variant's value resamples (src/checks/value-deviations.ts), drawn elsewhere in the
   * same time; a variant it has none for (or a promise that fails) is drawn here.
   */
  verdicts?(
    coldSeqs: ReadonlySet<number>,
    tables: Record<string, RequestTable>,
  ): Promise<Record<string, ValueDeviations> | undefined> | undefined;
  /** Each variant's figures before their interval95 (added afterwards: copy what you need). */
  early?(verdicts: EarlyVerdicts): void;
}

/** What is known before the intervals: the verdicts, and each variant's figures without interval95. */
export type EarlyVerdicts = Pick<DerivedRun, 'coldSeqs' | 'lastEndMs'> & { variants: RunSummary['variants'] };

export interface RunDeriver {
  add(record: RequestRecord): void;
  finish(health: RunHealth, hooks?: FinishHooks): Promise<DerivedRun>;
}

/**
 * deriveRun fed by the caller, one record at a time, without an await per record: the
 * report builder reads results.ndjson in batches and hands each record to this and to the
 * page in one synchronous loop.
 */
export interface DeriverOptions {
  /**
   * Called when a variant's per-request columns are let go in finish() (with its request
   * count): a caller that can run a full garbage collection frees them before the next
   * variant's sorts.
   */
  released?: (requests: number) => void;
}

export function createRunDeriver(meta: RunMeta, options: DeriverOptions = {}): RunDeriver {
  const slos = requestSlos(meta.analysis?.slo ?? []);
  const summarizer = createSummarizer(meta.variants, slos);
  // Only a run that compares the model server with the queue keeps samples for it.
  const overhead = createOverheadSamples(meta.variants);
  // The summarizer classifies cold starts once; the tables take its verdicts.
  const tables = createTableCollector(meta.variants, { classify: false, slos });
  let lastEndMs = 0;
  return {
    add(record) {
      summarizer.add(record);
      overhead?.add(record);
      tables.add(record);
      lastEndMs = Math.max(lastEndMs, record.endMs);
    },
    async finish(health, hooks = {}) {
      let finished: Record<string, RequestTable> = {};
      let drawn: Promise<Record<string, ValueDeviations> | undefined> | undefined;
      const finishedSummaries = summarizer.finish(options.released, (cold) => {
        finished = tables.finish(cold);
        drawn = hooks.verdicts?.(cold, finished);
      });
      const { variants, coldSeqs } = finishedSummaries;
      hooks.early?.({ coldSeqs, lastEndMs, variants });
      const elsewhere = await drawn?.catch(() => undefined);
      for (const variant of variants) {
        const table = finished[variant.name];
        if (table) addIntervals(variant, table, elsewhere?.[variant.name]);
      }
      const { text: _text, ...scenario } = meta.scenario;
      const summary: RunSummary = { schemaVersion: SCHEMA_VERSION, run: { ...meta, scenario }, variants };
      if (meta.thresholds && meta.thresholds.length > 0)
        summary.thresholds = evaluateRecorded(meta.thresholds, summary);
      const findings: Finding[] = analyzeRun({
        meta,
        summary,
        // Every job as an object only when a finding reads them (a run's cost).
        get pickups() {
          return finishedSummaries.pickups;
        },
        coldSeqs,
        health,
        ...(overhead ? { overhead: overhead.finish() } : {}),
      });
      if (findings.length > 0) summary.findings = findings;
      return { summary, coldSeqs, lastEndMs, tables: finished };
    },
  };
}
