// `npm run bench:llama`: time to first token and tokens per second of the emulator's llama
// backend (stories260K through node-llama-cpp), measured THROUGH podbench at concurrency 1,
// 4 and 16, next to the same engine asked directly on this machine. Not a test: it prints
// a table and writes reports/bench/llama.json. Loopback only; about a minute. Needs
// `npm run install:llama` and shared/models/stories260K.gguf.
//
// Engine alone: one context as an emulated worker has it (30 sequences of 2,048 tokens, 1
// thread); N sequences decode 128 tokens each from "Once upon a time" at once, in rounds
// (4,096 tokens or more at each concurrency, after a warm-up round); TTFT is from the
// evaluate call to the first token.
// Through podbench: `podbench run` on the embedded emulator, one warm worker (every request
// on one context, as above), timeScale 1, openai-stream mode (SSE: podbench stamps each token
// as it arrives), the same prompt on /v1/completions, 128 tokens (ignore_eos), a closed loop
// at each concurrency for 8 s after a 2 s warmup. TTFT is podbench's (send -> first token on
// the socket: HTTP, the queue, the job's dispatch and the prefill); tokens/s is podbench's
// output throughput over the measured window, and per stream 1000 / TPOT.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from '../src/core/summary.js';
import { loadLlamaRuntime } from '../src/emulator/llama/runtime.js';
import { resolveModelPath } from '../src/emulator/llama/model-path.js';
import { machine, runPodbench, writeBenchJson } from './support.js';

const PROMPT = 'Once upon a time';
const TOKENS = 128;
const CONCURRENCY = [1, 4, 16];

interface Figures {
  concurrency: number;
  ttftMsP50: number | null;
  ttftMsP95: number | null;
  /** All streams together. */
  tokensPerSec: number | null;
  /** One stream: 1000 / TPOT p50 (engine: tokens after the first / their time). */
  perStreamTokensPerSec: number | null;
}

const round = (x: number | null | undefined, digits = 1): number | null =>
  x === null || x === undefined ? null : Math.round(x * 10 ** digits) / 10 ** digits;

async function engineAlone(): Promise<Figures[]> {
  const { llama } = await loadLlamaRuntime();
  const model = await llama.loadModel({ modelPath: resolveModelPath(undefined) });
  // As one emulated worker has it: workers.concurrency (30) sequences of the model's 2,048 tokens.
  const context = await model.createContext({ sequences: 30, contextSize: 2048, threads: 1 });
  const prompt = [1, ...model.tokenize(PROMPT, true)];
  // Sequence ids come back to a context asynchronously after dispose(): hold them all, clear between rounds.
  const sequences = Array.from({ length: Math.max(...CONCURRENCY) }, () => context.getSequence());
  const figures: Figures[] = [];
  try {
    for (const n of CONCURRENCY) {
      const rounds: Array<{ ttft: number[]; wallMs: number; rates: number[] }> = [];
      // At least 4,096 tokens measured per concurrency, after one round that warms up.
      const roundCount = 1 + Math.max(3, Math.ceil(4096 / (n * TOKENS)));
      for (let round = 0; round < roundCount; round++) {
        const ttft: number[] = [];
        const rates: number[] = [];
        const started = performance.now();
        await Promise.all(
          Array.from({ length: n }, async (_, i) => {
            const sequence = sequences[i] as (typeof sequences)[number];
            const t0 = performance.now();
            let first = 0;
            let count = 0;
            for await (const _token of sequence.evaluateWithMetadata(
              prompt,
              {},
              { temperature: 0.8, topK: 0, topP: 1, minP: 0, seed: round * 100 + i, yieldEogToken: true },
            )) {
              if (count === 0) {
                first = performance.now();
                ttft.push(first - t0);
              }
              if (++count >= TOKENS) break;
            }
            rates.push(((count - 1) * 1000) / (performance.now() - first));
            await sequence.clearHistory();
          }),
        );
        rounds.push({ ttft, wallMs: performance.now() - started, rates });
      }
      const measured = rounds.slice(1); // the first round warms the engine up
      const ttft = measured.flatMap((r) => r.ttft).sort((a, b) => a - b);
      const rates = measured.flatMap((r) => r.rates).sort((a, b) => a - b);
      const wallMs = measured.reduce((sum, r) => sum + r.wallMs, 0);
      figures.push({
        concurrency: n,
        ttftMsP50: round(ttft[Math.floor(ttft.length / 2)]),
        ttftMsP95: round(ttft[Math.min(ttft.length - 1, Math.floor(ttft.length * 0.95))]),
        tokensPerSec: round((measured.length * n * TOKENS * 1000) / wallMs, 0),
        perStreamTokensPerSec: round(rates[Math.floor(rates.length / 2)], 0),
      });
    }
  } finally {
    await context.dispose();
    await model.dispose();
  }
  return figures;
}

