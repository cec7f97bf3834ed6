// Drives autocannon one request at a time per connection and turns every response into a
// record the moment it arrives. autocannon sends on its own schedule (as soon as a
// connection's previous answer came, within the rate cap); podbench listens to each
// connection (setupClient) and decides, at the moment a request goes out, which request it
// is: its phase, its prompt and its body (client.setBody, before autocannon writes it).
//
// Per connection, the order of events is fixed by autocannon's client: `request` right
// before each write (also for the write after a reconnect), then either the request's
// onResponse hook immediately followed by `response`, or `connError`, or a reconnect with
// no event at all (the next `request` then finds the old request unanswered). The hook is
// the only place that sees the body and `response` the only one that knows the connection,
// so the hook leaves the body in `lastBody` for the `response` listener that runs next.
import autocannon from 'autocannon';
import type { Phase, RecordDraft, RequestRecord } from '../../core/record.js';
import { buildSubmission } from '../../scenario/payload.js';
import { createPhases } from '../../schedule/phases.js';
import type { VariantRunContext } from '../types.js';
import { readAnswer } from './answer.js';
import type { AutocannonPlan } from './plan.js';
import { STOPPED_TEXT } from '../../core/errors.js';
import { runsyncWaitMs } from '../../scenario/job-policy.js';

interface Pending {
  seq: number;
  phase: Phase;
  sentMs?: number;
  /** The prompt's tokens by the scenario's tokenizer, when it has one. */
  promptTokens?: number;
}

interface Connection {
  client: autocannon.Client;
  pending?: Pending;
}

/**
 * autocannon's client fields behind its `amount` option: it sends while reqsMade <
 * responseMax and closes the connection after the answer that reaches it. Lowering
 * responseMax is the only way to stop sending without dropping requests in flight
 * (instance.stop() destroys their connections), which podbench's duration stop needs.
 */
interface ClientQuota {
  reqsMade: number;
  responseMax?: number;
}

function quota(client: autocannon.Client): ClientQuota {
  const internals = client as unknown as ClientQuota;
  if (typeof internals.reqsMade !== 'number')
    throw new Error('autocannon client without reqsMade: this autocannon version is not supported');
  return internals;
}

