// Each finding in words: one or two sentences a person can act on. Written once here and
// shown the same on the console, in report.html and in summary.json's `recommendations`.
import type {
  BatchingFrontFinding,
  BatchingTargetMetFinding,
  BatchingTargetMissedFinding,
  CapacityFinding,
  CapacityPlanFinding,
  ColdStartFinding,
  Finding,
  Incomplete,
  NoCapacityFinding,
  NoCapacityPlanFinding,
  PlatformOverheadFinding,
  ProfileSweepFinding,
  RunCostFinding,
  Uncertain,
  TunedSetting,
  WhatIfAnswerFinding,
  WhatIfNoneFinding,
} from '../core/findings.js';
import type { SloCheck, WhatIfCandidate, WhatIfPrice } from '../core/what-if.js';
import { roundTo as round } from '../util/round.js';

export function findingText(finding: Finding): string {
  const text = wholeRunText(finding);
  // A matrix that stopped early: the answer is from the settings that ran, said first.
  switch (finding.kind) {
    case 'stream-batching-no-effect':
    case 'stream-batching-alike':
    case 'stream-batching-target-met':
    case 'stream-batching-target-missed':
    case 'stream-batching-front':
    case 'capacity-plan':
      return finding.incomplete ? fromSettingsRun(finding.incomplete, text) : text;
    default:
      return text;
  }
}

/** "the run was interrupted", "the run stopped early (budget.maxRequests ...)". */
function stopText(incomplete: Incomplete): string {
  return incomplete.cause === 'interrupted' ? 'the run was interrupted' : `the run stopped early (${incomplete.cause})`;
}

/** "; concurrency=8 was cut short and is left out", to follow the stop in its parentheses. */
function cutShortText(incomplete: Incomplete): string {
  return incomplete.cutShort ? `; ${incomplete.cutShort} was cut short and is left out` : '';
}

/** Words that begin a finding's sentence but not a name: lower-cased after the lead-in. */
const SENTENCE_STARTS = /^(No|These|The|Chunk|For) /;

/** "From the 2 of 9 settings run before the run was interrupted: ...; the 7 not run could change this answer." */
function fromSettingsRun(incomplete: Incomplete, text: string): string {
  const { measured, planned } = incomplete;
  const of = planned === null ? `${measured}` : `${measured} of ${planned}`;
  const body = SENTENCE_STARTS.test(text) ? text[0]?.toLowerCase() + text.slice(1) : text;
  const missing = planned === null ? null : planned - measured;
  return (
    `From the ${of} setting${planned === 1 || (planned === null && measured === 1) ? '' : 's'} run in full before ${stopText(incomplete)}${incomplete.cutShort ? ` (${incomplete.cutShort} was cut short and is left out)` : ''}: ${body}` +
    (missing === null || missing > 0
      ? ` The ${missing === null ? 'settings' : `${missing} setting${missing === 1 ? '' : 's'}`} not run in full could change this answer.`
      : '')
  );
}

function wholeRunText(finding: Finding): string {
  switch (finding.kind) {
    case 'capacity':
      return capacityText(finding);
    case 'profile-sweep':
      return profileSweepText(finding);
    case 'no-capacity':
      return noCapacityText(finding);
    case 'capacity-plan':
      return planText(finding);
    case 'no-capacity-plan':
      return noPlanText(finding);
    case 'run-cost':
      return runCostText(finding);
    case 'stream-batching-no-effect':
      return finding.cause === 'raw-sse'
        ? 'The endpoint streams raw SSE (worker-vllm 2.24 or later), which ignores max_batch_size, min_batch_size and batch_size_growth_factor: differences between these settings are noise. Tune the poll interval instead.'
        : 'Chunk sizes do not follow the requested batch settings (they differ by under 10%): this worker seems to ignore the batch knobs, so differences between these settings are noise.';
    case 'stream-batching-alike':
      return `These ${finding.settings.length} settings perform alike here (p50 TTFT and /stream calls per request within 5% of each other): none is better. With fixed-interval polling the poll interval sets the pace; compare batch sizes with long-polling (polling.wait), where each batch is one call.`;
    case 'stream-batching-target-met':
      return targetMetText(finding);
    case 'stream-batching-target-missed':
      return targetMissedText(finding);
    case 'stream-batching-front':
      return frontText(finding);
    case 'cold-starts':
      return coldStartText(finding);
    case 'platform-overhead':
      return platformOverheadText(finding);
    case 'what-if-answer':
      return whatIfAnswerText(finding);
    case 'what-if-none':
      return whatIfNoneText(finding);
    default: {
      const never: never = finding;
      return never;
    }
  }
}

