// What answers at a target, and so which calls each mode makes there (docs/targets.md):
//
//   runpod        Runpod's queue API: https://api.runpod.ai/v2/<id> (or the emulator's /v2/local)
//   runpod-local  the Runpod Python SDK's local test server (python handler.py --rp_serve_api):
//                 /run, /runsync, POST /status/{id}, POST /stream/{id} at the root; no queue
//   openai        a bare OpenAI-compatible server at .../v1 (vllm serve, llama.cpp's server, or
//                 the emulator's /v1): the model server without Runpod's platform
export const TARGET_APIS = ['runpod', 'runpod-local', 'openai'] as const;
export type TargetApi = (typeof TARGET_APIS)[number];
