// `npm run bench:stream-cost`: podbench's CPU per streamed event on its own streaming path
// (socket → undici → time-stamp → SSE and JSON parse → record fields), without the runner,
// the schedule or the reports around it. Not a test: it prints µs of CPU per event and
// writes reports/bench/stream-cost.json. Loopback only; about 20 seconds.
//
// Target: bench/go-target in its own process, OpenAI streams of 200 tokens 2 ms apart.
// Load: 64 streams at a time through the native engine's own request code (executeRequest
// with podbench's HTTP client), a new stream as soon as one ends, for 10 s after a 2 s
// warm-up. Figure: this process's CPU (user + system, process.cpuUsage) over the measured
// window divided by the SSE events read in it; beside it the same for whole answers (no
// stream) per request, to separate the per-request part.
import { loadavg } from 'node:os';
import type { RequestRecord } from '../src/core/record.js';
import { createHttpClient } from '../src/runpod/http-client.js';
import { targetCalls } from '../src/runpod/targets/calls.js';
import { executeRequest } from '../src/engines/native/execute.js';
import { createSleeper, type RequestEnv } from '../src/engines/native/request-env.js';
import { parseScenario } from '../src/scenario/load.js';
import { createRng } from '../src/util/rng.js';
import { machine, spawnGoTarget, writeBenchJson } from './support.js';

const STREAMS = 64;
const TOKENS = 200;
const WARMUP_MS = 2000;
const MEASURE_MS = 10_000;

async function measure(
  mode: 'openai-stream' | 'openai',
  url: string,
): Promise<{ events: number; requests: number; cpuUs: number }> {
  const loaded = parseScenario(
    `name: stream-cost\nmode: ${mode}\ntarget: { endpoint: ${url}, kind: openai }\ninput: { format: openai_chat, model: go-target }\nsampling_params: { max_tokens: ${TOKENS} }\n`,
    'stream-cost.yaml',
  );
  const scenario = loaded.variants[0]?.scenario;
  if (!scenario) throw new Error('no variant');
  const http = createHttpClient(undefined, { maxBodyBytes: scenario.limits.maxBodyBytes });
  const sleeper = createSleeper();
  const env: RequestEnv = {
    endpointUrl: url,
    calls: targetCalls('openai', url),
    scenario,
    model: 'go-target',
    clock: () => performance.now(),
    http,
    rng: createRng(1),
    jobs: { submitted() {}, settled() {}, abandon() {}, cancelledOnInterrupt: () => false },
    interrupted: () => false,
    sleep: (ms) => sleeper.sleep(ms),
  };
  const bodyText = JSON.stringify({
    model: 'go-target',
    messages: [{ role: 'user', content: 'Count the events.' }],
    max_tokens: TOKENS,
    stream: mode === 'openai-stream',
    ...(mode === 'openai-stream' ? { stream_options: { include_usage: true } } : {}),
  });
  const started = performance.now();
  let measuring = false;
  let cpuStart: NodeJS.CpuUsage | undefined;
  let events = 0;
  let requests = 0;
  let seq = 0;
  const stream = async (): Promise<void> => {
    while (performance.now() - started < WARMUP_MS + MEASURE_MS) {
      const record: RequestRecord = await executeRequest(env, {
        seq: seq++,
        variant: 'default',
        phase: 'measure',
        scheduledMs: performance.now(),
        path: '/v1/chat/completions',
        bodyText,
      });
      if (record.outcome !== 'ok') throw new Error(`${record.outcome}: ${record.error}`);
      if (measuring) {
        requests += 1;
        events += (record.chunks?.length ?? 0) + 2; // token chunks, the usage chunk, [DONE]
      }
    }
  };
  const warm = setTimeout(() => {
    measuring = true;
    cpuStart = process.cpuUsage();
  }, WARMUP_MS);
  await Promise.all(Array.from({ length: STREAMS }, stream));
  clearTimeout(warm);
  const used = process.cpuUsage(cpuStart);
  await http.close();
  return { events, requests, cpuUs: used.user + used.system };
}

const target = await spawnGoTarget({ tokens: TOKENS, tokenMs: 2, ttftMs: 20 });
const url = `${new URL(target.url).origin}/v1`;
try {
  const load0 = loadavg()[0] as number;
  const streamed = await measure('openai-stream', url);
  const whole = await measure('openai', url);
  const perEventUs = streamed.cpuUs / streamed.events;
  const perWholeRequestUs = whole.cpuUs / whole.requests;
  console.log(
    `streamed: ${streamed.events} events in ${streamed.requests} requests, ${(streamed.cpuUs / 1e6).toFixed(2)} CPU s: ${perEventUs.toFixed(1)} µs per event (incl. the requests' own share)`,
  );
  console.log(`whole answers: ${whole.requests} requests, ${perWholeRequestUs.toFixed(1)} µs per request`);
  const perEventOnlyUs = (streamed.cpuUs - streamed.requests * perWholeRequestUs) / streamed.events;
  console.log(
    `per event beyond a request's own cost: ${perEventOnlyUs.toFixed(1)} µs  (load ${load0.toFixed(2)} → ${(loadavg()[0] as number).toFixed(2)})`,
  );
  console.log(
    `written ${writeBenchJson('stream-cost', { machine: machine(), streams: STREAMS, tokens: TOKENS, streamed, whole, perEventUs, perWholeRequestUs, perEventOnlyUs })}`,
  );
} finally {
  await target.stop();
}
