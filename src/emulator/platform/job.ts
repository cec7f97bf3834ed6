// A job of the emulated endpoint (its shape, Job, is in ../types.ts): a new one, the truth
// the harness checks its measurements against, and its /status body. Status bodies are
// rendered here, once per state change: /status is the hottest route, and a cached buffer
// turns each poll into a map lookup and a socket write.
import type { Job, JobStatus, JobTruth } from '../types.js';

/** What a new job is made of; everything else starts empty. */
export type NewJob = Pick<
  Job,
  'id' | 'index' | 'origin' | 'input' | 'plan' | 'lowPriority' | 'executionTimeoutMs' | 'ttlMs' | 'webhook'
>;

export function createJob(fields: NewJob, nowMs: number): Job {
  return {
    ...fields,
    status: 'IN_QUEUE',
    enqueuedAt: nowMs,
    pickableAt: nowMs,
    submittedAt: nowMs,
    startedAt: undefined,
    firstTokenAt: undefined,
    firstTokenSentAt: undefined,
    endSentAt: undefined,
    completedAt: undefined,
    workerId: undefined,
    coldStart: false,
    promptTokens: fields.plan.kind === 'generate' ? fields.plan.promptTokens : 0,
    outputTokens: 0,
    retries: 0,
    output: [],
    undelivered: [],
    partialAts: [],
    partialTokens: [],
    lastPartialDueAt: undefined,
    error: undefined,
    run: undefined,
    slot: undefined,
    executionEntry: undefined,
    ttlEntry: undefined,
    retentionEntry: undefined,
    listeners: undefined,
    statusBody: undefined,
    inputJson: undefined,
  };
}

export function isTerminal(status: JobStatus): boolean {
  return status === 'COMPLETED' || status === 'FAILED' || status === 'CANCELLED' || status === 'TIMED_OUT';
}

export function truthOf(job: Job): JobTruth {
  const truth: JobTruth = {
    id: job.id,
    status: job.status,
    coldStart: job.coldStart,
    promptTokens: job.promptTokens,
    outputTokens: job.outputTokens,
    submittedAt: job.submittedAt,
    partials: job.partialAts.map((at, i) => ({ at, tokens: job.partialTokens[i] as number })),
  };
  if (job.workerId !== undefined) truth.workerId = job.workerId;
  if (job.startedAt !== undefined) truth.startedAt = job.startedAt;
  if (job.firstTokenAt !== undefined) truth.firstTokenAt = job.firstTokenAt;
  if (job.completedAt !== undefined) truth.completedAt = job.completedAt;
  if (job.firstTokenSentAt !== undefined) truth.firstTokenSentAt = job.firstTokenSentAt;
  if (job.endSentAt !== undefined) truth.endSentAt = job.endSentAt;
  return truth;
}

/**
 * Notes that an answer about the job was just handed to a client's socket: the first one
 * carrying a token, the first one showing the job ended. These times, not the moments the
 * data was produced, are what a client can be measured against: a burst of answers goes
 * out one after another.
 */
export function noteSent(job: Job, carriesTokens: boolean, nowMs: number): void {
  if (carriesTokens && job.firstTokenSentAt === undefined && job.firstTokenAt !== undefined)
    job.firstTokenSentAt = nowMs;
  if (job.endSentAt === undefined && isTerminal(job.status)) job.endSentAt = nowMs;
}

/** delayTime as the platform reports it: whole real milliseconds from submission to pickup. */
function delayTimeMs(job: Job): number {
  return Math.round((job.startedAt as number) - job.submittedAt);
}

function executionTimeMs(job: Job): number {
  return Math.round((job.completedAt as number) - (job.startedAt as number));
}

/** The /status body. Keys in the platform's (alphabetical) order. */
export function statusBodyOf(job: Job): Buffer {
  if (job.statusBody !== undefined) return job.statusBody;
  const id = JSON.stringify(job.id);
  const worker = job.workerId === undefined ? '' : `,"workerId":${JSON.stringify(job.workerId)}`;
  const started = job.startedAt !== undefined;
  let text: string;
  switch (job.status) {
    case 'IN_QUEUE':
      text = `{"id":${id},"status":"IN_QUEUE"}`;
      break;
    case 'IN_PROGRESS':
      // The platform echoes the input while the job runs.
      job.inputJson ??= JSON.stringify(job.input);
      text = `{"delayTime":${delayTimeMs(job)},"id":${id},"input":${job.inputJson},"status":"IN_PROGRESS"${worker}}`;
      break;
    case 'COMPLETED':
      text = `{"delayTime":${delayTimeMs(job)},"executionTime":${executionTimeMs(job)},"id":${id},"output":${JSON.stringify(job.output)},"status":"COMPLETED"${worker}}`;
      break;
    case 'FAILED':
    case 'TIMED_OUT':
    case 'CANCELLED': {
      const times = started && job.completedAt !== undefined ? `"delayTime":${delayTimeMs(job)},` : '';
      const error = job.error === undefined ? '' : `"error":${JSON.stringify(job.error.text)},`;
      const execution = started && job.completedAt !== undefined ? `"executionTime":${executionTimeMs(job)},` : '';
      text = `{${times}${error}${execution}"id":${id},"status":"${job.status}"${worker}}`;
      break;
    }
    default: {
      const never: never = job.status;
      throw new Error(`unknown status ${String(never)}`);
    }
  }
  job.statusBody = Buffer.from(text, 'utf8');
  return job.statusBody;
}
