// Runpod's documented rate limits per endpoint and per operation: requests in any 10 s
// window, and requests in flight at once. Over either, the platform answers 429. Source: the
// reference's §1.7 (/work/shared/reference/runpod-api.md), from Runpod's docs,
// serverless/endpoints/send-requests.mdx. One table: the emulator's default limits and the
// planner's rate-limit warnings (answers/rate-limits.ts) both read it.
//
// Left out: /requests (10 per 10 s, 2 in flight), which podbench never calls, and the dynamic
// limit, max(base limit, running workers x a per-worker rate), whose per-worker rate is not
// documented (the emulator's rateLimits.perWorkerPer10s, 0 by default).
export const RUNPOD_LIMITS = {
  run: { per10s: 1000, concurrent: 200 },
  runsync: { per10s: 2000, concurrent: 400 },
  status: { per10s: 2000, concurrent: 400 },
  stream: { per10s: 2000, concurrent: 400 },
  cancel: { per10s: 100, concurrent: 20 },
  /** No documented limit on requests in flight. */
  purgeQueue: { per10s: 2 },
  /** Every route under /openai/v1. */
  openai: { per10s: 2000, concurrent: 400 },
} as const;
