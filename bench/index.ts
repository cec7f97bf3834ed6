// `npm run bench`: podbench's performance suite, each benchmark in its own process, one
// after another (they would fight over two cores otherwise), then a table of every target
// with its measured figure, written to reports/bench/summary.json. Not part of `npm test`.
// Loopback only; about ten minutes on a 2-core machine.
//
//   emulator   /status polls a second; latency the emulator adds with 5,000 streams
//   engines    native vs autocannon vs k6 on /runsync against a zero-latency target
//   cpu        CPU per 1,000 requests: podbench's engines, plain k6 and vegeta on bench/go-target
//   precision  TTFT error at 256 OpenAI streams on bench/go-target, podbench (1 and 2 client threads) beside k6
//   open-loop  send lag at 500, 2,000 and 5,000 requests/s
//   accuracy   measured minus true first-token and end times at 1, 100 and 1,000 streams
//   memory     RSS with 10,000 async jobs in flight
//   reporting  time and RSS to build every report from 1,000,000 records
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BENCH_DIR, machine, writeBenchJson } from './support.js';

const BENCHES = ['emulator', 'engines', 'cpu', 'precision', 'open-loop', 'accuracy', 'memory', 'reporting'] as const;
const only = process.argv.slice(2).filter((a) => (BENCHES as readonly string[]).includes(a));

for (const name of only.length > 0 ? only : BENCHES) {
  console.log(`\n=== ${name}`);
  const script = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  const result = spawnSync(process.execPath, [script], { stdio: 'inherit', timeout: 10 * 60_000 });
  if (result.status !== 0)
    console.log(`${name}: exited ${result.status ?? result.signal}; its figures are missing below`);
}

const read = (name: string): any => {
  const path = `${BENCH_DIR}${name}.json`;
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
};

interface Row {
  benchmark: string;
  target: string;
  measured: string;
  met: boolean | null;
}
const rows: Row[] = [];
const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '–' : v.toFixed(digits));

const engines = read('engines');
if (engines) {
  const by = (e: string) => engines.results.find((r: any) => r.engine === e);
  const native = by('native');
  const cannon = by('autocannon');
  const k6 = by('k6');
  if (native && cannon) {
    const ratio = native.requestsPerSec / cannon.requestsPerSec;
    const cpuRatio = cannon.cpuSecondsPer1000 / native.cpuSecondsPer1000;
    rows.push({
      benchmark: 'driving rate, /runsync, closed loop 64',
      target: 'native ≥ 0.9× autocannon',
      measured: `${native.requestsPerSec} vs ${cannon.requestsPerSec} req/s (${fmt(ratio, 2)}×); CPU per request ${fmt(cpuRatio, 2)}× autocannon's efficiency`,
      met: ratio >= 0.9,
    });
  }
  if (native && k6)
    rows.push({
      benchmark: 'driving rate vs k6',
      target: 'native above k6',
      measured: `${native.requestsPerSec} vs ${k6.requestsPerSec} req/s`,
      met: native.requestsPerSec > k6.requestsPerSec,
    });
}
const cpu = read('cpu');
if (cpu) {
  // Per request (the long run minus the short one), the median over bench:cpu's rounds.
  type Spread = { median: number; lowest: number; highest: number } | null;
  const per1k = (tool: string): number | undefined =>
    cpu.results.find((r: any) => r.tool === tool)?.marginalCpuSecondsPer1000?.median;
  const range = (s: Spread) =>
    s === null ? '-' : `${fmt(s.median, 2)}×, ${fmt(s.lowest, 2)}-${fmt(s.highest, 2)} over ${cpu.rounds} rounds`;
  const vegeta = per1k('vegeta');
  const { nativeToAutocannon, k6EngineToPlainK6 } = cpu.marginalRatios as Record<string, Spread>;
  if (nativeToAutocannon)
    rows.push({
      benchmark: 'CPU per request, native vs autocannon',
      target: 'native ≤ 0.9× autocannon',
      measured: `${fmt(per1k('native'), 3)} vs ${fmt(per1k('autocannon'), 3)} CPU s per 1,000 (${range(nativeToAutocannon)}); vegeta ${fmt(vegeta, 3)}`,
      met: nativeToAutocannon.median <= 0.9,
    });
  if (k6EngineToPlainK6)
    rows.push({
      benchmark: 'CPU per request, k6 engine vs plain k6',
      target: 'k6 engine ≤ 1.5× plain k6',
      measured: `${fmt(per1k('k6-engine'), 3)} vs ${fmt(per1k('plain-k6'), 3)} CPU s per 1,000 (${range(k6EngineToPlainK6)})`,
      met: k6EngineToPlainK6.median <= 1.5,
    });
}
const precision = read('precision');
if (precision) {
  for (const r of precision.ratios as Array<{ tool: string; errorRatioToK6: { p50: number; p99: number } }>) {
    const own = (precision.results as any[]).filter((f) => f.tool === r.tool);
    const p50s = own.map((f) => f.ttftErrorMs.p50 as number).sort((a, b) => a - b);
    const medianP50 = p50s[Math.floor((p50s.length - 1) / 2)] ?? Number.NaN;
    rows.push({
      benchmark: `TTFT error at ${precision.concurrency} OpenAI streams, ${r.tool} vs k6`,
      target: '≤ 1.5× k6 at p50 and p99; p50 < 5 ms',
      measured: `p50 ${fmt(r.errorRatioToK6.p50, 2)}×, p99 ${fmt(r.errorRatioToK6.p99, 2)}× k6's error; p50 ${fmt(medianP50, 1)} ms`,
      met: r.errorRatioToK6.p50 <= 1.5 && r.errorRatioToK6.p99 <= 1.5 && medianP50 < 5,
    });
  }
}
const open = read('open-loop');
if (open) {
  for (const r of open.rows) {
    rows.push({
      benchmark: `open-loop send lag at ${r.rate}/s`,
      target: r.rate === 2000 ? 'p99 < 2 ms' : '(reported)',
      measured: `p50 ${fmt(r.sendLagP50Ms, 3)} ms, p99 ${fmt(r.sendLagP99Ms, 3)} ms, ${fmt((r.lateOver1msShare ?? 0) * 100, 2)}% > 1 ms late`,
      met: r.rate === 2000 ? (r.sendLagP99Ms ?? Infinity) < 2 : null,
    });
  }
}
const accuracy = read('accuracy');
if (accuracy) {
  for (const r of accuracy.rows) {
    const steady = r.steady;
    rows.push({
      benchmark: `measurement error, ${r.mode}, ${r.streams} streams`,
      target: r.streams === 1000 ? 'p99 < 2 ms' : '(reported)',
      measured: `all: first token p99 ${fmt(r.firstTokenErrorMs.p99, 2)}, end p99 ${fmt(r.endErrorMs.p99, 2)} ms; steady state: first token p50 ${fmt(steady?.firstTokenErrorMs.p50, 2)} / p99 ${fmt(steady?.firstTokenErrorMs.p99, 2)}, end p99 ${fmt(steady?.endErrorMs.p99, 2)} ms; podbench's loop delay p99 ${fmt(r.clientLoopDelayMs?.p99, 2)} ms`,
      met: r.streams === 1000 ? Math.max(r.firstTokenErrorMs.p99 ?? Infinity, r.endErrorMs.p99 ?? Infinity) < 2 : null,
    });
  }
}
const memory = read('memory');
if (memory)
  rows.push({
    benchmark: 'RSS, 10,000 async jobs in flight',
    target: '< 500 MB',
    measured: `${memory.inFlight.rssAtFullMb} MB (peak ${memory.inFlight.peakRssMb} MB)`,
    met: memory.inFlight.rssAtFullMb !== null && memory.inFlight.rssAtFullMb < 500,
  });
