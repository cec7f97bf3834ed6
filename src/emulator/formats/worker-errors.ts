// How a failure inside worker-vllm reaches the client. A job ends FAILED when the handler
// yields {"error": value}; runpod-python stores str(value), so the `error` string of
// /status is a Python repr whose shape depends on where the failure happened (reference
// §2.5, and worker-vllm's handler.py / engine.py / utils.py):
//
//   legacy-handler  the handler's try/except around JobInput(...) (bad sampling_params):
//                   yield {"error": str(e)}          -> the bare exception message
//   legacy-engine   vLLMEngine.generate's except:  yield {"error": create_error_response(str(e)).model_dump()}
//                   -> "{'error': {'message': ..., 'type': 'BadRequestError', 'param': None, 'code': 400}}"
//   legacy-openai   the OpenAI path yields the ErrorResponse dump itself
//                   -> "{'message': ..., 'type': ..., 'param': None, 'code': 400}"
//   proxy           every failure: {'message': ..., 'type': 'worker_error', 'code': None}; a vLLM
//                   HTTP error becomes "vLLM returned HTTP <status>: <vLLM's JSON body>"
import { pythonRepr } from './python-repr.js';

/** A problem as vLLM itself reports it (OpenAI error: message, type, HTTP status). */
export interface VllmProblem {
  message: string;
  type: string;
  status: number;
}

/** A request-level rejection before any work: what an OpenAI route answers, or a job fails with. */
export type ProblemOr<T> = { ok: true; value: T } | { ok: false; problem: VllmProblem };

export type ErrorSite = 'legacy-handler' | 'legacy-engine' | 'legacy-openai' | 'proxy';

export interface WorkerError {
  /** The job's `error` string, exactly as /status shows it. */
  text: string;
  /** What the OpenAI-compatible routes answer for this failure (an emulator choice, see http/openai-routes.ts). */
  problem: VllmProblem;
}

export function badRequest(message: string): VllmProblem {
  return { message, type: 'BadRequestError', status: 400 };
}

/** vLLM's JSON error body, compact as Starlette's JSONResponse writes it. */
export function vllmErrorBody(problem: VllmProblem): string {
  return JSON.stringify({ error: { message: problem.message, type: problem.type, param: null, code: problem.status } });
}

export function workerError(problem: VllmProblem, site: ErrorSite): WorkerError {
  const info = { message: problem.message, type: problem.type, param: null, code: problem.status };
  switch (site) {
    case 'legacy-handler':
      return { text: problem.message, problem };
    case 'legacy-engine':
      return { text: pythonRepr({ error: info }), problem };
    case 'legacy-openai':
      return { text: pythonRepr(info), problem };
    case 'proxy':
      return {
        text: pythonRepr({
          message: `vLLM returned HTTP ${problem.status}: ${vllmErrorBody(problem)}`,
          type: 'worker_error',
          code: null,
        }),
        problem,
      };
    default: {
      const never: never = site;
      throw new Error(`unknown error site ${String(never)}`);
    }
  }
}

/** A worker-level failure that is not a vLLM HTTP answer (proxy: the process died, bad input shape). */
export function proxyWorkerError(message: string, status = 500): WorkerError {
  return {
    text: pythonRepr({ message, type: 'worker_error', code: null }),
    problem: { message, type: 'worker_error', status },
  };
}
