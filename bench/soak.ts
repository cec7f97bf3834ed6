// `npm run bench:soak [-- --minutes 30]`: memory of a long run. podbench runs a steady open
// loop (stream mode, 40 requests/s, Poisson) against an emulator in its own process for the
// given time; the runner's resident memory is sampled every 10 s. Records go to disk and
// statistics are computed from the file at the end, so memory must stay flat while it runs.
// Loopback only. Prints a table and writes reports/bench/soak.json.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, machine, rssMb, spawnEmulator, writeBenchJson } from './support.js';

const minutesArg = process.argv.indexOf('--minutes');
const minutes = minutesArg > 0 ? Number(process.argv[minutesArg + 1]) : 30;
if (!(minutes > 0 && minutes <= 240)) throw new Error('--minutes: expected 0-240');

const emulator = await spawnEmulator([
  '--workers-min',
  '4',
  '--workers-max',
  '4',
  '--concurrency',
  '64',
  '--no-rate-limits',
  '--set',
  'generation.eosProbability=0',
]);
const dir = mkdtempSync(join(tmpdir(), 'podbench-soak-'));
const scenario = join(dir, 'soak.yaml');
writeFileSync(
  scenario,
  `name: soak
target: { endpoint: "${emulator.url}" }
mode: stream
sampling_params: { max_tokens: 48 }
polling: { interval: 100ms, health: 1s }
load: { rate: 40, arrival: poisson, duration: ${minutes * 60}s }
`,
);
const run = spawn(process.execPath, [BIN, 'run', scenario, '--out', join(dir, 'run'), '--quiet'], {
  env: { ...process.env, RUNPOD_API_KEY: 'soak' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const samples: Array<{ minute: number; rssMb: number }> = [];
const started = Date.now();
const timer = setInterval(() => {
  const rss = rssMb(run.pid as number);
  if (rss !== undefined) samples.push({ minute: (Date.now() - started) / 60_000, rssMb: Math.round(rss * 10) / 10 });
}, 10_000);
let stdout = '';
run.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
const code = await new Promise<number | null>((resolve) => run.on('close', resolve));
clearInterval(timer);
await emulator.stop();

// Flat means: the last third of the run uses no more memory than the first third, give or take GC.
const third = Math.max(1, Math.floor(samples.length / 3));
const mean = (list: typeof samples) => list.reduce((a, s) => a + s.rssMb, 0) / Math.max(1, list.length);
const early = mean(samples.slice(0, third));
const late = mean(samples.slice(-third));
const result = {
  machine: machine(),
  minutes,
  exitCode: code,
  requestsPerSec: 40,
  rssMb: {
    min: Math.min(...samples.map((s) => s.rssMb)),
    max: Math.max(...samples.map((s) => s.rssMb)),
    firstThirdMean: early,
    lastThirdMean: late,
  },
  growthMbPerHour:
    samples.length > 1
      ? ((late - early) / Math.max(1e-9, (samples.at(-1)!.minute - samples[0]!.minute) * (2 / 3))) * 60
      : null,
  samples,
  summary: stdout.split('\n').filter((l) => l.startsWith('default')),
};
console.log(
  `soak: ${minutes} min at 40 req/s: RSS ${result.rssMb.min.toFixed(0)}-${result.rssMb.max.toFixed(0)} MB, first third ${early.toFixed(0)} MB, last third ${late.toFixed(0)} MB`,
);
console.log(result.summary.join('\n'));
console.log(`written ${writeBenchJson('soak', result)}`);