const reporting = read('reporting');
if (reporting) {
  rows.push({
    benchmark: `reports from ${reporting.records.toLocaleString('en-US')} records`,
    target: '< 10 s, peak RSS < 500 MB',
    measured: `${fmt(reporting.seconds)} s, CPU ${fmt(reporting.cpuSeconds)} s (${fmt(reporting.ndjsonMb, 0)} MB ndjson; peak RSS ${fmt(reporting.peakRssMb, 0)} MB)`,
    met: reporting.seconds < 10 && reporting.peakRssMb !== undefined && reporting.peakRssMb < 500,
  });
}
const emulator = read('emulator');
if (emulator) {
  const polls = emulator.results?.statusPolls;
  if (polls)
    rows.push({
      benchmark: 'emulator /status polls per second',
      target: '≥ 15,000',
      measured: `${polls.requestsPerSecond}`,
      met: polls.requestsPerSecond >= 15000,
    });
  for (const [key, label] of [
    ['streamsLongPoll', 'emulator added latency, 5,000 long-polled streams'],
    ['streamsOpenAISse', 'emulator added latency, 5,000 OpenAI SSE streams'],
  ] as const) {
    const added = emulator.results?.[key]?.steadyWindow?.addedLatencyMs;
    if (added)
      rows.push({
        benchmark: label,
        target: 'p99 < 5 ms',
        measured: `p50 ${fmt(added.p50Ms, 2)} ms, p99 ${fmt(added.p99Ms, 2)} ms`,
        met: added.p99Ms < 5,
      });
  }
}
const soak = read('soak');
if (soak)
  rows.push({
    benchmark: `soak: ${soak.minutes} min at ${soak.requestsPerSec} req/s`,
    target: 'flat memory',
    measured: `RSS first third ${fmt(soak.rssMb.firstThirdMean, 0)} MB, last third ${fmt(soak.rssMb.lastThirdMean, 0)} MB (max ${fmt(soak.rssMb.max, 0)})`,
    met: soak.rssMb.lastThirdMean <= soak.rssMb.firstThirdMean * 1.1 + 10,
  });

const widths = [44, 26];
console.log(`\n=== summary (${machine().cores as number} cores, ${machine().cpu as string}, ${process.version})\n`);
for (const r of rows)
  console.log(
    `${r.met === null ? ' ' : r.met ? '✓' : '✗'} ${r.benchmark.padEnd(widths[0] as number)} ${r.target.padEnd(widths[1] as number)} ${r.measured}`,
  );
console.log(`\nwritten ${writeBenchJson('summary', { machine: machine(), rows })}`);
