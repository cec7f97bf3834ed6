// `npm run bench:precision`: how close podbench's TTFT comes to the truth at hundreds of
// concurrent streams, beside k6 measuring the same target in the same run. Not a test: it
// prints a table and writes reports/bench/precision.json. Loopback only; about a minute per
// round.
//
// Target: bench/go-target, OpenAI streaming with exact timings: the first token 300 ms after
// a request arrives, then one every 10 ms, 20 in all (E2E 490 ms). The SSE headers wait for
// the first token, so k6 (whose http module reads a body whole) sees TTFT as its time to
// first byte (http_req_waiting).
// Load: a closed loop of 256 streams (CONCURRENCY) for 9 s, one tool at a time:
//   k6              constant-vus, http.post of the same kind of body; its TTFB is its TTFT
//   podbench w=N    `podbench run --mode openai-stream --workers N` (1 s warmup + 8 s), N = 1, 2
// Figures: each tool's error against the truth (measured minus 300 ms) at p50 and p99, over
// every request it measured; its CPU seconds; podbench's worst client loop delay. Ratios
// podbench/k6 are of errors measured in the same round. Rounds alternate the tools, so a
// disturbance of the machine falls on all of them.
//
// `--pin`: the target on CPU 0 and the tool on the other CPUs (taskset): what a machine
// where the target does not share the client's cores gives (on 2 cores: one core each).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findK6Binary } from '../src/engines/k6/binary.js';
import type { SummaryFile } from '../src/core/summary.js';
import { BIN, machine, measuredTree, spawnGoTarget, writeBenchJson } from './support.js';

const CONCURRENCY = Number(process.env.PRECISION_CONCURRENCY ?? 256);
const TTFT_MS = 300;
const TOKEN_MS = 10;
const TOKENS = 20;
const SECONDS = 9;
const K6_ENV = { K6_NO_USAGE_REPORT: 'true', K6_AUTO_EXTENSION_RESOLUTION: 'false' };

interface ToolFigures {
  tool: string;
  round: number;
  requests: number;
  ttftErrorMs: { p50: number; p99: number };
  cpuSeconds: number;
  /** podbench only: the worst client thread's event-loop delay p99. */
  loopDelayP99Ms?: number;
  threads?: number;
  loadAverage: [number, number];
}

const r2 = (x: number) => Math.round(x * 100) / 100;

function k6Script(url: string): string {
  return `import http from 'k6/http';
export const options = {
  scenarios: { streams: { executor: 'constant-vus', vus: ${CONCURRENCY}, duration: '${SECONDS}s' } },
  summaryTrendStats: ['p(50)', 'p(99)', 'count'],
};
const body = JSON.stringify({
  model: 'go-target',
  messages: [{ role: 'user', content: 'Tell me a story about a benchmark that told the truth.' }],
  max_tokens: ${TOKENS},
  stream: true,
  stream_options: { include_usage: true },
});
const params = { headers: { 'content-type': 'application/json' } };
export default function () {
  http.post('${url}/chat/completions', body, params);
}
`;
}

async function runK6(url: string, pin: string[], round: number): Promise<ToolFigures> {
  const k6 = findK6Binary(process.env);
  if (!k6) throw new Error('no k6 binary (K6_BINARY, PATH or ~/go/bin)');
  const dir = mkdtempSync(join(tmpdir(), 'podbench-precision-'));
  writeFileSync(join(dir, 'script.js'), k6Script(url));
  const load0 = loadavg()[0] as number;
  const run = await measuredTree(
    [
      ...pin,
      k6,
      'run',
      '--no-usage-report',
      '--quiet',
      '--summary-export',
      join(dir, 'summary.json'),
      join(dir, 'script.js'),
    ],
    K6_ENV,
  );
  if (run.code !== 0) throw new Error(`k6 exited ${run.code}: ${run.stderr.slice(-2000)}`);
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
    metrics: Record<string, Record<string, number>>;
  };
  const waiting = summary.metrics.http_req_waiting as Record<string, number>;
  return {
    tool: 'k6',
    round,
    requests: summary.metrics.http_reqs?.count ?? 0,
    ttftErrorMs: { p50: r2((waiting['p(50)'] as number) - TTFT_MS), p99: r2((waiting['p(99)'] as number) - TTFT_MS) },
    cpuSeconds: run.cpuSeconds,
    loadAverage: [load0, loadavg()[0] as number],
  };
}