function rpsText(rps: number | null, interval: { low: number; high: number } | null): string {
  if (rps === null) return 'not measured';
  return `${round(rps)} req/s${interval ? ` (95% interval ${round(interval.low)}-${round(interval.high)})` : ''}`;
}

function profileSweepText(f: ProfileSweepFinding): string {
  const head = `One request at a time (synchronous): ${rpsText(f.synchronousRps, f.synchronousInterval)}; every request at once (throughput): ${rpsText(f.throughputRps, f.throughputInterval)}, in their steady parts.`;
  const why = f.incomplete ? `: ${stopText(f.incomplete)}${cutShortText(f.incomplete)}` : '';
  if (f.rates.length === 0)
    return `${head} No constant rates ran${f.incomplete ? ` (${why.slice(2)})` : f.sweepConclusion ? ` (${f.sweepConclusion})` : ''}.`;
  const rates = f.rates.map((r) => round(r.rate)).join(', ');
  const missing = f.sweepSize - 2 - f.rates.length;
  return `${head} Constant rates evenly spaced between them: ${rates} req/s${missing > 0 ? ` (${missing} more did not run${why})` : ''}; the table has each one's latency.`;
}

function unitOf(field: CapacityFinding['field']): string {
  return field === 'load.rate' ? ' req/s' : ' in flight';
}

function intervalText(interval: CapacityFinding['requestsPerSecInterval']): string {
  if (interval === undefined) return '';
  if (interval === null) return ' (too few requests in its steady part for an interval)';
  // The table's req/s counts the step's ramp-up and drain too, so it reads lower.
  return ` in its steady part (95% interval ${round(interval.low)}-${round(interval.high)}; the table's req/s also counts the ramp-up and drain)`;
}

function noCapacityText(f: NoCapacityFinding): string {
  const slo = f.slo.join('; ') || 'errors only';
  if (!f.incomplete) return `No level met the SLOs (${slo}): ${f.sweepConclusion ?? 'the first step already failed'}.`;
  const stop = stopText(f.incomplete);
  if (f.levelsTried === 0)
    return `No answer: ${stop} before the sweep measured its first step in full${f.incomplete.cutShort ? ` (${f.incomplete.cutShort} was cut short)` : ''}, so nothing is known of the load within the SLOs (${slo}).`;
  return `The sweep stopped after ${f.levelsTried} step${f.levelsTried === 1 ? '' : 's'} (${stop}${cutShortText(f.incomplete)}): no level it measured met the SLOs (${slo}); it did not conclude.`;
}

function noPlanText(f: NoCapacityPlanFinding): string {
  if (!f.incomplete)
    return 'No plan: the endpoint reported no serving workers through /health during the best step, so capacity per worker is unknown (enable polling.health).';
  const stop = stopText(f.incomplete);
  const bound = f.bound
    ? `: a worker takes at least ${round(f.bound.requestsPerSecPerWorkerAtLeast)} req/s within the SLOs, so ${f.targetRps} req/s needs at most ${f.bound.workersAtMost} worker${f.bound.workersAtMost === 1 ? '' : 's'}, and a finished sweep may find it needs fewer`
    : '';
  return `No plan for ${f.targetRps} req/s: the capacity sweep did not finish (${stop}), so the capacity per worker is only a lower bound${bound}. Run the sweep to its end for a plan.`;
}

function capacityText(f: CapacityFinding): string {
  if (f.incomplete) return incompleteCapacityText(f, f.incomplete);
  const unit = unitOf(f.field);
  const { workers, requestsPerSec: rps } = f;
  return (
    `The most load within the SLOs is ${f.level}${unit}: ${round(rps)} req/s${intervalText(f.requestsPerSecInterval)} and ${round(f.outputTokensPerSec, 0)} output tokens/s` +
    (workers
      ? ` on ${round(workers, 1)} worker${workers === 1 ? '' : 's'} (${round(rps / workers)} req/s per worker)`
      : '') +
    `. ${f.sweepConclusion ? `${f.sweepConclusion}.` : ''}` +
    (f.kneeLevel !== null
      ? ` Throughput reaches 90% of its maximum at ${f.kneeLevel}${unit} (the knee): beyond it, more load mostly adds queueing.`
      : '')
  );
}

