// Before a variant's first request: what answers at its target (asked of the server when
// the URL does not say), which key goes there, whether the mode and engine fit, and the
// preflight of that kind (src/runpod/targets/). The emulator is started here too: its queue
// API, or its model server at /v1.
import { randomBytes } from 'node:crypto';
import { UsageError } from '../core/errors.js';
import type { TargetApi } from '../core/target-api.js';
import { startEmulatorInWorker, type RunningEmulator } from '../emulator/index.js';
import type { EngineName } from '../engines/types.js';
import { createHttpClient, type HttpClient } from '../runpod/http-client.js';
import { createJobTracker, createNoCancelTracker, type RunJobTracker } from '../runpod/job-tracker.js';
import { checkReachable, resolveModel } from '../runpod/preflight.js';
import { DEFAULT_API_KEY_ENV, isLocalHost, type Target } from '../runpod/target.js';
import { registerSecret } from '../util/redact.js';
import { modesOf } from '../runpod/targets/calls.js';
import { detectApi } from '../runpod/targets/detect.js';
import { checkLocalTestServer, checkModelServer, isLocalTestServerAt } from '../runpod/targets/preflight.js';
import { needsModel } from '../scenario/payload.js';
import type { Variant } from '../scenario/load.js';

/** Seconds per cancel request when winding down. */
const CANCEL_TIMEOUT_MS = 5000;

/** How long a variant's end waits for its cancels to be answered: --grace, and at least one cancel's timeout. */
export function cancelWaitMs(graceMs: number): number {
  return Math.max(graceMs, CANCEL_TIMEOUT_MS);
}

export interface PreparedTarget {
  api: TargetApi;
  /** Where the calls go: a Runpod endpoint's …/v2/<id>, a local server's root, a model server's …/v1. */
  baseUrl: string;
  host: string;
  apiKey: string | undefined;
  /** For preflight, /health samples and cancels. */
  control: HttpClient;
  jobs: RunJobTracker;
  model: string | undefined;
  emulator: RunningEmulator | undefined;
  close(): Promise<void>;
}

export interface TargetSetupArgs {
  variant: Variant;
  target: Target;
  engineName: EngineName;
  /** The key for a kind of target that takes one: required (Runpod's API) or only if the user named a variable. */
  readKey: (apiKeyEnv: string, required: boolean) => string | undefined;
  /** One line for the user (a note on stderr). */
  note: (line: string) => void;
  /** The run's stop (its first Ctrl-C): ends the preflight at once. */
  stop?: AbortSignal;
  /** --grace: the end of the variant waits that long for its cancels to be answered (cancelWaitMs). */
  graceMs?: number;
}

/** The variable a kind of target reads its key from: Runpod's default for its API, only a named one for a model server, none for the local test server. */
export function keyEnvFor(api: TargetApi, named: string | undefined): string | undefined {
  if (api === 'runpod') return named ?? DEFAULT_API_KEY_ENV;
  return api === 'openai' ? named : undefined;
}

/** Runpod's API needs a key, unless it runs on this machine or network (then only when it answers 401). */
export function keyRequired(api: TargetApi, host: string): boolean {
  return api === 'runpod' && !isLocalHost(host);
}

/** Problems of a variant's mode or engine on a kind of target, before anything is sent. */
export function targetProblems(api: TargetApi, variant: Variant, engineName: EngineName): string[] {
  const problems: string[] = [];
  const { mode } = variant.scenario;
  if (!modesOf(api).includes(mode)) {
    problems.push(
      api === 'openai'
        ? `mode ${mode}: a bare OpenAI-compatible server has no queue or jobs; use --mode openai or openai-stream (a Runpod endpoint's URL, and the emulator's, ends in /v2/<endpoint-id>)`
        : `mode ${mode}: Runpod's local test server has no /openai routes; use --mode sync, async or stream`,
    );
  }
  if (api !== 'runpod' && engineName !== 'native')
    problems.push(`the ${engineName} engine drives Runpod's queue API only; run a ${api} target with --engine native`);
  return problems;
}

function refuse(variant: Variant, problems: string[]): void {
  if (problems.length > 0) throw new UsageError(problems.map((p) => `variant ${variant.name}: ${p}`).join('\n'));
}

