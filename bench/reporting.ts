// `npm run bench:reporting`: time and memory to build every report (summary.json, both CSVs,
// report.html, the console table) from a 1,000,000-record results.ndjson, as `podbench
// report` does it (and a run does at its end). Target (issue 20): under 10 s with a peak RSS
// under 500 MB on this project's 2-core machine, every percentile still exact: the file
// parsed once, on a thread of its own, its records passed as blocks of numbers to the main
// thread (the summary) and on to the requests.csv worker (rows and page), the intervals'
// resamples drawn on that worker while the main thread sorts, values kept in typed columns. CPU seconds (both threads) are
// the steadier figure on a shared machine; the wall time moves by 20% from run to run here.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, runPodbench, writeBenchJson } from './support.js';
import { writeSyntheticRun } from './synthetic-run.js';

export interface ReportingResult {
  records: number;
  ndjsonMb: number;
  seconds: number;
  peakRssMb: number | undefined;
  /** User + system CPU seconds of `podbench report` (every thread). */
  cpuSeconds: number | undefined;
  htmlMb: number;
}

export async function benchReporting(records = 1_000_000): Promise<ReportingResult> {
  const dir = mkdtempSync(join(tmpdir(), 'podbench-reporting-'));
  try {
    await writeSyntheticRun(dir, records);
    const started = performance.now();
    const run = await runPodbench(['report', dir]);
    const seconds = (performance.now() - started) / 1000;
    if (run.code !== 0) throw new Error(`podbench report exited ${run.code}: ${run.stderr}`);
    return {
      records,
      ndjsonMb: statSync(join(dir, 'results.ndjson')).size / 2 ** 20,
      seconds,
      peakRssMb: run.peakRssMb,
      cpuSeconds: run.cpuSeconds,
      htmlMb: statSync(join(dir, 'report.html')).size / 2 ** 20,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('reporting.js')) {
  const records = Number(process.argv[2] ?? 1_000_000);
  const result = await benchReporting(records);
  console.log(
    `report from ${result.records.toLocaleString('en-US')} records (${result.ndjsonMb.toFixed(0)} MB ndjson): ${result.seconds.toFixed(1)} s (CPU ${result.cpuSeconds?.toFixed(1)} s), peak RSS ${result.peakRssMb?.toFixed(0)} MB, report.html ${result.htmlMb.toFixed(2)} MB`,
  );
  console.log(`written ${writeBenchJson('reporting', { machine: machine(), ...result })}`);
}