/** A search the run stopped: the level is a lower bound, and no knee is claimed. */
function incompleteCapacityText(f: CapacityFinding, i: NonNullable<CapacityFinding['incomplete']>): string {
  const unit = unitOf(f.field);
  const { workers, requestsPerSec: rps } = f;
  return (
    `The sweep stopped at ${i.highestLevel}${unit} (${stopText(i)}${cutShortText(i)}): the most load within the SLOs is at least ${f.level}${unit}` +
    (i.lowestBadLevel !== null ? ` and less than ${i.lowestBadLevel}${unit}, which broke them` : '') +
    `, with ${round(rps)} req/s${intervalText(f.requestsPerSecInterval)} and ${round(f.outputTokensPerSec, 0)} output tokens/s` +
    (workers
      ? ` on ${round(workers, 1)} worker${workers === 1 ? '' : 's'} (${round(rps / workers)} req/s per worker)`
      : '') +
    '. The sweep did not conclude, so the knee was not reached and is not given; the steps not run could raise the answer.'
  );
}

/** Costs are in whatever currency the price was given in: say which price they come from. */
function priceText(pricePerSecond: number | null): string {
  return pricePerSecond === null
    ? ''
    : ` (at ${round(pricePerSecond * 3600, 4)} per worker-hour, in the currency of the price given)`;
}

function planText(f: CapacityPlanFinding): string {
  return (
    `For ${f.targetRps} req/s at ${round(f.requestsPerSecPerWorker)} req/s per worker: ${f.workersNeeded} worker${f.workersNeeded > 1 ? 's' : ''}. ` +
    `Keep them active (workers.min ${f.activeWorkers}) so the base load never waits for a cold start, and allow workers.max ${f.maxWorkers} for bursts` +
    (f.coldStartP90Ms !== null
      ? `, which wait for a cold start (p90 ${round(f.coldStartP90Ms / 1000, 1)} s measured) plus the scaler's reaction`
      : '') +
    '.' +
    (f.costPerHour !== null
      ? ` Active workers cost ${round(f.costPerHour)} per hour, ${round(f.costPerMillionOutputTokens ?? 0)} per million output tokens at this traffic${priceText(f.pricePerSecond)}.`
      : ' Give a GPU price (plan.gpuPricePerHour) for costs.') +
    (f.rateFrom === 'this-load'
      ? ` The per-worker rate is what this run's load drew from the workers, not how much one takes: this run searched no capacity, so the plan may ask for more workers than needed. Plan on a capacity search (podbench run capacity, or load.profile: sweep).`
      : '')
  );
}

function runCostText(f: RunCostFinding): string {
  const cost = f.totalSeconds * f.pricePerSecond;
  const warmups = f.warmupRequests;
  const perMillion =
    f.outputTokens > 0
      ? `, ${round((cost / f.outputTokens) * 1e6, 2)} per million measured output tokens${warmups > 0 ? ` (the billed time includes the ${warmups} warmup request${warmups === 1 ? '' : 's'}, whose tokens are not measured)` : ''}`
      : '';
  return `This run kept workers billed for about ${round(f.totalSeconds, 1)} s (${round(f.busySeconds, 1)} s executing, ${round(f.idleSeconds, 1)} s in idle timeouts, ${round(f.coldStartSeconds, 1)} s booting): about ${round(cost, 4)}${perMillion}${priceText(f.pricePerSecond)}. An estimate from the jobs podbench saw.`;
}

/** Without effect, only the polling part of a setting matters: say so where a setting is named. */
function asideOf(knobsIgnored: boolean): string {
  return knobsIgnored ? ' (its batch settings make no difference on this worker: only its polling counts)' : '';
}

/** The request fields, in the order worker-vllm documents them, with the environment variables that set their defaults. */
const BATCH_FIELDS = [
  ['max_batch_size', 'DEFAULT_BATCH_SIZE', 50],
  ['min_batch_size', 'MIN_BATCH_SIZE', 1],
  ['batch_size_growth_factor', 'BATCH_SIZE_GROWTH_FACTOR', 3],
] as const;

function pollText(streaming: NonNullable<TunedSetting['streaming']>): string {
  return streaming.pollWaitMs > 0
    ? `poll /stream with a long-poll of ${round(streaming.pollWaitMs / 1000, 2)} s (?wait=${streaming.pollWaitMs}, polling.wait)`
    : `poll /stream every ${round(streaming.pollIntervalMs, 0)} ms (polling.interval)`;
}

