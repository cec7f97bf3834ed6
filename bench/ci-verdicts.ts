// `npm run bench:ci-verdicts`: can a CI pipeline trust the verdicts? The CI example of
// docs/ci.md (bench/ci.yaml) on the embedded emulator, as a pipeline would run it: one
// baseline, then reruns against it, alternating
//
//   unchanged  the same scenario: any regression is a false alarm (target: at most 1 in 20);
//   slower     generation 15% slower (the emulator's decode step, stepMs and
//              stepMsPerSequence × 1.15; --allow-scenario-change, since the emulator's
//              settings are part of what is measured): a check must flag it (at least 19 in 20);
//
// for single runs and for --repeat 3. Each check's requests (warmup included) and the
// machine's load average during it are recorded: the method must hold on a busy machine.
// Every run folder is kept under reports/bench/ci-verdicts/, and `-- --rejudge` judges
// them again with `podbench compare` without running anything.
//
//   npm run bench:ci-verdicts                         both modes, 20 reruns each way
//   npm run bench:ci-verdicts -- --reruns 5 --modes single
//   npm run bench:ci-verdicts -- --rejudge            compare the kept folders again
// A run of one mode keeps the other mode's checks (and folders) from an earlier run.
// Loopback only. About 40 s a single check and 2 min a repeat on a 2-core machine: ~2.5 h in all.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckReport } from '../src/checks/report.js';
import { BENCH_DIR, machine, runPodbench, writeBenchJson } from './support.js';

const SCENARIO = fileURLToPath(new URL('../../bench/ci.yaml', import.meta.url));
const ROOT = join(BENCH_DIR, 'ci-verdicts');
/** Generation 15% slower: the emulator's decode step (its defaults, 22 ms and 0.5 ms per sequence, × 1.15). */
const SLOWER = [
  '--set',
  'emulator.generation.stepMs=25.3',
  '--set',
  'emulator.generation.stepMsPerSequence=0.575',
  '--allow-scenario-change',
];

type Mode = 'single' | 'repeat';
type Kind = 'unchanged' | 'slower';

interface Check {
  mode: Mode;
  kind: Kind;
  index: number;
  folder: string;
  exitCode: number | null;
  regressions: number;
  /** Metrics judged worse. */
  worse: string[];
  thresholdFailures: number;
  /** Per metric, the smallest change the check could detect (a share of the baseline; shares in fractions). */
  detects: Record<string, number | null>;
  /** Measured requests plus warmup, over every run of the check. */
  requests: number;
  seconds: number;
  /** 1-minute load average at the start and end of the check. */
  load: [number, number];
}

function args(): { reruns: number; modes: Mode[]; rejudge: boolean } {
  const argv = process.argv.slice(2);
  const value = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const modes = (value('--modes') ?? 'single,repeat').split(',') as Mode[];
  return { reruns: Number(value('--reruns') ?? 20), modes, rejudge: argv.includes('--rejudge') };
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Requests a check sent, warmup included: from the summaries of its runs. */
function requestsOf(folder: string): number {
  const summaries = existsSync(join(folder, 'summary.json'))
    ? [join(folder, 'summary.json')]
    : [1, 2, 3, 4, 5].map((i) => join(folder, `run-${i}`, 'summary.json')).filter((p) => existsSync(p));
  let total = 0;
  for (const path of summaries) {
    const summary = readJson<{ variants: Array<{ counts: { sent: number; warmup: number } }> }>(path);
    for (const v of summary.variants) total += v.counts.sent + v.counts.warmup;
  }
  return total;
}

function judged(
  report: CheckReport | undefined,
): Pick<Check, 'regressions' | 'worse' | 'thresholdFailures' | 'detects'> {
  const rows = report?.comparison?.rows ?? [];
  return {
    detects: Object.fromEntries(
      rows.map((r) => [r.metric, r.unit === 'share' ? (r.detectable ?? null) : (r.detectableRatio ?? null)]),
    ),
    regressions: report?.comparison?.regressions ?? 0,
    worse: rows.filter((r) => r.verdict === 'worse').map((r) => r.metric),
    thresholdFailures: (report?.thresholds ?? []).filter((t) => !t.passed).length,
  };
}

async function runCheck(mode: Mode, kind: Kind, index: number, baseline: string): Promise<Check> {
  const folder = join(ROOT, mode, `${kind}-${String(index).padStart(2, '0')}`);
  rmSync(folder, { recursive: true, force: true });
  const load0 = loadavg()[0] as number;
  const started = Date.now();
  const result = await runPodbench([
    'run',
    SCENARIO,
    '--quiet',
    '--out',
    folder,
    ...(mode === 'repeat' ? ['--repeat', '3'] : []),
    ...(kind === 'slower' ? SLOWER : []),
    '--baseline',
    baseline,
    '--format',
    'json',
  ]);
  const seconds = (Date.now() - started) / 1000;
  let report: CheckReport | undefined;
  try {
    report = JSON.parse(result.stdout) as CheckReport;
  } catch {
    console.log(
      `  ${mode} ${kind} ${index}: no report (exit ${result.code}): ${result.stderr.split('\n').slice(-3).join(' ')}`,
    );
  }
  return {
    mode,
    kind,
    index,
    folder,
    exitCode: result.code,
    ...judged(report),
    requests: existsSync(folder) ? requestsOf(folder) : 0,
    seconds,
    load: [load0, loadavg()[0] as number],
  };
}

async function rejudge(check: Check, baseline: string): Promise<Check> {
  const result = await runPodbench([
    'compare',
    baseline,
    check.folder,
    '--format',
    'json',
    ...(check.kind === 'slower' ? ['--allow-scenario-change'] : []),
  ]);
  const report = JSON.parse(result.stdout) as CheckReport;
  return {
    ...check,
    exitCode: result.code,
    ...judged({ ...report, thresholds: [] }),
    thresholdFailures: check.thresholdFailures,
  };
}

function summarize(checks: readonly Check[], mode: Mode) {
  const of = (kind: Kind) => checks.filter((c) => c.mode === mode && c.kind === kind);
  const rate = (list: readonly Check[]) => `${list.filter((c) => c.regressions > 0).length} of ${list.length}`;
  const unchanged = of('unchanged');
  const slower = of('slower');
  const all = [...unchanged, ...slower];
  const mean = (xs: number[]) => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const count = (list: readonly Check[]) => {
    const by = new Map<string, number>();
    for (const c of list) for (const m of c.worse) by.set(m, (by.get(m) ?? 0) + 1);
    return Object.fromEntries([...by.entries()].sort((a, b) => b[1] - a[1]));
  };
  // What a check of this size could detect: the median over the unchanged checks, per metric.
  const metrics = [...new Set(unchanged.flatMap((c) => Object.keys(c.detects ?? {})))];
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted.length > 0 ? (sorted[Math.floor((sorted.length - 1) / 2)] as number) : null;
  };
  const detects = Object.fromEntries(
    metrics.map((m) => [
      m,
      median(unchanged.flatMap((c) => (typeof c.detects?.[m] === 'number' ? [c.detects[m] as number] : []))),
    ]),
  );
  return {
    mode,
    detectsMedian: detects,
    falseRegressions: rate(unchanged),
    falseRegressionsTarget: 'at most 1 of 20',
    slowerFlagged: rate(slower),
    slowerFlaggedTarget: 'at least 19 of 20',
    worseMetricsUnchanged: count(unchanged),
    worseMetricsSlower: count(slower),
    thresholdFailures: all.filter((c) => c.thresholdFailures > 0).length,
    requestsPerCheck: Math.round(mean(all.map((c) => c.requests))),
    secondsPerCheck: Math.round(mean(all.map((c) => c.seconds))),
    loadAverage: {
      mean: Number(mean(all.flatMap((c) => c.load)).toFixed(2)),
      min: Number(Math.min(...all.flatMap((c) => c.load)).toFixed(2)),
      max: Number(Math.max(...all.flatMap((c) => c.load)).toFixed(2)),
    },
  };
}

