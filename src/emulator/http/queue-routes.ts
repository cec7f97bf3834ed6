// The queue API under /v2/{endpointId}: run, runsync, status, status-sync, stream, cancel,
// retry, purge-queue, health (reference §1, shapes in §1.5). Success is always exactly
// HTTP 200: the official JS client treats any other 2xx as a failure.
import type { Job } from '../types.js';
import { isTerminal, noteSent, statusBodyOf } from '../platform/job.js';
import { epochNowMs } from '../clock.js';
import type { Exchange } from './exchange.js';
import { Hold, NOT_FOUND_BODY, idStatusBody, streamBody } from './holds.js';
import { MB, readJson } from './body.js';
import { parseSubmission, parseWait, type Query } from './submission.js';

export const RUN_BODY_LIMIT_BYTES = 10 * MB;
export const RUNSYNC_BODY_LIMIT_BYTES = 20 * MB;
/** /runsync and /status-sync wait this long (emulated ms) when ?wait is absent. */
const DEFAULT_SYNC_WAIT_MS = 90_000;

function jobOr404(ex: Exchange, id: string): Job | undefined {
  const job = ex.context.endpoint.get(id);
  if (job === undefined) ex.json(404, NOT_FOUND_BODY);
  return job;
}

export async function handleRun(ex: Exchange, query: Query, sync: boolean): Promise<void> {
  const { settings, endpoint } = ex.context;
  // ?wait is checked first: a bad one is the client's mistake whatever the body holds.
  let waitMs = DEFAULT_SYNC_WAIT_MS;
  if (sync) {
    const wait = parseWait(query, DEFAULT_SYNC_WAIT_MS);
    if (!wait.ok) return ex.error(400, wait.message);
    waitMs = wait.ms;
  }
  const limit = sync ? RUNSYNC_BODY_LIMIT_BYTES : RUN_BODY_LIMIT_BYTES;
  const body = await readJson(ex.req, limit);
  switch (body.kind) {
    case 'aborted':
      return;
    case 'too-large':
      return ex.error(413, `Request body exceeds the ${limit / MB} MB limit of /${sync ? 'runsync' : 'run'}`);
    case 'malformed':
      return ex.error(400, `Malformed JSON body: ${body.message}`);
    case 'ok':
      break;
    default: {
      const never: never = body;
      throw new Error(`unknown body result ${JSON.stringify(never)}`);
    }
  }
  const submission = parseSubmission(body.value, query, settings);
  if (!submission.ok) return ex.error(400, submission.message);
  const now = epochNowMs();
  const job = endpoint.submit(submission.input, { ...submission.options, origin: sync ? 'runsync' : 'run' }, now);
  // /run always answers IN_QUEUE, as the platform does: a worker picks the job up after.
  if (!sync) return ex.json(200, idStatusBody(job, 'IN_QUEUE'));
  if (isTerminal(job.status)) {
    ex.json(200, statusBodyOf(job));
    return noteSent(job, false, epochNowMs());
  }
  new Hold(ex, job, 'runsync', waitMs / settings.timeScale);
}

export function handleStatus(ex: Exchange, id: string, query: Query, sync: boolean): void {
  const job = jobOr404(ex, id);
  if (job === undefined) return;
  if (!sync || isTerminal(job.status)) {
    ex.json(200, statusBodyOf(job));
    return noteSent(job, false, epochNowMs());
  }
  const wait = parseWait(query, DEFAULT_SYNC_WAIT_MS);
  if (!wait.ok) return ex.error(400, wait.message);
  new Hold(ex, job, 'status', wait.ms / ex.context.settings.timeScale);
}

export function handleStream(ex: Exchange, id: string, query: Query): void {
  const job = jobOr404(ex, id);
  if (job === undefined) return;
  // No ?wait: answer at once (the JS SDK polls in a tight loop). With one: hold until data.
  const wait = parseWait(query, 0, 0);
  if (!wait.ok) return ex.error(400, wait.message);
  const items = ex.context.endpoint.takeUndelivered(job);
  if (items.length > 0 || isTerminal(job.status) || wait.ms === 0) {
    ex.json(200, streamBody(job, items));
    return noteSent(job, items.length > 0, epochNowMs());
  }
  new Hold(ex, job, 'stream', wait.ms / ex.context.settings.timeScale);
}

export function handleCancel(ex: Exchange, id: string): void {
  const job = jobOr404(ex, id);
  if (job === undefined) return;
  ex.context.endpoint.cancel(job, epochNowMs());
  ex.json(200, idStatusBody(job));
}

export function handleRetry(ex: Exchange, id: string): void {
  const job = jobOr404(ex, id);
  if (job === undefined) return;
  if (!ex.context.endpoint.retry(job, epochNowMs())) {
    return ex.error(400, `Only FAILED or TIMED_OUT jobs can be retried; ${job.id} is ${job.status}`);
  }
  // Like /run: the job is queued again; a worker may already hold it by now.
  ex.json(200, idStatusBody(job, 'IN_QUEUE'));
}

export function handlePurgeQueue(ex: Exchange): void {
  const removed = ex.context.endpoint.purgeQueue(epochNowMs());
  ex.json(200, `{"removed":${removed},"status":"completed"}`);
}

export function handleHealth(ex: Exchange): void {
  ex.json(200, ex.context.endpoint.health());
}
