// Stream mode: polls /stream (optionally long-polling with ?wait) and reassembles partials
// in both worker formats. Each poll that delivers tokens is one chunk; the first such poll
// is the first token. When did it really appear? After the server answered the last empty
// poll, which it did after that poll was sent: so the token appeared between the sending of
// the last empty poll (or of the submission, if none) and the arrival of the first full one.
// That interval is ttftUncertaintyMs. It holds whatever the network or either side's event
// loop did, because it uses only the client's own clock.
import { callJson, type CallContext } from './call.js';
import { asStatusBody, takeServerFields } from './job-status.js';
import { TERMINAL_STATUSES, outcomeOfStatus, type RecordDraft, type RequestEnv } from './request-env.js';
import { applyCounts, createStreamReader } from './worker-output.js';

export async function followStream(
  env: RequestEnv,
  ctx: CallContext,
  jobId: string,
  record: RecordDraft,
  openAiFormat: boolean,
): Promise<boolean> {
  const { polling, timeouts } = env.scenario;
  const id = encodeURIComponent(jobId);
  const url = `${env.endpointUrl}/stream/${id}${polling.wait > 0 ? `?wait=${Math.round(polling.wait)}` : ''}`;
  const reader = createStreamReader();
  const chunks: Array<[number, number]> = [];
  record.chunks = chunks;
  // The submission: no token can exist before the job does.
  let lastEmptySentMs = record.sentMs as number;
  let interval = polling.interval;
  let status: string | undefined;

  const noteTokens = (atMs: number, tokens: number) => {
    if (tokens <= 0) return;
    chunks.push([atMs, tokens]);
    if (record.firstTokenMs === undefined) {
      record.firstTokenMs = atMs;
      record.ttftUncertaintyMs = atMs - lastEmptySentMs;
    }
    record.lastTokenMs = atMs;
  };

  for (;;) {
    const pollSentMs = env.clock();
    const result = await callJson(ctx, 'GET', url, undefined, timeouts.http + polling.wait);
    ctx.tally.polls += 1;
    const atMs = result.ok ? result.receivedMs : env.clock();
    if (!result.ok) {
      record.outcome = result.httpStatus === 404 ? 'job_lost' : result.outcome;
      record.error = result.error;
      if (result.httpStatus !== undefined) record.httpStatus = result.httpStatus;
      return false;
    }
    const body = asStatusBody(result.json);
    if (!body || typeof body.status !== 'string') {
      record.outcome = 'protocol_error';
      record.error = 'a /stream answer without a status field';
      return false;
    }
    let tokens = 0;
    if (Array.isArray(body.stream)) {
      for (const item of body.stream as unknown[]) {
        if (typeof item === 'object' && item !== null && 'output' in item) tokens += reader.push((item as { output: unknown }).output);
      }
    }
    status = body.status;
    if (TERMINAL_STATUSES.has(status)) tokens += reader.end();
    if (tokens > 0) {
      noteTokens(atMs, tokens);
      interval = polling.interval;
    } else {
      lastEmptySentMs = pollSentMs;
    }
    if (status === 'IN_PROGRESS' && record.inProgressSeenMs === undefined) record.inProgressSeenMs = atMs;
    if (TERMINAL_STATUSES.has(status)) {
      record.endMs = atMs;
      break;
    }
    if (polling.wait === 0) {
      if (!(await ctx.sleep(Math.min(interval, Math.max(0, ctx.deadlineMs - env.clock()))))) return false;
      if (tokens === 0) interval = Math.min(interval * polling.backoff, polling.maxInterval);
    }
  }
  record.outcome = outcomeOfStatus(status);
  const counts = reader.result();
  applyCounts(record, counts);
  const format = openAiFormat ? 'openai' : counts.format;
  if (format) record.workerFormat = format;
  if (counts.streamError !== undefined && record.error === undefined) record.error = counts.streamError;

  // /stream answers carry no delayTime or executionTime: one /status call reads them.
  const final = await callJson(ctx, 'GET', `${env.endpointUrl}/status/${id}`, undefined, timeouts.http);
  ctx.tally.polls += 1;
  if (final.ok) {
    const finalBody = asStatusBody(final.json);
    if (finalBody) {
      takeServerFields(record, finalBody);
      if (record.outputTokens === undefined || record.tokenSource !== 'usage') {
        // The aggregate output may carry usage the slices did not (e.g. a proxy stream's last chunk).
        const again = createStreamReader();
        if (Array.isArray(finalBody.output)) for (const item of finalBody.output) again.push(item);
        again.end();
        const counts2 = again.result();
        if (counts2.tokenSource === 'usage') {
          record.outputTokens = counts2.outputTokens;
          if (counts2.promptTokens !== undefined) record.promptTokens = counts2.promptTokens;
          record.tokenSource = 'usage';
        }
      }
    }
  }
  return true;
}
