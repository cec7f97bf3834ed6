// `npm run bench:engines`: how fast each engine drives /runsync, and what it costs in CPU,
// side by side in one run on this machine. Not a test: it prints a table and writes
// reports/bench/engines.json. Loopback only; about a minute.
//
// Target: the emulator with zero latency (generation.stepMs, stepMsPerSequence and
// prefillMsPerToken 0, no jitter), 4 warm workers taking 1,000 jobs each, rate limits off,
// in its own process (`podbench emulate`), so the engines never share its CPU.
// Load: the same scenario for every engine: sync mode, closed loop, 64 concurrent
// requests, a 2 s warmup, then 10 s measured; `podbench run --engine <name>` as a user
// would run it, each in a fresh process.
// Figures: requests per second over the measured window (summary.json throughput), and CPU
// seconds per 1,000 requests of the engine's whole process tree (podbench, and k6 for the
// k6 engine: a shell around the run reads its children's CPU from /proc, Linux only),
// startup included, plus the emulator's CPU per 1,000 requests over the same run.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findK6Binary } from '../src/engines/k6/binary.js';
import type { RunSummary } from '../src/core/summary.js';
import { BIN, measuredTree, spawnEmulator, spawnFastTarget, type ChildEmulator } from './support.js';

const REPORT = fileURLToPath(new URL('../../reports/bench/engines.json', import.meta.url));
const CONCURRENCY = 64;
const WARMUP = '2s';
const DURATION = '10s';

/** The emulator at zero latency, 4 warm workers taking 1,000 jobs each, rate limits off. */
function startEmulator(): Promise<ChildEmulator> {
  const settings = [
    'generation.stepMs=0',
    'generation.stepMsPerSequence=0',
    'generation.prefillMsPerToken=0',
    'generation.jitter=0',
    'network.roundTrip=0',
  ];
  return spawnEmulator([
    '--no-rate-limits',
    '--workers-min',
    '4',
    '--workers-max',
    '4',
    '--concurrency',
    '1000',
    ...settings.flatMap((s) => ['--set', s]),
  ]);
}

/** CPU seconds (user + system) of a running process, from /proc/<pid>/stat. */
function procCpu(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "(comm)": state is field 3; utime 14, stime 15 (1-based, man proc).
  const at = (n: number) => Number(fields[n - 3]);
  return (at(14) + at(15)) / 100; // USER_HZ is 100 on Linux
}

interface EngineFigures {
  engine: string;
  requestsPerSec: number | null;
  requests: number;
  errors: number;
  cpuSeconds: number;
  cpuSecondsPer1000: number;
  emulatorCpuSecondsPer1000: number;
  wallSeconds: number;
  /** The machine's 1-minute load average before and after: other work on a shared machine moves req/s far more than CPU per request. */
  loadAverage: [number, number];
}

/** Runs `podbench run` in a shell that prints its children's CPU when the run is over. */
function runEngine(
  engine: string,
  scenario: string,
  out: string,
): Promise<{ cpuSeconds: number; code: number | null; stderr: string }> {
  // The emulator runs without a key; podbench wants one for any named endpoint.
  return measuredTree([process.execPath, BIN, 'run', scenario, '--engine', engine, '--out', out, '--quiet'], {
    RUNPOD_API_KEY: 'bench',
  });
}

async function main(): Promise<void> {
  const k6 = findK6Binary(process.env);
  const engines = ['native', 'autocannon', ...(k6 ? ['k6'] : [])];
  if (!k6) console.warn('k6 not found (K6_BINARY, PATH, ~/go/bin): the k6 engine is left out');
  // The zero-latency target by default (bench/fast-target.ts: far cheaper per request
  // than any engine, so the engines are what is measured); --emulator uses the emulator.
  const onEmulator = process.argv.includes('--emulator');
  const emulator = onEmulator ? await startEmulator() : await spawnFastTarget();
  const dir = mkdtempSync(join(tmpdir(), 'podbench-bench-engines-'));
  const scenario = join(dir, 'runsync.yaml');
  writeFileSync(
    scenario,
    `name: bench-engines
target: { endpoint: ${emulator.url} }
mode: sync
input: { synthetic: { promptTokens: 16, spread: 0 } }
sampling_params: { max_tokens: 4 }
polling: { health: 0 }
load: { concurrency: ${CONCURRENCY}, duration: ${DURATION}, warmup: ${WARMUP} }
`,
  );
  const results: EngineFigures[] = [];
  try {
    for (const engine of engines) {
      const out = join(dir, engine);
      const loadBefore = loadavg()[0] as number;
      const emulatorBefore = procCpu(emulator.child.pid as number);
      const started = performance.now();
      const run = await runEngine(engine, scenario, out);
      const wallSeconds = (performance.now() - started) / 1000;
      const emulatorCpu = procCpu(emulator.child.pid as number) - emulatorBefore;
      if (run.code !== 0) throw new Error(`${engine}: podbench run exited with ${run.code}\n${run.stderr}`);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
      const variant = summary.variants[0];
      if (!variant) throw new Error(`${engine}: no variant in summary.json`);
      const requests = variant.counts.sent + variant.counts.warmup;
      results.push({
        engine,
        requestsPerSec:
          variant.throughput.requestsPerSec === null ? null : Math.round(variant.throughput.requestsPerSec),
        requests,
        errors: variant.counts.failed,
        cpuSeconds: Math.round(run.cpuSeconds * 100) / 100,
        cpuSecondsPer1000: Math.round((run.cpuSeconds / requests) * 1000 * 1000) / 1000,
        emulatorCpuSecondsPer1000: Math.round((emulatorCpu / requests) * 1000 * 1000) / 1000,
        wallSeconds: Math.round(wallSeconds * 10) / 10,
        loadAverage: [Math.round(loadBefore * 100) / 100, Math.round((loadavg()[0] as number) * 100) / 100],
      });
      console.log(`${engine}: done`);
    }
  } finally {
    emulator.child.kill('SIGTERM');
  }
  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAverage1m: loadavg()[0],
    date: new Date().toISOString(),
  };
  const targetName = onEmulator ? 'zero-latency emulator' : 'zero-latency target (bench/fast-target.ts)';
  console.log(
    `\n/runsync, ${targetName} in its own process, closed loop ${CONCURRENCY}, ${WARMUP} warmup + ${DURATION} measured (${machine.cpus} × ${machine.cpu})\n`,
  );
  console.log('engine      req/s  requests  errors  CPU s  CPU s/1k req  target CPU s/1k req  load avg');
  for (const r of results) {
    console.log(
      `${r.engine.padEnd(10)} ${String(r.requestsPerSec ?? '-').padStart(6)} ${String(r.requests).padStart(9)} ${String(r.errors).padStart(7)} ${r.cpuSeconds.toFixed(2).padStart(6)} ${r.cpuSecondsPer1000.toFixed(3).padStart(13)} ${r.emulatorCpuSecondsPer1000.toFixed(3).padStart(22)}  ${r.loadAverage.join(' → ')}`,
    );
  }
  mkdirSync(join(REPORT, '..'), { recursive: true });
  writeFileSync(
    REPORT,
    `${JSON.stringify({ machine, target: targetName, concurrency: CONCURRENCY, warmup: WARMUP, duration: DURATION, results }, null, 2)}\n`,
  );
  console.log(`\nwritten: ${REPORT}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
