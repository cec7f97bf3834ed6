// The emulated endpoint on a simulated clock: the same queue, fleet, scaler, cold starts and
// continuous-batching engine as the served emulator (platform/endpoint.ts), driven by a list
// of requests instead of HTTP, with the clock jumping from one event to the next. What a
// time-scaled run would show at any time scale, without the event loop's lateness: the
// answer is the same on a busy machine as on an idle one, and a day of traffic takes the
// CPU time of its events. `podbench calibrate` replays a run through it and `podbench
// what-if` searches endpoint settings with it.
//
// Only the synthetic backend and the legacy worker's input are used: the step timing is
// the same for every output format. Each request becomes a prompt of exactly its token
// count under the emulator's estimate (4 ASCII bytes per token).
import type { SimJob, SimRequest, SimResult, SimTraffic } from '../core/simulation.js';
import type { EmulatorSettings, EmulatorSettingsInput } from './settings/schema.js';
import { resolveEmulatorSettings } from './settings/schema.js';
import { Endpoint } from './platform/endpoint.js';
import type { ManualClock } from './platform/timeline.js';
import { syntheticBackend } from './worker/backend.js';
import type { Job, JobChange, JobListener, WorkerSlot } from './types.js';

/** Settings as a file gives them, or complete ones (a resolved cold start has a `kind`). */
function resolve(settings: EmulatorSettingsInput | EmulatorSettings): EmulatorSettings {
  const coldStart = (settings as { workers?: { coldStart?: unknown } }).workers?.coldStart;
  if (coldStart !== null && typeof coldStart === 'object' && 'kind' in coldStart) return settings as EmulatorSettings;
  return resolveEmulatorSettings(settings);
}

function inputOf(request: SimRequest): Record<string, unknown> {
  const sampling: Record<string, unknown> = { max_tokens: request.maxTokens };
  if (request.minTokens !== undefined && request.minTokens > 0) sampling.min_tokens = request.minTokens;
  if (request.ignoreEos) sampling.ignore_eos = true;
  return {
    prompt: 'a'.repeat(4 * Math.max(1, Math.round(request.promptTokens))),
    sampling_params: sampling,
    stream: true,
  };
}

function isLive(slot: WorkerSlot): boolean {
  return slot.state === 'initializing' || slot.state === 'ready' || slot.state === 'running';
}