export async function driveAutocannon(ctx: VariantRunContext, plan: AutocannonPlan): Promise<number> {
  const { scenario } = ctx.variant;
  const clock = ctx.clock;
  const openAiFormat = scenario.input.format === 'openai_chat' || scenario.input.format === 'openai_completions';
  const url = new URL(ctx.endpointUrl);
  const firstSubmission = buildSubmission(scenario, ctx.prompts.at(0), ctx.model);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'podbench (autocannon)' };
  if (ctx.apiKey) headers.authorization = `Bearer ${ctx.apiKey}`;

  // No duration here: the engine stops sending on time with a timer (stopSending).
  const phases = createPhases({ warmup: plan.warmup, requests: plan.requests }, clock());
  const connections: Connection[] = [];
  let seq = ctx.seqStart;
  let lastBody: string | undefined;
  let stopping = false;
  let durationTimer: NodeJS.Timeout | undefined;

  /** No connection sends again; each closes after the answer it waits for. `sending` is the connection inside its own `request` event, whose write is already under way. */
  const stopSending = (sending?: Connection) => {
    if (stopping) return;
    stopping = true;
    if (durationTimer) clearTimeout(durationTimer);
    for (const connection of connections) {
      const q = quota(connection.client);
      q.responseMax = Math.max(1, q.reqsMade + (connection === sending ? 1 : 0));
    }
  };
  const onStop = () => stopSending();
  ctx.stopSignal.addEventListener('abort', onStop, { once: true });

  const emit = (record: RecordDraft) => ctx.emit(record as RequestRecord);
  const draft = (pending: Pending, endMs: number): RecordDraft => ({
    seq: pending.seq,
    variant: ctx.variant.name,
    phase: pending.phase,
    mode: scenario.mode,
    outcome: 'ok',
    scheduledMs: pending.sentMs as number,
    sentMs: pending.sentMs as number,
    endMs,
    ...(pending.promptTokens !== undefined ? { promptTokens: pending.promptTokens } : {}),
    tokenSource: pending.promptTokens !== undefined ? 'tokenizer' : 'none',
    polls: 0,
    retries: 0,
  });

  /** The request a connection is about to write (its first, or the next after an answer or a loss). */
  const assign = (connection: Connection): void => {
    const now = clock();
    const phase = phases.next(now);
    if (phase === undefined) {
      // Cannot happen while stopSending keeps quotas right; if it does, the request still goes out and is recorded.
      stopSending(connection);
    }
    const pending: Pending = { seq: seq++, phase: phase ?? 'measure' };
    connection.pending = pending;
    const index = pending.seq - ctx.seqStart;
    const item = ctx.prompts.at(index);
    if (item.promptTokens !== undefined) pending.promptTokens = item.promptTokens;
    connection.client.setBody(JSON.stringify(buildSubmission(scenario, item, ctx.model).body));
    if (phase === 'measure' && plan.durationMs !== undefined && durationTimer === undefined && !stopping) {
      const start = phases.measureStartMs() ?? now;
      durationTimer = setTimeout(() => stopSending(), Math.max(0, start + plan.durationMs - clock()));
    }
    if (phases.exhausted()) stopSending(connection);
  };

  /** A request that will get no answer on this connection. */
  const lose = (connection: Connection, why: string) => {
    const pending = connection.pending;
    connection.pending = undefined;
    if (pending?.sentMs === undefined) return;
    const endMs = clock();
    const record = draft(pending, endMs);
    const timedOut = endMs - pending.sentMs >= plan.timeoutSec * 1000 - 1;
    record.outcome = timedOut ? 'client_timeout' : 'network_error';
    record.error = timedOut ? `no answer within ${plan.timeoutSec} s (timeouts.http plus the /runsync wait)` : why;
    emit(record);
  };

  const setupClient = (client: autocannon.Client) => {
    const connection: Connection = { client };
    connections.push(connection);
    assign(connection);
    // `request` and `connError` are emitted by autocannon's client (lib/httpClient.js) but missing from its typings.
    const events = client as NodeJS.EventEmitter;
    events.on('request', () => {
      if (connection.pending?.sentMs !== undefined) lose(connection, 'the connection closed before an answer came');
      if (connection.pending === undefined) assign(connection);
      const pending = connection.pending as Pending;
      pending.sentMs = clock();
      ctx.sent();
    });
    client.on('response', (status: number | undefined) => {
      // autocannon reports a response it gave up on (a timeout mid-body, an endless chunked
      // answer) with no status: no answer came, and the record says so, not "HTTP undefined".
      if (typeof status !== 'number') {
        lastBody = undefined;
        lose(connection, 'the answer did not arrive complete (autocannon gave up on it)');
        return;
      }
      const endMs = clock();
      const pending = connection.pending;
      const text = lastBody ?? '';
      lastBody = undefined;
      connection.pending = undefined;
      if (pending?.sentMs === undefined) return;
      const record = draft(pending, endMs);
      const read = readAnswer(
        record,
        scenario.mode,
        openAiFormat,
        status,
        text,
        runsyncWaitMs(scenario),
        scenario.limits.maxBodyBytes,
        ctx.tokenizer?.count,
      );
      if (read.unfinishedJobId !== undefined) {
        ctx.jobs.submitted(read.unfinishedJobId);
        ctx.jobs.abandon(read.unfinishedJobId);
      }
      emit(record);
    });
    events.on('connError', (error: unknown) =>
      lose(connection, error instanceof Error ? error.message : String(error)),
    );
    // autocannon's own timeout (timeouts.http plus the /runsync wait, in whole seconds): it
    // drops the connection, and the request in flight is a timeout, not one "aborted" at the end.
    events.on('timeout', () => lose(connection, 'no answer in time'));
  };

  let instance: autocannon.Instance | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    instance = autocannon(
      {
        url: url.origin,
        connections: plan.connections,
        ...(plan.overallRate !== undefined ? { overallRate: plan.overallRate, ignoreCoordinatedOmission: true } : {}),
        // podbench ends the run itself (stopSending); this bound (20 days: timers stay under 2^31 ms) never does.
        duration: 20 * 24 * 3600,
        timeout: plan.timeoutSec,
        sampleInt: 100,
        pipelining: 1,
        method: 'POST',
        headers,
        setupClient,
        requests: [
          {
            method: 'POST',
            path: `${url.pathname.replace(/\/+$/, '')}${firstSubmission.path}`,
            onResponse: (_status: number, body: string) => {
              lastBody = body;
            },
          },
        ],
      },
      (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
    );
  });
  const onAbort = () => instance?.stop();
  ctx.abortSignal.addEventListener('abort', onAbort, { once: true });
  try {
    await finished;
  } finally {
    if (durationTimer) clearTimeout(durationTimer);
    ctx.stopSignal.removeEventListener('abort', onStop);
    ctx.abortSignal.removeEventListener('abort', onAbort);
  }
  // Requests autocannon dropped with their connection (a hard abort).
  for (const connection of connections) {
    const pending = connection.pending;
    if (pending?.sentMs === undefined) continue;
    const record = draft(pending, clock());
    record.outcome = 'aborted';
    record.error = ctx.abortSignal.aborted ? STOPPED_TEXT : 'autocannon closed the connection before an answer came';
    emit(record);
  }
  return seq;
}