export async function prepareTarget(args: TargetSetupArgs): Promise<PreparedTarget> {
  const { variant, target } = args;
  let emulator: RunningEmulator | undefined;
  let api: TargetApi;
  let baseUrl: string;
  let host: string;
  let apiKey: string | undefined;
  if (target.kind === 'emulator') {
    // A fresh emulator per variant: no variant inherits another's warm workers. A random
    // key makes the run exercise authentication without any real secret.
    api = target.api;
    refuse(variant, targetProblems(api, variant, args.engineName));
    apiKey = randomBytes(16).toString('hex');
    registerSecret(apiKey);
    emulator = await startEmulatorInWorker(variant.scenario.emulator, { host: '127.0.0.1', port: 0, apiKey });
    baseUrl = api === 'openai' ? emulator.modelServerUrl : emulator.endpointUrl;
    host = '127.0.0.1 (emulator)';
  } else {
    host = target.host;
    if (target.api === 'detect') {
      // Asked without a key: a key goes only where the kind of server is known.
      const probe = createHttpClient(undefined);
      try {
        const found = await detectApi(probe, target.endpointUrl, target.host, args.stop);
        api = found.api;
        baseUrl = found.baseUrl;
      } finally {
        await probe.close();
      }
      args.note(`${variant.name}: ${target.endpointUrl} is ${describeApi(api)} (--target ${api} says so up front)`);
    } else {
      api = target.api;
      baseUrl = target.endpointUrl;
    }
    refuse(variant, targetProblems(api, variant, args.engineName));
    const keyEnv = keyEnvFor(api, target.apiKeyEnv);
    apiKey = keyEnv === undefined ? undefined : args.readKey(keyEnv, keyRequired(api, target.host));
  }
  if (api === 'runpod-local') {
    args.note(
      `${variant.name}: Runpod's local test server: no queue and no cold start (no delayTime or executionTime), /status and /stream run the job to its end, /stream gives every partial at once (no TTFT), and one job runs at a time per server process unless the handler is async`,
    );
  }
  const control = createHttpClient(apiKey, { maxBodyBytes: variant.scenario.limits.maxBodyBytes });
  const jobs = api === 'runpod' ? createJobTracker(baseUrl, control, CANCEL_TIMEOUT_MS) : createNoCancelTracker();
  const close = async () => {
    // Bounded: an endpoint whose /cancel never answers must not hold the run's end for
    // minutes (three tries of 5 s each, per job); what is still unanswered is reported.
    await jobs.drain(cancelWaitMs(args.graceMs ?? 0));
    await control.close();
    await emulator?.close();
  };
  try {
    let model: string | undefined;
    const given = variant.scenario.input.model;
    switch (api) {
      case 'runpod':
        try {
          await checkReachable(
            control,
            baseUrl,
            host,
            target.kind === 'endpoint' ? keyEnvFor(api, target.apiKeyEnv) : undefined,
            {
              ...(args.stop ? { stop: args.stop } : {}),
              httpMs: variant.scenario.timeouts.http,
              keyless: apiKey === undefined,
            },
          );
        } catch (err) {
          // A /v2/<id> URL copied onto the local test server: say where its routes are.
          const origin = new URL(baseUrl).origin;
          if (
            err instanceof UsageError &&
            target.kind === 'endpoint' &&
            isLocalHost(target.host) &&
            origin !== baseUrl &&
            (await isLocalTestServerAt(control, origin, args.stop))
          ) {
            throw new UsageError(
              `${baseUrl}: no such endpoint, but ${origin} is Runpod's local test server, which serves its routes at the root with no /v2/<id> prefix: use --endpoint ${origin}`,
            );
          }
          throw err;
        }
        if (needsModel(variant.scenario)) {
          const askedAt = performance.now();
          model = await resolveModel(control, `${baseUrl}/openai/v1/models`, given, args.stop);
          // The lookup is a request too: on an endpoint with no worker up it waits out a cold
          // start, which the run then never sees (its first requests find the worker warm).
          const tookMs = performance.now() - askedAt;
          if (given === undefined && tookMs >= MODEL_LOOKUP_COLD_MS)
            args.note(
              `${variant.name}: asking ${baseUrl}/openai/v1/models for the model name took ${(tookMs / 1000).toFixed(1)} s before the run, likely a worker's cold start, which the run's first requests then did not see. Give input.model (--set input.model=NAME) to measure from cold`,
            );
        }
        break;
      case 'runpod-local':
        await checkLocalTestServer(control, baseUrl, host, args.stop);
        break;
      case 'openai': {
        const served = await checkModelServer(
          control,
          baseUrl,
          host,
          target.kind === 'endpoint' ? target.apiKeyEnv : undefined,
          args.stop,
        );
        model = given ?? served[0];
        if (model === undefined)
          throw new UsageError(`${baseUrl}/models lists no model; set input.model in the scenario`);
        break;
      }
      default: {
        const never: never = api;
        throw new Error(`unknown target kind ${String(never)}`);
      }
    }
    return { api, baseUrl, host, apiKey, control, jobs, model, emulator, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A model lookup this slow was most likely a worker's cold start (a warm one answers in milliseconds). */
const MODEL_LOOKUP_COLD_MS = 1000;

function describeApi(api: TargetApi): string {
  switch (api) {
    case 'runpod':
      return "Runpod's queue API";
    case 'runpod-local':
      return "Runpod's local test server (python handler.py --rp_serve_api)";
    case 'openai':
      return 'a bare OpenAI-compatible server';
    default: {
      const never: never = api;
      return never;
    }
  }
}