export function simulateEndpoint(
  settingsInput: EmulatorSettingsInput | EmulatorSettings,
  traffic: SimTraffic,
): SimResult {
  const given = resolve(settingsInput);
  let longest = 0;
  for (const r of traffic.requests) longest = Math.max(longest, Math.round(r.promptTokens) + r.maxTokens);
  const settings: EmulatorSettings = {
    ...given,
    timeScale: 1,
    backend: 'synthetic',
    worker: 'legacy',
    maxModelLen: Math.max(given.maxModelLen, longest),
    // Forget a job at once once it ended: its numbers are taken when it ends.
    retention: { run: 1, runsync: 1 },
  };
  const clock: ManualClock = { nowMs: 0 };
  const endpoint = new Endpoint(settings, () => undefined, syntheticBackend(settings), true, clock);
  const slots = endpoint.fleet.slots;
  const slotOf = new Map<string, number>(slots.map((s) => [s.id, s.index]));
  const jobs: SimJob[] = [];
  const requestOf = new Map<Job, number>();
  const userOf = new Map<Job, number>();

  // Closed loop: the next send of each user, kept sorted by time (few users: a plain list).
  const sends: Array<{ atMs: number; user: number }> = [];
  let nextRequest = 0;
  const order =
    traffic.kind === 'open'
      ? traffic.requests
          .map((_, i) => i)
          .sort((a, b) => (traffic.requests[a] as SimRequest).atMs - (traffic.requests[b] as SimRequest).atMs)
      : [];
  const closedUntil = traffic.kind === 'closed' ? (traffic.durationMs ?? Number.POSITIVE_INFINITY) : 0;
  const gapMs = traffic.kind === 'closed' ? (traffic.gapMs ?? 0) : 0;
  const queueSend = (atMs: number, user: number): void => {
    if (nextRequest >= traffic.requests.length || atMs >= closedUntil) return;
    let at = sends.length;
    while (at > 0 && (sends[at - 1] as { atMs: number }).atMs > atMs) at--;
    sends.splice(at, 0, { atMs, user });
  };
  if (traffic.kind === 'closed') for (let u = 0; u < traffic.users; u++) queueSend(0, u);

  const listener: JobListener = {
    onJobChange(job: Job, change: JobChange): void {
      if (change !== 'terminal') return;
      const request = requestOf.get(job);
      if (request === undefined) return;
      requestOf.delete(job);
      const done: SimJob = {
        request,
        status: job.status,
        submittedMs: job.submittedAt,
        coldStart: job.coldStart,
        promptTokens: job.promptTokens,
        outputTokens: job.outputTokens,
      };
      if (job.startedAt !== undefined) done.startedMs = job.startedAt;
      if (job.firstTokenAt !== undefined) done.firstTokenMs = job.firstTokenAt;
      if (job.completedAt !== undefined) done.completedMs = job.completedAt;
      const worker = job.workerId === undefined ? undefined : slotOf.get(job.workerId);
      if (worker !== undefined) done.worker = worker;
      jobs.push(done);
      const user = userOf.get(job);
      if (user !== undefined) {
        userOf.delete(job);
        queueSend((job.completedAt ?? clock.nowMs) + gapMs, user);
      }
    },
  };
  const submit = (index: number, user: number | undefined): void => {
    const request = traffic.requests[index] as SimRequest;
    const job = endpoint.submit(
      inputOf(request),
      {
        origin: 'run',
        webhook: undefined,
        lowPriority: false,
        executionTimeoutMs: settings.executionTimeout,
        ttlMs: settings.ttl,
      },
      clock.nowMs,
    );
    requestOf.set(job, index);
    if (user !== undefined) userOf.set(job, user);
    // A job can end within submit (a rejected plan): then there is nothing to listen to.
    if (job.status === 'IN_QUEUE' || job.status === 'IN_PROGRESS') endpoint.listen(job, listener);
    else listener.onJobChange(job, 'terminal');
  };

  let flexWorkerMs = 0;
  let flexBootMs = 0;
  let boots = 0;
  const previous = slots.map((s) => s.state);
  const liveWorkers: Array<[number, number]> = [];
  let maxLive = 0;
  let lastLive = -1;
  let lastArrival = 0;
  let lastT = 0;
  const observe = (t: number): void => {
    let live = 0;
    for (const slot of slots) {
      if (isLive(slot)) live++;
      if (!slot.active && slot.state === 'initializing' && previous[slot.index] !== 'initializing') boots++;
      previous[slot.index] = slot.state;
    }
    if (live !== lastLive) {
      liveWorkers.push([t, live]);
      lastLive = live;
      maxLive = Math.max(maxLive, live);
    }
  };
  const bill = (t: number): void => {
    const dt = t - lastT;
    if (dt <= 0) return;
    for (const slot of slots) {
      if (slot.active || !isLive(slot)) continue;
      flexWorkerMs += dt;
      if (slot.state === 'initializing') flexBootMs += dt;
    }
    lastT = t;
  };

  try {
    observe(0);
    let openAt = 0;
    for (;;) {
      let sendAt = Number.POSITIVE_INFINITY;
      if (traffic.kind === 'open') {
        const next = order[openAt];
        if (next !== undefined) sendAt = (traffic.requests[next] as SimRequest).atMs;
      } else if (sends.length > 0) {
        sendAt = (sends[0] as { atMs: number }).atMs;
      }
      const eventAt = endpoint.timeline.nextAt();
      const t = Math.max(clock.nowMs, Math.min(sendAt, eventAt));
      if (!Number.isFinite(t)) break;
      bill(t);
      if (sendAt <= eventAt) {
        clock.nowMs = t;
        lastArrival = t;
        if (traffic.kind === 'open') {
          submit(order[openAt] as number, undefined);
          openAt++;
        } else {
          const { user } = sends.shift() as { atMs: number; user: number };
          submit(nextRequest++, user);
        }
      } else {
        endpoint.timeline.runUntil(t);
      }
      observe(t);
    }
  } finally {
    void endpoint.close();
  }
  jobs.sort((a, b) => a.request - b.request);
  let windowMs = lastArrival;
  for (const job of jobs) windowMs = Math.max(windowMs, job.completedMs ?? job.submittedMs);
  const active = slots.filter((s) => s.active).length;
  return {
    jobs,
    windowMs,
    billing: { activeWorkerMs: active * windowMs, flexWorkerMs, flexBootMs, boots },
    liveWorkers,
    maxLiveWorkers: maxLive,
  };
}