async function runPodbenchAt(url: string, workers: number, pin: string[], round: number): Promise<ToolFigures> {
  const out = join(mkdtempSync(join(tmpdir(), 'podbench-precision-')), 'run');
  const load0 = loadavg()[0] as number;
  const run = await measuredTree(
    [
      ...pin,
      process.execPath,
      BIN,
      'run',
      '--endpoint',
      url,
      '--target',
      'openai',
      '--mode',
      'openai-stream',
      '--set',
      'input.model=go-target',
      '--set',
      `sampling_params.max_tokens=${TOKENS}`,
      '--concurrency',
      String(CONCURRENCY),
      '--requests',
      '1000000',
      '--warmup',
      '1s',
      '--duration',
      `${SECONDS - 1}s`,
      '--workers',
      String(workers),
      '--quiet',
      '--out',
      out,
    ],
    { RUNPOD_API_KEY: 'bench' },
  );
  if (run.code !== 0) throw new Error(`podbench exited ${run.code}: ${run.stderr.slice(-2000)}`);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as SummaryFile;
  const v = summary.variants[0];
  if (!v) throw new Error('podbench wrote no variant');
  const ttft = v.metrics.ttftMs;
  return {
    tool: `podbench w=${workers}`,
    round,
    requests: v.counts.ok,
    ttftErrorMs: { p50: r2((ttft.p50 ?? Number.NaN) - TTFT_MS), p99: r2((ttft.p99 ?? Number.NaN) - TTFT_MS) },
    cpuSeconds: run.cpuSeconds,
    ...(v.clientLoopDelay ? { loopDelayP99Ms: v.clientLoopDelay.ms.p99, threads: v.clientLoopDelay.threads ?? 1 } : {}),
    loadAverage: [load0, loadavg()[0] as number],
  };
}

async function main(): Promise<void> {
  const pinned = process.argv.includes('--pin');
  const rounds = Number(process.argv.find((a) => /^--rounds=\d+$/.test(a))?.split('=')[1] ?? 3);
  const cores = availableParallelism();
  if (pinned && cores < 2) throw new Error('--pin needs 2 CPUs or more');
  const toolCpus = pinned ? ['taskset', '-c', `1-${cores - 1}`] : [];
  const target = await spawnGoTarget({
    ttftMs: TTFT_MS,
    tokenMs: TOKEN_MS,
    tokens: TOKENS,
    headersWithFirstToken: true,
    ...(pinned ? { cpus: '0' } : {}),
  });
  // The OpenAI routes under /v1, as a model server serves them.
  const url = `${new URL(target.url).origin}/v1`;
  const results: ToolFigures[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const tool of ['k6', 'w1', 'w2']) {
        const figures =
          tool === 'k6'
            ? await runK6(url, toolCpus, round)
            : await runPodbenchAt(url, tool === 'w1' ? 1 : 2, toolCpus, round);
        results.push(figures);
        console.log(
          `round ${round} ${figures.tool.padEnd(12)} requests ${String(figures.requests).padStart(6)}  TTFT error p50 ${figures.ttftErrorMs.p50.toFixed(2).padStart(6)} ms  p99 ${figures.ttftErrorMs.p99.toFixed(2).padStart(7)} ms  CPU ${figures.cpuSeconds.toFixed(2)} s${figures.loopDelayP99Ms === undefined ? '' : `  loop p99 ${figures.loopDelayP99Ms} ms`}  load ${figures.loadAverage.map((l) => l.toFixed(2)).join('→')}`,
        );
      }
    }
  } finally {
    await target.stop();
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2
      ? (s[(s.length - 1) / 2] as number)
      : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
  };
  const ratios = ['podbench w=1', 'podbench w=2'].map((tool) => {
    const per = (key: 'p50' | 'p99') =>
      median(
        results
          .filter((f) => f.tool === tool)
          .map((f) => {
            const k6 = results.find((k) => k.tool === 'k6' && k.round === f.round) as ToolFigures;
            return f.ttftErrorMs[key] / Math.max(k6.ttftErrorMs[key], 0.5);
          }),
      );
    return { tool, errorRatioToK6: { p50: r2(per('p50')), p99: r2(per('p99')) } };
  });
  console.log(
    `\nTTFT error against k6's in the same round (median over ${rounds} rounds; k6's error floored at 0.5 ms):`,
  );
  for (const r of ratios) console.log(`  ${r.tool}: p50 ${r.errorRatioToK6.p50}x  p99 ${r.errorRatioToK6.p99}x`);
  const file = writeBenchJson(pinned ? 'precision-pinned' : 'precision', {
    machine: machine(),
    concurrency: CONCURRENCY,
    truth: { ttftMs: TTFT_MS, tokenMs: TOKEN_MS, tokens: TOKENS },
    pinned,
    results,
    ratios,
  });
  console.log(`written ${file}`);
}

await main();
