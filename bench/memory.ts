// `npm run bench:memory`: podbench's resident memory with 10,000 async jobs in flight, each
// polled on /status. The emulator (its own process) holds them for minutes (slow decoding);
// podbench runs a closed loop of 10,000 in async mode with a 5 s poll interval, and its RSS is
// sampled every second while /health shows 10,000 jobs queued or running. The run ends on a
// time budget, and the jobs are cancelled. Target: under 500 MB. Loopback only; about 1 min.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, machine, rssMb, spawnEmulator, writeBenchJson } from './support.js';

export interface InFlightResult {
  inFlightTarget: number;
  maxInFlightSeen: number;
  peakRssMb: number;
  rssAtFullMb: number | null;
  secondsAtFull: number;
}

async function health(url: string): Promise<number> {
  try {
    const body = (await (await fetch(`${url}/health`, { headers: { authorization: 'bench' } })).json()) as {
      jobs?: { inQueue?: number; inProgress?: number };
    };
    return (body.jobs?.inQueue ?? 0) + (body.jobs?.inProgress ?? 0);
  } catch {
    return 0;
  }
}

export async function benchInFlight(jobs = 10_000): Promise<InFlightResult> {
  const emulator = await spawnEmulator([
    '--api-key',
    'bench',
    '--no-rate-limits',
    '--workers-min',
    '10',
    '--workers-max',
    '10',
    '--concurrency',
    String(jobs / 10),
    '--set',
    'generation.stepMs=200',
    '--set',
    'generation.eosProbability=0',
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'podbench-mem-'));
  const scenario = join(dir, 's.yaml');
  writeFileSync(
    scenario,
    `name: inflight\ntarget: { endpoint: "${emulator.url}" }\nmode: async\nsampling_params: { max_tokens: 4000, ignore_eos: true }\npolling: { interval: 5s, health: 0 }\nload: { concurrency: ${jobs}, requests: ${jobs} }\ntimeouts: { request: 10m }\n`,
  );
  const run = spawn(
    process.execPath,
    [BIN, 'run', scenario, '--out', join(dir, 'run'), '--quiet', '--max-duration', '45s', '--grace', '1s'],
    {
      env: { ...process.env, RUNPOD_API_KEY: 'bench' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  // The run is meant to end on its 45 s budget with every job cut short (and to warn about
  // rate limits it cannot know the emulator has switched off): show stderr only otherwise.
  let stderr = '';
  run.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let peak = 0;
  let atFull: number | null = null;
  let maxSeen = 0;
  let fullSamples = 0;
  const timer = setInterval(() => {
    void (async () => {
      const rss = rssMb(run.pid as number);
      const inFlight = await health(emulator.url);
      maxSeen = Math.max(maxSeen, inFlight);
      if (rss !== undefined) {
        peak = Math.max(peak, rss);
        if (inFlight >= jobs) {
          atFull = Math.max(atFull ?? 0, rss);
          fullSamples += 1;
        }
      }
    })();
  }, 1000);
  await new Promise((resolve) => run.on('close', resolve));
  if (!stderr.includes('budget.maxDuration')) process.stderr.write(stderr);
  clearInterval(timer);
  await emulator.stop();
  return {
    inFlightTarget: jobs,
    maxInFlightSeen: maxSeen,
    peakRssMb: Math.round(peak),
    rssAtFullMb: atFull === null ? null : Math.round(atFull),
    secondsAtFull: fullSamples,
  };
}

if (process.argv[1]?.endsWith('memory.js')) {
  const result = await benchInFlight();
  console.log(
    `${result.inFlightTarget.toLocaleString('en-US')} async jobs in flight (max seen ${result.maxInFlightSeen}): RSS ${result.rssAtFullMb} MB while all were in flight (${result.secondsAtFull} s), peak ${result.peakRssMb} MB`,
  );
  console.log(`written ${writeBenchJson('memory', { machine: machine(), inFlight: result })}`);
}
