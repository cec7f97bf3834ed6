// `npm run bench:emulator`: how much load one emulator process takes on this machine, and
// how much latency it adds. Not a test: it prints figures and writes them to
// reports/bench/emulator.json. Everything talks to 127.0.0.1; the whole run is bounded
// (about a minute and a half).
//
// The emulator runs as `podbench emulate` in a child process (its own process and event
// loop); the load generators (autocannon, undici) run here.
//
// 1. /status polls per second: autocannon, 64 keep-alive connections, GET /status/{id}
//    over 200 finished and 50 running jobs, 10 s after a 2 s warm-up. Target >= 15,000.
// 2. 5,000 jobs streaming at once (10 workers x concurrency 500, time scale 1, legacy
//    worker with default generation settings, 100 tokens each). Jobs arrive over 4 s;
//    once all 5,000 are in progress (seen on /health) the steady window starts, and it
//    ends when the first job finishes (~15 s later). Each job is read with
//    /stream/{id}?wait (long-poll). The latency the emulator adds is, per partial, from its
//    *modelled due time* (the end of the decode step that produced it) to the moment the
//    answer carrying it was written to the waiting client's socket (stats.ts
//    partialDelivery, measured by the emulator, stamped after the write call returned).
//    Target p99 < 5 ms in the steady window. Reported beside it: its first part (step
//    lateness), the event-loop delay, the emulator's CPU seconds, /status round trips
//    measured by a client meanwhile, and the same figures for the ramp-up and drain phases.
// 3. The same 5,000 streams through the OpenAI route of the proxy worker, which writes
//    every decode step's SSE bytes as they come: a socket write per token per stream,
//    ~18,000 writes/s, 500 of them due at the end of each worker's step. Reported the same
//    way, with the same target. A step's SSE writes leave together on the tick after the
//    step (as Node's http layer sends them); each partial is stamped after that flush (until
//    issue 20 it was stamped when queued, before its bytes left).
//
// `node dist/bench/emulator.js long-poll sse` runs only the parts named (status,
// long-poll, sse); BENCH_EMULATOR_STREAMS sets another number of streams for parts 2 and 3;
// BENCH_EMULATOR_NODE_ARGS passes Node flags to the emulator (e.g. --cpu-prof).
//
// The figures depend on what else runs on the machine: the 1-minute load average before
// and after is printed and recorded.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { cpuSecondsSplit, spawnEmulator, type ChildEmulator } from './support.js';
import { Agent, request } from 'undici';

const REPORT = fileURLToPath(new URL('../../reports/bench/emulator.json', import.meta.url));

interface Emulator extends ChildEmulator {
  origin: string;
}

async function startEmulator(args: string[]): Promise<Emulator> {
  // No emulated network: these figures are the emulator's own cost per call.
  const emulator = await spawnEmulator(['--no-rate-limits', '--set', 'network.roundTrip=0', ...args]);
  return { ...emulator, origin: new URL(emulator.url).origin };
}

async function stopEmulator(emulator: Emulator): Promise<void> {
  await emulator.stop();
}

const agent = new Agent({
  connections: 6000,
  pipelining: 1,
  keepAliveTimeout: 120_000,
  headersTimeout: 0,
  bodyTimeout: 0,
});

