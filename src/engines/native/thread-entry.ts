// A native-engine client thread: its own event loop and connection pool. It sends what the
// scheduler tells it to, time-stamps the answers on the run's clock (thread-clock.ts) and
// posts back one record per request. The job tracker stays on the scheduler's thread; this
// one only tells it about each job.
import { parentPort, workerData } from 'node:worker_threads';
import { createHttpClient } from '../../runpod/http-client.js';
import type { JobTracker } from '../../runpod/job-tracker.js';
import { targetCalls } from '../../runpod/targets/calls.js';
import { startLoopDelay, type LoopDelayMonitor } from '../../util/loop-delay.js';
import { createRng } from '../../util/rng.js';
import { loadTokenizer } from '../../util/tokenizer.js';
import { executeRequest } from './execute.js';
import { createSleeper, type RequestEnv } from './request-env.js';
import { threadClock } from './thread-clock.js';
import type { FromThread, JobOp, ThreadStart, ToThread } from './thread-protocol.js';

const port = parentPort;
if (port === null) throw new Error('podbench: engines/native/thread-entry.js must run in a worker thread');
const start = workerData as ThreadStart;
const post = (message: FromThread): void => port.postMessage(message);

const clock = threadClock(start.clockBase);
const http = createHttpClient(start.apiKey, {
  ...(start.maxConnections === undefined ? {} : { maxConnections: start.maxConnections }),
  clock,
  maxBodyBytes: start.scenario.limits.maxBodyBytes,
});
const sleeper = createSleeper();
// The runner's thread read and checked the file already: reading it here cannot fail differently.
const tokenizer = start.tokenizerPath === undefined ? undefined : loadTokenizer(start.tokenizerPath, 'input.tokenizer');
let interrupted = false;
const job = (op: JobOp) => (jobId: string) => post({ type: 'job', op, jobId });
const jobs: JobTracker = {
  submitted: job('submitted'),
  settled: job('settled'),
  abandon: job('abandon'),
  // Only the scheduler's tracker knows what it cancelled: it corrects such records itself.
  cancelledOnInterrupt: () => false,
};
const env: RequestEnv = {
  endpointUrl: start.endpointUrl,
  calls: targetCalls(start.api, start.endpointUrl),
  scenario: start.scenario,
  model: start.model,
  clock,
  http,
  rng: createRng(start.scenario.seed).fork(`native:${start.variant}`).fork(`retries:${start.index}`),
  jobs,
  interrupted: () => interrupted,
  sleep: (ms) => sleeper.sleep(ms),
  ...(tokenizer ? { countTokens: tokenizer.count } : {}),
};

/** From the first send, as the runner's monitor on its own thread. */
let loop: LoopDelayMonitor | undefined;
let inFlight = 0;
let finishing = false;
const finish = async () => {
  const loopDelayMs = loop?.stop();
  await http.close();
  post({ type: 'finished', loopDelayMs });
  port.close();
};

port.on('message', (message: ToThread) => {
  switch (message.type) {
    case 'send': {
      loop ??= startLoopDelay();
      inFlight += 1;
      void executeRequest(env, {
        seq: message.seq,
        variant: start.variant,
        phase: message.phase,
        scheduledMs: message.scheduledMs,
        path: message.path,
        bodyText: message.bodyText,
        ...(message.promptTokens !== undefined ? { promptTokens: message.promptTokens } : {}),
      }).then((record) => {
        post({ type: 'record', record });
        inFlight -= 1;
        if (finishing && inFlight === 0) void finish();
      });
      break;
    }
    case 'abort':
      interrupted = true;
      http.abortAll();
      sleeper.interruptAll();
      break;
    case 'finish':
      finishing = true;
      if (inFlight === 0) void finish();
      break;
    default: {
      const never: never = message;
      return never;
    }
  }
});
post({ type: 'ready' });
