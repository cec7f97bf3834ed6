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
import { badRequest, proxyWorkerError, workerError, type ErrorSite, type WorkerError } from './worker-errors.js';

const FAILED =
  'EngineCore encountered an issue. See stack trace (above) for the root cause. [podbench emulator: injected failure]';
const CRASHED = 'CUDA error: an illegal memory access was encountered [podbench emulator: injected worker crash]';

/**
 * The legacy worker's ErrorResponse dump for an exception, in the shape of the site it was
 * raised at; what the OpenAI routes answer for it is a 500, not the dump's 400.
 */
function legacyException(message: string, site: ErrorSite): WorkerError {
  const { text } = workerError(badRequest(message), site === 'legacy-openai' ? 'legacy-openai' : 'legacy-engine');
  return { text, problem: { message, type: 'InternalServerError', status: 500 } };
}

/** An injected failure of a job at `site`; `streamed`: the job had yielded output before it. */
export function failureError(site: ErrorSite, streamed: boolean): WorkerError {
  if (site !== 'proxy') return legacyException(FAILED, site);
  if (streamed)
    return proxyWorkerError(
      'Request to vLLM failed: Response payload is not completed [podbench emulator: injected failure]',
    );
  return workerError({ message: FAILED, type: 'InternalServerError', status: 500 }, 'proxy');
}

/** What each job on a crashed worker fails with (`site`: the job's own, else the crashing one's). */
export function crashError(site: ErrorSite): WorkerError {
  if (site !== 'proxy') return legacyException(CRASHED, site);
  return proxyWorkerError('Request to vLLM failed: Server disconnected [podbench emulator: injected worker crash]');
}