async function call(method: 'GET' | 'POST', url: string, body?: unknown): Promise<any> {
  const response = await request(url, {
    method,
    dispatcher: agent,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200)
    throw new Error(`${method} ${url}: HTTP ${response.statusCode} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(runners);
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

// ---------------------------------------------------------------- 1. /status polls

async function benchStatusPolls(): Promise<Record<string, unknown>> {
  // Time scale 1: the finished jobs stay readable (30 min retention) and the running ones
  // keep running (8,000 tokens) while autocannon polls them.
  const emulator = await startEmulator(['--workers-min', '2', '--workers-max', '2', '--concurrency', '100']);
  try {
    const done: string[] = [];
    await pool(
      Array.from({ length: 200 }, (_, i) => i),
      50,
      async () => {
        done.push(
          (
            await call('POST', `${emulator.url}/run`, {
              input: { prompt: 'hello', sampling_params: { max_tokens: 20 } },
            })
          ).id,
        );
      },
    );
    // 50 jobs that stay IN_PROGRESS during the measurement (their /status echoes the input).
    const running: string[] = [];
    for (let i = 0; i < 50; i++) {
      running.push(
        (
          await call('POST', `${emulator.url}/run`, {
            input: { prompt: 'still going', sampling_params: { max_tokens: 8000, ignore_eos: true } },
          })
        ).id,
      );
    }
    for (;;) {
      const health = await call('GET', `${emulator.url}/health`);
      if (health.jobs.completed >= 200) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const paths = [...done, ...running].map((id) => ({
      method: 'GET' as const,
      path: `${new URL(emulator.url).pathname}/status/${id}`,
    }));
    const options = { url: emulator.origin, connections: 64, pipelining: 1, requests: paths };
    await autocannon({ ...options, duration: 2 });
    const result = await autocannon({ ...options, duration: 10 });
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(
        `/status polls: ${result.non2xx} answers were not 200 and ${result.errors} failed; the figure would not measure /status`,
      );
    }
    return {
      requestsPerSecond: Math.round(result.requests.average),
      totalRequests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      connections: 64,
      durationS: 10,
    };
  } finally {
    await stopEmulator(emulator);
  }
}

// ---------------------------------------------------------------- 2 and 3. 5,000 streams

type StreamMode = 'native-long-poll' | 'openai-sse';

/**
 * Arrivals are spread over this long (5,000 jobs at 1,250/s). Short enough that the first
 * jobs, which run fast while the batches are still small, are still streaming when the
 * last one arrives.
 */
const RAMP_MS = 4_000;

async function benchStreams(mode: StreamMode, jobs: number, maxTokens: number): Promise<Record<string, unknown>> {
  const emulator = await startEmulator([
    // The proxy worker yields every decode step's SSE bytes: a write per token per stream.
    '--worker',
    mode === 'openai-sse' ? 'proxy' : 'legacy',
    '--workers-min',
    '10',
    '--workers-max',
    '10',
    '--concurrency',
    String(Math.ceil(jobs / 10)),
    '--set',
    'generation.eosProbability=0',
  ]);
  const statusRtts: number[] = [];
  let peakInProgress = 0;
  let partials = 0;
  let stopSampling = false;
  let phase: 'ramp' | 'steady' | 'drain' = 'ramp';
  const phases: Record<string, any> = {};
  // Each phase's figures, with the CPU seconds the emulator process used in it (user and
  // system: socket writes are system time), and those of this process, the load generator.
  const pid = emulator.child.pid as number;
  let cpuMark = cpuSecondsSplit(pid) ?? { userS: 0, systemS: 0 };
  let clientMark = process.cpuUsage();
  let wallMark = performance.now();
  const stats = async (): Promise<any> => {
    const snapshot = await call('GET', `${emulator.origin}/_emulator/stats?reset=1`);
    const cpu = cpuSecondsSplit(pid) ?? cpuMark;
    const client = process.cpuUsage(clientMark);
    snapshot.durationS = round((performance.now() - wallMark) / 1000);
    snapshot.emulatorCpuS = round(cpu.userS + cpu.systemS - cpuMark.userS - cpuMark.systemS);
    snapshot.emulatorSystemCpuS = round(cpu.systemS - cpuMark.systemS);
    snapshot.loadGeneratorCpuS = round((client.user + client.system) / 1e6);
    cpuMark = cpu;
    clientMark = process.cpuUsage();
    wallMark = performance.now();
    return snapshot;
  };
  try {
    await stats();
    const ids: string[] = [];
    const sampler = (async () => {
      while (!stopSampling) {
        const id = ids[Math.floor(Math.random() * ids.length)];
        if (id !== undefined) {
          const started = performance.now();
          await call('GET', `${emulator.url}/status/${id}`);
          if (phase === 'steady') statusRtts.push(performance.now() - started);
        }
        const health = await call('GET', `${emulator.url}/health`);
        peakInProgress = Math.max(peakInProgress, health.jobs.inProgress);
        if (phase === 'ramp' && health.jobs.inProgress === jobs) {
          // Every job is streaming: what happened so far was the ramp; the steady window starts.
          phase = 'steady';
          phases.ramp = await stats();
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const endSteady = async (): Promise<void> => {
      if (phase !== 'steady') return;
      phase = 'drain';
      phases.steady = await stats();
    };
    const started = performance.now();
    await pool(
      Array.from({ length: jobs }, (_, i) => i),
      jobs,
      async (i) => {
        await new Promise((resolve) => setTimeout(resolve, (i * RAMP_MS) / jobs));
        if (mode === 'native-long-poll') {
          const { id } = await call('POST', `${emulator.url}/run`, {
            input: { prompt: `story ${i}`, stream: true, sampling_params: { max_tokens: maxTokens } },
          });
          ids.push(id);
          for (;;) {
            const answer = await call('GET', `${emulator.url}/stream/${id}?wait=120000`);
            partials += answer.stream.length;
            if (answer.status !== 'IN_PROGRESS' && answer.status !== 'IN_QUEUE') break;
          }
        } else {
          const response = await request(`${emulator.url}/openai/v1/completions`, {
            method: 'POST',
            dispatcher: agent,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ prompt: `story ${i}`, max_tokens: maxTokens, stream: true }),
          });
          for await (const chunk of response.body) partials += (chunk as Buffer).toString().split('data: ').length - 1;
        }
        // The first stream to end closes the window in which all of them streamed at once.
        await endSteady();
      },
    );
    const elapsedS = (performance.now() - started) / 1000;
    stopSampling = true;
    await sampler;
    phases.drain = await stats();
    statusRtts.sort((a, b) => a - b);
    const steady = phases.steady ?? {};
    return {
      mode,
      jobs,
      maxTokens,
      rampS: RAMP_MS / 1000,
      peakJobsInProgress: peakInProgress,
      partialsReceived: partials,
      elapsedS: round(elapsedS),
      steadyWindow: {
        addedLatencyMs: steady.partialDelivery,
        stepLatenessMs: steady.stepLateness,
        stepCpuMsPerPartial: steady.stepCpu,
        holdWakeMs: steady.holdWake,
        eventLoopDelayMs: steady.eventLoopDelay,
        durationS: steady.durationS,
        emulatorCpuS: steady.emulatorCpuS,
        emulatorSystemCpuS: steady.emulatorSystemCpuS,
        loadGeneratorCpuS: steady.loadGeneratorCpuS,
        statusRoundTripMs: {
          count: statusRtts.length,
          p50: round(percentile(statusRtts, 0.5)),
          p99: round(percentile(statusRtts, 0.99)),
          max: round(statusRtts[statusRtts.length - 1] ?? 0),
        },
      },
      rampPhase: phases.ramp,
      drainPhase: phases.drain,
    };
  } finally {
    stopSampling = true;
    await stopEmulator(emulator);
  }
}

// ---------------------------------------------------------------- report

function row(name: string, value: string, target: string, pass: boolean | undefined): string {
  const verdict = pass === undefined ? '' : pass ? 'PASS' : 'FAIL';
  return `${name.padEnd(58)} ${value.padStart(14)}  ${target.padEnd(10)} ${verdict}`;
}

/** Parts to run: all by default, or those named on the command line (`status`, `long-poll`, `sse`). */
const ALL_PARTS = ['status', 'long-poll', 'sse'];
/** Streams at once in parts 2 and 3: 5,000 (the target's); BENCH_EMULATOR_STREAMS sets another count for a look at how it scales. */
const STREAMS = Number(process.env.BENCH_EMULATOR_STREAMS ?? 5000);
const parts = new Set(process.argv.length > 2 ? process.argv.slice(2) : ALL_PARTS);
for (const part of parts)
  if (!ALL_PARTS.includes(part)) throw new Error(`unknown part ${part}; parts: ${ALL_PARTS.join(', ')}`);

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadBefore = loadavg()[0] as number;
  process.stdout.write(
    `podbench emulator benchmark (127.0.0.1 only); 1-minute load average before: ${loadBefore.toFixed(2)} on ${cpus().length} CPUs\n`,
  );
  process.stdout.write('1/3 /status polls per second...\n');
  const status = parts.has('status') ? await benchStatusPolls() : {};
  process.stdout.write('2/3 5,000 jobs streaming at once (/stream long-polls)...\n');
  const native = parts.has('long-poll') ? await benchStreams('native-long-poll', STREAMS, 100) : {};
  process.stdout.write('3/3 5,000 jobs streaming at once (proxy worker, OpenAI SSE, a write per token)...\n');
  const sse = parts.has('sse') ? await benchStreams('openai-sse', STREAMS, 100) : {};
  await agent.close();

  const ms = (v: number | undefined): string => (v === undefined ? 'n/a' : `${v.toFixed(2)} ms`);
  const lines = ['', row('metric', 'measured', 'target', undefined)];
  if (parts.has('status')) {
    const rps = status.requestsPerSecond as number;
    lines.push(row('/status polls per second (one emulator process)', String(rps), '>= 15000', rps >= 15000));
    lines.push(
      row(
        '  /status latency p99 (autocannon, 64 connections)',
        ms((status.latencyMs as { p99: number }).p99),
        '',
        undefined,
      ),
    );
  }
  for (const [label, result] of [
    ['/stream long-poll', native],
    ['OpenAI SSE per token', sse],
  ] as const) {
    if (result.steadyWindow === undefined) continue;
    const steady = result.steadyWindow as Record<string, any>;
    const p99 = steady.addedLatencyMs?.p99Ms as number | undefined;
    lines.push(
      row(`5,000 streams at once, ${label}: added latency p99`, ms(p99), '< 5 ms', p99 !== undefined && p99 < 5),
    );
    lines.push(
      row(
        '  /status round trip p99 meanwhile (client side)',
        steady.statusRoundTripMs?.count ? ms(steady.statusRoundTripMs.p99) : 'n/a',
        '',
        undefined,
      ),
    );
    lines.push(
      row(
        '  peak jobs in progress at once',
        String(result.peakJobsInProgress),
        '5000',
        (result.peakJobsInProgress as number) >= 5000,
      ),
    );
    // Every phase: added latency, its first part (step lateness), the CPU a step's delivery
    // costs per partial (what bounds the added latency on an idle core: times the partials
    // due at once), the loop's delay, the emulator's CPU (of which system) and the load
    // generator's, per wall second.
    lines.push(
      `  ${'phase'.padEnd(8)} ${'added p50'.padStart(10)} ${'added p99'.padStart(10)} ${'step late p50'.padStart(14)} ${'step late p99'.padStart(14)} ${'µs CPU/partial'.padStart(15)} ${'loop p99'.padStart(10)} ${'partials'.padStart(9)} ${'CPU s / s'.padStart(12)} ${'sys s'.padStart(6)} ${'client s'.padStart(9)}`,
    );
    const phases: Array<[string, any]> = [
      ['ramp', result.rampPhase],
      [
        'steady',
        {
          partialDelivery: steady.addedLatencyMs,
          stepLateness: steady.stepLatenessMs,
          stepCpu: steady.stepCpuMsPerPartial,
          eventLoopDelay: steady.eventLoopDelayMs,
          durationS: steady.durationS,
          emulatorCpuS: steady.emulatorCpuS,
          emulatorSystemCpuS: steady.emulatorSystemCpuS,
          loadGeneratorCpuS: steady.loadGeneratorCpuS,
        },
      ],
      ['drain', result.drainPhase],
    ];
    for (const [name, phase] of phases) {
      if (phase === undefined) continue;
      const cpu = phase.durationS > 0 ? `${phase.emulatorCpuS.toFixed(1)} / ${phase.durationS.toFixed(1)}` : 'n/a';
      lines.push(
        `  ${name.padEnd(8)} ${ms(phase.partialDelivery?.p50Ms).padStart(10)} ${ms(phase.partialDelivery?.p99Ms).padStart(10)} ${ms(phase.stepLateness?.p50Ms).padStart(14)} ${ms(phase.stepLateness?.p99Ms).padStart(14)} ${(phase.stepCpu?.count ? (phase.stepCpu.p50Ms * 1000).toFixed(1) : 'n/a').padStart(15)} ${ms(phase.eventLoopDelay?.p99Ms).padStart(10)} ${String(phase.partialDelivery?.count ?? 0).padStart(9)} ${cpu.padStart(12)} ${String(phase.emulatorSystemCpuS ?? 'n/a').padStart(6)} ${String(phase.loadGeneratorCpuS ?? 'n/a').padStart(9)}`,
      );
    }
  }
  lines.push('');
  const loadAfter = loadavg()[0] as number;
  lines.push(
    `1-minute load average: ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (this benchmark itself keeps about 1-1.5 CPUs busy)`,
    '',
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  const report = {
    schemaVersion: 1,
    startedAt,
    machine: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      loadAverage1mBefore: loadBefore,
      loadAverage1mAfter: loadAfter,
    },
    definitions: {
      statusPollsPerSecond:
        'autocannon, 64 keep-alive connections, GET /status/{id} over 200 completed and 50 running jobs, 10 s after a 2 s warm-up',
      stepCpuMsPerPartial:
        "per wake of the emulator's timeline that completed decode steps: its process CPU (user + system) from the first step's completion to the end of the writes it queued, divided by the partials delivered (stats.ts stepCpu); times the partials due at once, the delivery time on an idle core",
      addedLatency:
        'per streamed partial: real ms from its modelled due time (end of the decode step that produced it) to the write of the answer carrying it to a client already waiting for it (/stream?wait hold or OpenAI SSE); measured by the emulator (stats.ts partialDelivery)',
    },
    targets: {
      statusPollsPerSecond: 15000,
      addedLatencyP99Ms: 5,
      appliesTo: 'statusPolls, streamsLongPoll.steadyWindow and streamsOpenAISse.steadyWindow',
    },
    results: { statusPolls: status, streamsLongPoll: native, streamsOpenAISse: sse },
  };
  mkdirSync(dirname(REPORT), { recursive: true });
  writeFileSync(REPORT, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`wrote ${REPORT}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
