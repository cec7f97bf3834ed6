// The calls each mode makes, per kind of target (docs/targets.md). Runpod's queue API and
// the Python SDK's local test server share the job routes' names but not their meaning:
//
//                 Runpod (api.runpod.ai, emulator)          local test server (--rp_serve_api)
//   sync          POST /runsync?wait=                       POST /runsync (runs the job, answers)
//   async         POST /run, GET /status/{id} polled        POST /run (stores only), POST /status/{id}
//                                                           (runs it to the end, answers, forgets it)
//   stream        POST /run, GET /stream/{id} polled,       POST /run, POST /stream/{id} (runs it to the
//                 one GET /status/{id} for server times     end, answers every partial at once)
//   openai(-stream) POST /openai/v1/...                     (none)
//
// A bare OpenAI-compatible server (.../v1) takes only the OpenAI modes, at its own routes.
import type { TargetApi } from '../../core/target-api.js';

export interface JobCall {
  method: 'GET' | 'POST';
  url: string;
}

export interface TargetCalls {
  api: TargetApi;
  /** The URL of a submission (src/scenario/payload.ts paths are those of a Runpod endpoint: /run, /runsync?wait=, /openai/v1/...). */
  submitUrl(path: string): string;
  /** Follows a job's status; waitMs > 0 asks for a long-poll (/status-sync) where there is one. */
  status(jobId: string, waitMs: number): JobCall;
  stream(jobId: string, waitMs: number): JobCall;
  /**
   * /status and /stream run the job to its end before answering (the local test server): one
   * call as long as the job, every partial in it, and the job forgotten afterwards.
   */
  runsOnFollow: boolean;
}

const OPENAI_PREFIX = '/openai/v1';

export function targetCalls(api: TargetApi, baseUrl: string): TargetCalls {
  switch (api) {
    case 'runpod':
      return {
        api,
        submitUrl: (path) => `${baseUrl}${path}`,
        status: (jobId, waitMs) => ({
          method: 'GET',
          url:
            waitMs > 0
              ? `${baseUrl}/status-sync/${encodeURIComponent(jobId)}?wait=${Math.round(waitMs)}`
              : `${baseUrl}/status/${encodeURIComponent(jobId)}`,
        }),
        stream: (jobId, waitMs) => ({
          method: 'GET',
          url: `${baseUrl}/stream/${encodeURIComponent(jobId)}${waitMs > 0 ? `?wait=${Math.round(waitMs)}` : ''}`,
        }),
        runsOnFollow: false,
      };
    case 'runpod-local':
      return {
        api,
        // No ?wait: /runsync runs the job whole, however long.
        submitUrl: (path) => `${baseUrl}${path.replace(/\?.*$/, '')}`,
        // POST only: GET answers 405 there.
        status: (jobId) => ({ method: 'POST', url: `${baseUrl}/status/${encodeURIComponent(jobId)}` }),
        stream: (jobId) => ({ method: 'POST', url: `${baseUrl}/stream/${encodeURIComponent(jobId)}` }),
        runsOnFollow: true,
      };
    case 'openai':
      return {
        api,
        // The base already ends in /v1: /openai/v1/chat/completions → <base>/chat/completions.
        submitUrl: (path) => `${baseUrl}${path.startsWith(OPENAI_PREFIX) ? path.slice(OPENAI_PREFIX.length) : path}`,
        status: () => {
          throw new Error('a bare OpenAI-compatible server has no jobs to follow');
        },
        stream: () => {
          throw new Error('a bare OpenAI-compatible server has no jobs to follow');
        },
        runsOnFollow: false,
      };
    default: {
      const never: never = api;
      throw new Error(`unknown target kind ${String(never)}`);
    }
  }
}

/** The modes each kind of target answers. */
export function modesOf(api: TargetApi): readonly string[] {
  switch (api) {
    case 'runpod':
      return ['sync', 'async', 'stream', 'openai', 'openai-stream'];
    case 'runpod-local':
      return ['sync', 'async', 'stream'];
    case 'openai':
      return ['openai', 'openai-stream'];
    default: {
      const never: never = api;
      return never;
    }
  }
}
