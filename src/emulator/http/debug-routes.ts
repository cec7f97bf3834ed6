// Emulator-only routes, outside the Runpod API (/v2): for harnesses and engines that run
// out of process (k6, autocannon) and want to check their measurements.
//
//   GET /_emulator/jobs/{id}   the job's JobTruth (see types.ts), also after the platform has
//                              forgotten the job (404 on /status); 404 if never seen. {id} may
//                              also be the id of an OpenAI answer (chatcmpl-/cmpl-<32 hex>):
//                              it carries the job's uuid, as OpenAI-route clients see no job id
//   GET /_emulator/stats       the emulator's own latencies (platform/stats.ts); ?reset=1 clears them
import type { Exchange } from './exchange.js';
import { queryParam, type Query } from './query.js';

export function handleJobTruth(ex: Exchange, id: string): void {
  // The model server's /v1 answers too: their jobs never touched the platform's queue.
  const truth = ex.context.endpoint.truth(id) ?? ex.context.modelServer.truth(id);
  if (truth === undefined) return ex.error(404, `podbench emulator: no job ${id}`);
  ex.json(200, truth);
}

export function handleStats(ex: Exchange, query: Query): void {
  const stats = ex.context.endpoint.stats;
  const snapshot = stats.snapshot();
  if (queryParam(query, 'reset') === '1') stats.reset();
  ex.json(200, snapshot);
}