async function throughPodbench(): Promise<{ figures: Figures[]; errors: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'podbench-bench-llama-'));
  writeFileSync(join(dir, 'prompts.jsonl'), `${JSON.stringify({ prompt: PROMPT })}\n`);
  writeFileSync(
    join(dir, 'llama.yaml'),
    `name: bench-llama
mode: openai-stream
input: { format: openai_completions, file: prompts.jsonl }
sampling_params: { max_tokens: ${TOKENS}, temperature: 0.8, ignore_eos: true }
polling: { health: 0 }
load: { concurrency: 1, duration: 8s, warmup: 2s }
matrix:
  load.concurrency: [${CONCURRENCY.join(', ')}]
emulator:
  backend: llama
  timeScale: 1
  network: { roundTrip: 0 }
  workers: { min: 1, max: 1 }
  rateLimits: { enabled: false }
seed: 1
`,
  );
  const out = join(dir, 'run');
  const result = await runPodbench(['run', join(dir, 'llama.yaml'), '--out', out, '--quiet']);
  if (result.code !== 0) throw new Error(`podbench run exited ${result.code}: ${result.stderr}`);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
  let errors = 0;
  const figures = summary.variants.map((variant, i): Figures => {
    errors += variant.counts.failed;
    const tpot = variant.metrics.tpotMs.p50;
    return {
      concurrency: CONCURRENCY[i] as number,
      ttftMsP50: round(variant.metrics.ttftMs.p50),
      ttftMsP95: round(variant.metrics.ttftMs.p95),
      tokensPerSec: round(variant.throughput.outputTokensPerSec, 0),
      perStreamTokensPerSec: tpot === null || tpot === 0 ? null : round(1000 / tpot, 0),
    };
  });
  return { figures, errors };
}

const engine = await engineAlone();
const podbench = await throughPodbench();
const show = (x: number | null): string => (x === null ? 'n/a' : String(x));
process.stdout.write(`\nstories260K, ${TOKENS} tokens per request, 1 thread, one worker (one context)\n`);
process.stdout.write(
  'concurrency  engine TTFT p50/p95 ms  engine tok/s (per stream)  podbench TTFT p50/p95 ms  podbench tok/s (per stream)\n',
);
for (let i = 0; i < CONCURRENCY.length; i++) {
  const e = engine[i] as Figures;
  const p = podbench.figures[i] as Figures;
  process.stdout.write(
    `${String(e.concurrency).padStart(11)}  ${`${show(e.ttftMsP50)} / ${show(e.ttftMsP95)}`.padStart(22)}  ${`${show(e.tokensPerSec)} (${show(e.perStreamTokensPerSec)})`.padStart(25)}  ${`${show(p.ttftMsP50)} / ${show(p.ttftMsP95)}`.padStart(24)}  ${`${show(p.tokensPerSec)} (${show(p.perStreamTokensPerSec)})`.padStart(27)}\n`,
  );
}
if (podbench.errors > 0) process.stdout.write(`podbench: ${podbench.errors} failed requests\n`);
const path = writeBenchJson('llama', {
  machine: machine(),
  prompt: PROMPT,
  tokens: TOKENS,
  engine,
  podbench: podbench.figures,
  podbenchErrors: podbench.errors,
});
process.stdout.write(`\nwrote ${path}\n`);
