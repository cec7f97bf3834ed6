// The model server behind the endpoint, as its own endpoint: what `vllm serve` is on a
// machine of its own, reached at /v1 without Runpod's platform. It shares the endpoint's
// model and generation settings, so both paths serve the same model; what it lacks is what
// the platform adds: the queue's pickup delay, cold starts (its one worker is always warm,
// never scaled down), worker-vllm's batching of stream output (vLLM writes each SSE event
// as it is produced, which the proxy worker passes on unbatched) and Runpod's rate limits.
// It runs workers.concurrency sequences at once; more wait in its own queue, as in vLLM's
// scheduler.
import type { EmulatorSettings } from '../settings/schema.js';

export function modelServerSettings(settings: EmulatorSettings): EmulatorSettings {
  return {
    ...settings,
    worker: 'proxy',
    workers: { ...settings.workers, min: 1, max: 1 },
    queue: { pickupDelay: { kind: 'fixed', ms: 0 } },
    rateLimits: { ...settings.rateLimits, enabled: false },
  };
}
