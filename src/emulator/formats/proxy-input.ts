// A job input as worker-vllm >= v2.24.0 reads it (src/handler.py _normalize_job_input):
// the job becomes one HTTP request to the local `vllm serve`, and the answer (JSON, or the
// raw SSE bytes) is the output. Batch knobs and apply_chat_template are ignored.
//
//   1. openai_input truthy        POST openai_route (default /v1/chat/completions)
//   2. openai_route truthy        GET that route (how /openai/v1/models arrives)
//   3. route truthy               method from `method`, else POST with a body and GET without
//   4. messages / prompt          {**sampling_params, stream: bool(stream), messages|prompt}
//                                 to /v1/chat/completions or /v1/completions
//   else                          ValueError -> worker_error
import type { EmulatorSettings } from '../settings/schema.js';
import type { JobPlan, OpenAIApi } from './generation-plan.js';
import { openaiJobPlan, parseOpenAIRequest } from './openai-request.js';
import { ESTIMATING_TOKENIZER, type PromptTokenizer } from './prompt.js';
import { proxyWorkerError, workerError, type VllmProblem } from './worker-errors.js';
import { pythonRepr, pythonTruthy } from './python-repr.js';
import { isObject } from './json.js';

/** A non-vLLM-shaped HTTP error from vllm serve (FastAPI's {"detail": ...}). */
function httpError(status: number, detail: string): JobPlan {
  const body = JSON.stringify({ detail });
  const problem: VllmProblem = { message: detail, type: 'worker_error', status };
  return {
    kind: 'reject',
    error: {
      text: pythonRepr({ message: `vLLM returned HTTP ${status}: ${body}`, type: 'worker_error', code: null }),
      problem,
    },
  };
}

export function planProxyJob(
  input: Record<string, unknown>,
  settings: EmulatorSettings,
  tokenizer: PromptTokenizer = ESTIMATING_TOKENIZER,
): JobPlan {
  let route: string;
  let method: string;
  let body: unknown;
  if (pythonTruthy(input.openai_input)) {
    route = pythonTruthy(input.openai_route) ? String(input.openai_route) : '/v1/chat/completions';
    method = 'POST';
    body = input.openai_input;
  } else if (pythonTruthy(input.openai_route)) {
    route = String(input.openai_route);
    method = 'GET';
  } else if (pythonTruthy(input.route)) {
    route = String(input.route);
    body = input.body;
    method = (pythonTruthy(input.method) ? String(input.method) : pythonTruthy(body) ? 'POST' : 'GET').toUpperCase();
  } else if (
    (input.messages !== undefined && input.messages !== null) ||
    (input.prompt !== undefined && input.prompt !== null)
  ) {
    const params = input.sampling_params;
    if (pythonTruthy(params) && !isObject(params)) {
      return {
        kind: 'reject',
        error: proxyWorkerError('dictionary update sequence element #0 has length 1; 2 is required'),
      };
    }
    const shorthand: Record<string, unknown> = {
      ...(isObject(params) ? params : {}),
      stream: pythonTruthy(input.stream),
    };
    if (input.messages !== undefined && input.messages !== null) {
      shorthand.messages = input.messages;
      route = '/v1/chat/completions';
    } else {
      shorthand.prompt = input.prompt;
      route = '/v1/completions';
    }
    method = 'POST';
    body = shorthand;
  } else {
    return {
      kind: 'reject',
      error: proxyWorkerError(
        'Job input must contain one of: openai_input (+openai_route), route (+body), or prompt/messages.',
      ),
    };
  }

  if (route === '/v1/models') {
    if (method !== 'GET') return httpError(405, 'Method Not Allowed');
    return { kind: 'models', model: settings.model, maxModelLen: settings.maxModelLen };
  }
  let api: OpenAIApi;
  if (route === '/v1/chat/completions') api = 'chat';
  else if (route === '/v1/completions') api = 'completions';
  else return httpError(404, 'Not Found');
  if (method !== 'POST') return httpError(405, 'Method Not Allowed');

  const parsed = parseOpenAIRequest(api, body, settings, tokenizer);
  if (!parsed.ok) return { kind: 'reject', error: workerError(parsed.problem, 'proxy') };
  return openaiJobPlan(api, parsed.value, settings, 'raw-slices', 'proxy');
}