/**
 * The setting in the worker's terms: the request fields to send, the environment variables
 * that make them the worker's defaults (worker-vllm up to 2.23 reads DEFAULT_BATCH_SIZE,
 * MIN_BATCH_SIZE and BATCH_SIZE_GROWTH_FACTOR; the DEFAULT_MIN_BATCH_SIZE and
 * DEFAULT_BATCH_SIZE_GROWTH_FACTOR its docs name are never read), and the polling.
 */
export function settingInWorkerTerms(setting: TunedSetting, knobsIgnored: boolean): string {
  const streaming = setting.streaming;
  if (!streaming) return '';
  if (knobsIgnored) return ` To use it, ${pollText(streaming)}.`;
  const given = BATCH_FIELDS.filter(([field]) => streaming[field] !== undefined);
  const defaults = BATCH_FIELDS.filter(([field]) => streaming[field] === undefined);
  const fields = given.map(([field]) => `${field}: ${streaming[field]}`).join(', ');
  const env = given.map(([field, variable]) => `${variable}=${streaming[field]}`).join(' ');
  const fraction = given.some(
    ([field]) => field === 'batch_size_growth_factor' && !Number.isInteger(streaming.batch_size_growth_factor),
  );
  return (
    ' To use it' +
    (given.length > 0
      ? `, send ${fields} in each request's input, or make them the worker's defaults with the environment variables ${env}` +
        (fraction
          ? ' (BATCH_SIZE_GROWTH_FACTOR takes whole numbers only: worker-vllm parses it with int(), so send a fractional factor per request)'
          : '') +
        (defaults.length > 0
          ? `; ${defaults.map(([field, variable, value]) => `${field} stays the worker's default (${variable}, ${value} unless set)`).join(', ')}`
          : '')
      : ", leave max_batch_size, min_batch_size and batch_size_growth_factor at the worker's defaults (DEFAULT_BATCH_SIZE, MIN_BATCH_SIZE, BATCH_SIZE_GROWTH_FACTOR)") +
    `, and ${pollText(streaming)}.`
  );
}

/** max_batch_size 64, min_batch_size 8, growth 2; long-poll 10 s: a setting in a few words. */
function shortSetting(setting: TunedSetting, knobsIgnored: boolean): string {
  const streaming = setting.streaming;
  if (!streaming) return setting.variant;
  const poll =
    streaming.pollWaitMs > 0
      ? `long-poll ${round(streaming.pollWaitMs / 1000, 2)} s`
      : `polls every ${round(streaming.pollIntervalMs, 0)} ms`;
  const fields = knobsIgnored
    ? []
    : BATCH_FIELDS.filter(([field]) => streaming[field] !== undefined).map(([field]) => `${field} ${streaming[field]}`);
  return `${setting.variant} (${[...fields, poll].join(', ')})`;
}

function targetMetText(f: BatchingTargetMetFinding): string {
  const best = f.best;
  return `${shortSetting(best, f.knobsIgnored)}${asideOf(f.knobsIgnored)} meets the TTFT target (p95 ${Math.round(best.ttftP95Ms)} ms ≤ ${f.ttftTargetMs} ms) with the fewest /stream calls (${best.streamCallsPerRequest.toFixed(1)} per request)${f.settingsMeeting === 1 ? ', the only setting that meets it' : ` of the ${f.settingsMeeting} settings that meet it`}.${settingInWorkerTerms(best, f.knobsIgnored)}`;
}

function targetMissedText(f: BatchingTargetMissedFinding): string {
  return `No setting meets the TTFT target of ${f.ttftTargetMs} ms; ${shortSetting(f.closest, f.knobsIgnored)}${asideOf(f.knobsIgnored)} comes closest (p95 ${Math.round(f.closest.ttftP95Ms)} ms). The first token's latency is then mostly queueing and prefill, not batching.`;
}

