// The error strings of injected failures, in the shape the configured worker generation
// would produce for such a failure (see worker-errors.ts for the shapes). Each message says
// it was injected, so nobody mistakes an emulator fault for a bug.
//
//   failed  legacy: vLLM raised inside generate(); create_error_response's defaults make
//           it a BadRequestError with code 400 whatever the cause (a worker-vllm quirk).
//           proxy: vLLM answered HTTP 500, or, once a stream has started, the connection
//           broke mid-body (aiohttp ClientError).
//   crash   legacy: a CUDA error (the worker then exits, sys.exit(1) in handler.py).
//           proxy: the vLLM process died under the request.
import type { Job } from './job.js';
import type { JobRun } from './job-run.js';
import { pythonRepr } from './python-repr.js';
import type { ErrorSite, WorkerError } from './worker-errors.js';
import { proxyWorkerError, vllmErrorBody } from './worker-errors.js';

const FAILED = 'EngineCore encountered an issue. See stack trace (above) for the root cause. [podbench emulator: injected failure]';
const CRASHED = 'CUDA error: an illegal memory access was encountered [podbench emulator: injected worker crash]';

/** The legacy worker's ErrorResponse dump for an exception, as create_error_response builds it. */
function legacyException(message: string, site: ErrorSite): WorkerError {
  const info = { message, type: 'BadRequestError', param: null, code: 400 };
  const text = site === 'legacy-openai' ? pythonRepr(info) : pythonRepr({ error: info });
  return { text, problem: { message, type: 'InternalServerError', status: 500 } };
}

export function failureError(run: JobRun): WorkerError {
  const site = run.plan.errorSite;
  if (site !== 'proxy') return legacyException(FAILED, site);
  if (run.job.output.length > 0) return proxyWorkerError('Request to vLLM failed: Response payload is not completed [podbench emulator: injected failure]');
  const problem = { message: FAILED, type: 'InternalServerError', status: 500 };
  return {
    text: pythonRepr({ message: `vLLM returned HTTP 500: ${vllmErrorBody(problem)}`, type: 'worker_error', code: null }),
    problem,
  };
}

/** What each job on a crashed worker fails with. */
export function crashError(victim: Job, culprit: JobRun): WorkerError {
  const site = victim.plan.kind === 'generate' ? victim.plan.errorSite : culprit.plan.errorSite;
  if (site !== 'proxy') return legacyException(CRASHED, site);
  return proxyWorkerError('Request to vLLM failed: Server disconnected [podbench emulator: injected worker crash]');
}
