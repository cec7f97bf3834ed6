// Every file and folder a run folder can hold, named once: the runner and `podbench k6
// export` write them, the report builder, compare and --baseline read them.
//
//   run.json          what ran where (written first, completed at the end)
//   results.ndjson    one record per request, as they arrive
//   health.ndjson     the /health samples
//   summary.json, summary.csv, requests.csv, report.html   derived from the three above
//   checks.*          thresholds and baseline comparison, when the run has any
//   run-1..run-N, aggregate.json                           a --repeat folder instead
//   k6/               raw k6 outputs of an exported run, merged into results.ndjson

export const RUN_FILES = {
  meta: 'run.json',
  results: 'results.ndjson',
  health: 'health.ndjson',
  requestsCsv: 'requests.csv',
  summaryCsv: 'summary.csv',
  summaryJson: 'summary.json',
  html: 'report.html',
} as const;

/** Written beside the reports when a run has thresholds or a baseline. */
export const CHECK_FILES = { markdown: 'checks.md', junit: 'checks.junit.xml', json: 'checks.json' } as const;

/** A --repeat folder's statistics over its runs (each metric's mean and confidence interval). */
export const AGGREGATE_FILE = 'aggregate.json';

/** Run `n` (from 1) of a --repeat folder. */
export function repeatRunDir(n: number): string {
  return `run-${n}`;
}

/** Where k6's raw outputs go in an export (or run) folder; `podbench report` merges every file there. */
export const K6_OUTPUT_DIR = 'k6';