function frontText(f: BatchingFrontFinding): string {
  const aside = asideOf(f.knobsIgnored);
  const only = f.front.length === 1 ? f.front[0] : undefined;
  return only
    ? `No TTFT target was given${aside}: ${shortSetting(only, f.knobsIgnored)} gives a first token as soon as any other setting (p50 within 5%) with the fewest /stream calls (TTFT p50 ${Math.round(only.ttftP50Ms)} ms, ${only.streamCallsPerRequest.toFixed(1)} calls).${settingInWorkerTerms(only, f.knobsIgnored)}`
    : `No TTFT target was given${aside}: these ${f.front.length} settings are the Pareto front (no other gives a sooner first token with as few /stream calls): ${f.front.map((r) => `${shortSetting(r, f.knobsIgnored)}: TTFT p50 ${Math.round(r.ttftP50Ms)} ms, ${r.streamCallsPerRequest.toFixed(1)} calls`).join('; ')}. Send the chosen one's fields in each request's input, or set DEFAULT_BATCH_SIZE, MIN_BATCH_SIZE and BATCH_SIZE_GROWTH_FACTOR on the worker (give tuning.ttftTarget for one answer).`;
}

/** A warm request's delayTime is often under a millisecond: say so rather than "0 s". */
function warmDelayText(ms: number): string {
  return ms < 1 ? 'under 1 ms' : ms < 1000 ? `${round(ms, 0)} ms` : `${round(ms / 1000, 2)} s`;
}

function coldStartText(f: ColdStartFinding): string {
  const scale =
    f.timeToFirstWorkerMs !== null
      ? ` From zero, the first worker served after ${round(f.timeToFirstWorkerMs / 1000, 2)} s` +
        ((f.maxServingWorkers ?? 0) > 1
          ? ` and all ${f.maxServingWorkers} after ${round((f.timeToMaxWorkersMs ?? 0) / 1000, 2)} s`
          : '') +
        ` (± ${round((f.scalingResolutionMs ?? 0) / 1000, 2)} s, the /health sampling).`
      : '';
  return (
    `${f.variant}: ${f.coldRequests} request${f.coldRequests > 1 ? 's' : ''} (${round((f.coldShare ?? 0) * 100, 1)}% of those with server timing) waited for a cold start: delayTime p50 ${round((f.coldP50Ms ?? 0) / 1000, 2)} s, p90 ${round((f.coldP90Ms ?? 0) / 1000, 2)} s` +
    (f.warmRequests > 0
      ? `, against ${warmDelayText(f.warmP50Ms ?? 0)} for warm requests (p50).`
      : ' (no request was warm).') +
    scale +
    ' Active workers (workers.min) remove cold starts for the traffic they carry; FlashBoot shortens revivals of scaled-down workers.'
  );
}

/** "+152 ms (± 12 ms)": a figure and how far it may be off, both in whole ms. */
function pm(figure: Uncertain, signed = false): string {
  const ms = Math.round(figure.ms);
  return `${signed && ms >= 0 ? '+' : ''}${ms} ms (± ${Math.ceil(figure.uncertaintyMs)} ms)`;
}

const METRIC_WORDS: Record<PlatformOverheadFinding['differences'][number]['metric'], string> = {
  e2eMs: 'E2E',
  ttftMs: 'TTFT',
};

function platformOverheadText(f: PlatformOverheadFinding): string {
  const diffs = f.differences
    .map(
      (d) =>
        `${METRIC_WORDS[d.metric]} p50 ${pm(d.difference, true)} (${Math.round(d.viaP50Ms)} ms against ${Math.round(d.directP50Ms)} ms)`,
    )
    .join(', ');
  const parts = [`${f.via} (${f.mode}) against the model server itself (${f.direct}): ${diffs}.`];
  if (f.queueDelay) parts.push(`The queue held each job ${pm(f.queueDelay)} before a worker took it (delayTime p50).`);
  if (f.pollingCost) parts.push(`Polling saw the first token ${pm(f.pollingCost)} later on top of that.`);
  if (f.outsideServer)
    parts.push(
      `${pm(f.outsideServer)} passed outside the server's delayTime and executionTime (network round trips, gateway${f.mode === 'sync' ? '' : ', polling'}).`,
    );
  const calls = round(f.callsPerRequest, 1);
  parts.push(
    `${calls} HTTP call${calls === 1 ? '' : 's'} per request (the model server: 1)${calls > 1 ? `: ${round(f.callsPerRequest - 1, 1)} extra round trips` : ''}.`,
  );
  if (f.coldStarts > 0)
    parts.push(
      `${f.coldStarts} request${f.coldStarts === 1 ? '' : 's'} waited for a cold start (delayTime p50 ${round((f.coldStartP50Ms ?? 0) / 1000, 1)} s)${f.coldNotSeparated ? '' : ', left out of the medians above'}; the model server has none.`,
    );
  else if (f.coldNotSeparated)
    parts.push('This path reports no server timing, so cold starts cannot be told apart here.');
  else parts.push('No request waited for a cold start.');
  return parts.join(' ');
}

