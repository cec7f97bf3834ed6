// What following one job needs from its run: where the endpoint is, how to pace polls, and
// the run's clock. The settings are the scenario's (a Scenario has them), named here by
// shape so the Runpod client does not depend on the scenario's schema.
import type { TargetCalls } from './targets/calls.js';

export interface FollowSettings {
  polling: {
    /** Pause between /status or /stream polls, growing by `backoff` up to maxInterval while nothing changes. */
    interval: number;
    backoff: number;
    maxInterval: number;
    /** Long-poll hold (?wait=, ms); 0 polls without holding. */
    wait: number;
  };
  timeouts: {
    /** One HTTP call. */
    http: number;
    /** The whole request. */
    request: number;
  };
  /** What is read of one answer (bytes); past either the request is a protocol error. */
  limits: { maxBodyBytes: number; maxSseEventBytes: number };
}

export interface FollowEnv {
  /** Endpoint base URL without a trailing slash, e.g. https://api.runpod.ai/v2/abc123. */
  endpointUrl: string;
  /** The calls this kind of target takes (Runpod's queue, the local test server, a model server). */
  calls: TargetCalls;
  scenario: FollowSettings;
  /** Milliseconds since the run started, on the monotonic clock. */
  clock: () => number;
  /** The scenario's tokenizer (input.tokenizer): counts output text when the server reports no usage. */
  countTokens?: (text: string) => number;
}
