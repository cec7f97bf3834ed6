// The embedded emulator of a Runpod Serverless endpoint running worker-vllm: the public API.
//
//   startEmulator(settings, options)          serve it on this thread's event loop
//   startEmulatorInWorker(settings, options)  serve it from a worker thread, so a load
//                                             generator on this thread does not share an
//                                             event loop with it
//
//   simulateEndpoint(settings, traffic)      run the same endpoint on a simulated clock over a
//                                            list of requests (no HTTP, no real time)
//
// Both start functions resolve to a RunningEmulator: its base URL (http://HOST:PORT/v2/local; any endpoint
// id works), its settings, the ground truth of any job (jobTruth, also served at
// GET /_emulator/jobs/{id}), and close().
//
// The rule: code outside src/emulator imports only this file, or settings/index.ts when it
// needs the settings alone (the schema, its types, the shorthand flags) without loading the
// emulator. The emulator itself imports only src/core and src/util from outside.
//
// The rooms, bottom up (a room imports only the ones before it, and types.ts and clock.ts):
//   settings/  what can be configured, and the shorthand flags of `podbench emulate`
//   formats/   what worker-vllm and vLLM read and write: job-input parsers, the plan they
//              make, sampling parameters, prompt tokens, OpenAI shapes, error shapes, Python repr
//   worker/    what a worker does with a job: the backend seam, the synthetic engine's step
//              loop, sequences, output emitters, BatchSize, SSE slices
//   llama/     the backend that runs a real GGUF model through node-llama-cpp
//   platform/  the endpoint as Runpod runs it: jobs, queue, fleet, scaler, timeline,
//              webhooks, rate limits, retention, the emulator's own stats
//   http/      the API over HTTP: routing, auth, held requests, OpenAI routes, HTTP faults
//   start.ts   startEmulator; thread/ runs it in a worker thread
//   simulate.ts  the endpoint on a simulated clock (platform/ without http/)
// types.ts holds the objects that point at each other (job, run, worker slot, timeline
// entry); clock.ts is the one clock.
export type { EmulatorSettings, EmulatorSettingsInput } from './settings/schema.js';
export { emulatorSettingsSchema, resolveEmulatorSettings } from './settings/schema.js';
export type { JobTruth } from './types.js';
export { estimateTokens, estimateChatTokens } from './formats/tokens.js';
export type { EmulatorStatsSnapshot, LatencySummary } from './platform/stats.js';
export { startEmulator, toSettings, endpointUrlOf, type RunningEmulator, type StartEmulatorOptions } from './start.js';
export { startEmulatorInWorker } from './thread/host.js';
export { simulateEndpoint } from './simulate.js';