/** "workers.min=1, workers.max=3, workers.idleTimeout=5s". */
export function candidateSettingsText(settings: Record<string, unknown>): string {
  return Object.entries(settings)
    .map(([path, value]) => `${path}=${settingValueText(path, value)}`)
    .join(', ');
}

function settingValueText(path: string, value: unknown): string {
  if (typeof value === 'number' && /idleTimeout$/.test(path))
    return value % 1000 === 0 ? `${value / 1000}s` : `${value}ms`;
  if (value !== null && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.type === 'string' && v.value !== undefined) return `${v.type}:${String(v.value)}`;
    return JSON.stringify(value);
  }
  return String(value);
}

export function costText(amount: number, price: WhatIfPrice): string {
  return price.given ? round(amount, amount >= 10 ? 2 : 4).toString() : `${round(amount, 2)} worker-hours`;
}

function sloFigure(check: SloCheck): string {
  const value = check.predicted === null ? 'not predicted' : fmtMsOrNumber(check.metric, check.predicted);
  const error = check.errorShare === null ? 'model error unknown' : `model error ±${round(check.errorShare * 100, 0)}%`;
  return `${check.metric} ${value} against ${check.op} ${fmtMsOrNumber(check.metric, check.limit)} (${error})`;
}

function fmtMsOrNumber(metric: string, value: number): string {
  if (/Ms(\.|$)/.test(metric)) return value >= 10_000 ? `${round(value / 1000, 1)} s` : `${round(value, 0)} ms`;
  return `${round(value, 4)}`;
}

function candidateFigures(c: WhatIfCandidate, price: WhatIfPrice): string {
  const perM =
    c.costPerMillionTokens === null ? '' : `, ${costText(c.costPerMillionTokens, price)} per million output tokens`;
  return `${costText(c.costPerHour, price)} per hour${perM}`;
}

function whatIfAnswerText(f: WhatIfAnswerFinding): string {
  const source =
    f.calibratedFrom === null
      ? 'an emulator that was not calibrated'
      : `the emulator calibrated from ${f.calibratedFrom}`;
  const r = f.recommended;
  const unknown = r.slo.some((s) => s.margin === 'met-error-unknown');
  let text =
    `A model's answer, not a measurement (${source}; ${f.candidatesTried} settings tried, ${f.candidatesMeeting} met the SLOs as predicted). ` +
    `Cheapest settings meeting the SLOs: ${candidateSettingsText(r.settings)}, at ${candidateFigures(r, f.price)}. ` +
    `Predicted: ${r.slo.map(sloFigure).join('; ')}.`;
  if (unknown) text += " The model's error is unknown (no replay check): treat every margin as unproven.";
  else if (!r.meetsWithMargin) {
    text += " FLAGGED: it meets the SLOs only within the model's error, so the real endpoint may miss them.";
    text += f.safer
      ? ` The cheapest setting with the error to spare is ${candidateSettingsText(f.safer.settings)}, at ${candidateFigures(f.safer, f.price)}.`
      : ' No setting tried meets them with the error to spare.';
  } else text += " Met with the model's error to spare.";
  text += ` Confirm with one real run: ${f.confirm.load}, checked against the SLOs (podbench run ${f.confirm.scenarioFile}, on the endpoint set as above).`;
  return text;
}

function whatIfNoneText(f: WhatIfNoneFinding): string {
  const source =
    f.calibratedFrom === null
      ? 'an emulator that was not calibrated'
      : `the emulator calibrated from ${f.calibratedFrom}`;
  if (f.closest === null) return `A model's answer (${source}): no setting could be tried.`;
  const missed = f.closest.slo.filter((s) => s.margin !== 'met' && s.margin !== 'met-error-unknown').map(sloFigure);
  return `A model's answer (${source}): none of the ${f.candidatesTried} settings tried meets the SLOs. Closest: ${candidateSettingsText(f.closest.settings)} at ${candidateFigures(f.closest, f.price)} (${missed.join('; ')}). Search higher workers.max, workers.min or workers.concurrency (--search), or loosen the SLOs.`;
}