async function main(): Promise<void> {
  const { reruns, modes, rejudge: again } = args();
  mkdirSync(ROOT, { recursive: true });
  const resultsPath = join(BENCH_DIR, 'ci-verdicts.json');
  let checks: Check[] = [];
  if (again) {
    const previous = readJson<{ checks: Check[] }>(resultsPath);
    for (const check of previous.checks) {
      const baseline = join(ROOT, check.mode, 'baseline.json');
      checks.push(await rejudge(check, baseline));
    }
  } else {
    // The other modes' checks of an earlier run stay, so the modes can be measured apart.
    if (existsSync(resultsPath))
      checks = readJson<{ checks: Check[] }>(resultsPath).checks.filter((c) => !modes.includes(c.mode));
    for (const mode of modes) {
      const baseline = join(ROOT, mode, 'baseline.json');
      const baseFolder = join(ROOT, mode, 'baseline');
      rmSync(join(ROOT, mode), { recursive: true, force: true });
      mkdirSync(join(ROOT, mode), { recursive: true });
      console.log(`${mode}: the baseline (load ${loadavg()[0]?.toFixed(2)})`);
      const base = await runPodbench([
        'run',
        SCENARIO,
        '--quiet',
        '--out',
        baseFolder,
        ...(mode === 'repeat' ? ['--repeat', '3'] : []),
        '--save-baseline',
        baseline,
      ]);
      if (!existsSync(baseline)) throw new Error(`${mode}: no baseline (exit ${base.code}): ${base.stderr}`);
      // Alternate, so that the machine's weather falls on both kinds alike.
      for (let i = 1; i <= reruns; i++) {
        for (const kind of ['unchanged', 'slower'] as const) {
          const check = await runCheck(mode, kind, i, baseline);
          checks.push(check);
          console.log(
            `  ${mode} ${kind} ${i}: ${check.regressions} regression(s)${check.worse.length ? ` (${check.worse.join(', ')})` : ''}, exit ${check.exitCode}, ${check.requests} requests, ${check.seconds.toFixed(0)} s, load ${check.load.map((l) => l.toFixed(1)).join(' → ')}`,
          );
          writeBenchJson('ci-verdicts', { machine: machine(), checks });
        }
      }
    }
  }
  const measured = (['single', 'repeat'] as const).filter((mode) => checks.some((c) => c.mode === mode));
  const summary = measured.map((mode) => summarize(checks, mode));
  const path = writeBenchJson('ci-verdicts', { machine: machine(), summary, checks });
  console.log('');
  for (const s of summary) {
    console.log(
      `${s.mode}: false regressions ${s.falseRegressions} (target ${s.falseRegressionsTarget}); 15% slower flagged ${s.slowerFlagged} (target ${s.slowerFlaggedTarget}); ${s.requestsPerCheck} requests and ${s.secondsPerCheck} s a check; load average ${s.loadAverage.mean} (${s.loadAverage.min}-${s.loadAverage.max}) on ${String(machine().cores)} cores`,
    );
    console.log(
      `  worse when unchanged: ${JSON.stringify(s.worseMetricsUnchanged)}; when slower: ${JSON.stringify(s.worseMetricsSlower)}`,
    );
  }
  console.log(`figures: ${path}`);
}

await main();
