// Differences between the pre-refactor commit (8f5fa48) and later checkouts that were made on
// purpose, each matched against one line of tools/equivalence.ts's output and explained.
// Against d57b3af (the end of issue 14's restructuring) only the two issue 14 entries occur.
export interface Intended {
  match: RegExp;
  issue: string;
  why: string;
}

export const INTENDED: Intended[] = [
  {
    match: /report: summary\.json findings: \(absent\)/,
    issue: 'issue 14 (b4d94f5, 502a16a)',
    why: 'findings are data: summary.json carries them beside the recommendations, which keep their words',
  },
  {
    match: /report: report\.html: line \d+: " {4}const AXIS = \{/,
    issue: 'issue 14 (eacb2ef)',
    why:
      "Biome formatted the page's own script, which report.html holds verbatim: whitespace, trailing commas, " +
      'and `return span(...)` in a callback whose value is unused became `{ span(...); return; }`',
  },
  {
    match:
      /(plan: \d+\.bodies\.\d+\.body|k6 export --instances \d: \S+\.bodies\.json \d+)\.policy: \(absent\) → \{"ttl":\d+\}/,
    issue: 'issue 15 (64241a2)',
    why: "every job carries policy.ttl past the request's deadline, so Runpod drops what podbench gave up on",
  },
  {
    match: /plan: \d+\.scenario\.limits: \(absent\)/,
    issue: 'issue 15 (10ca6be)',
    why: 'a new `limits:` block (answer and SSE event size caps) with its defaults',
  },
  {
    match: /plan: \d+\.scenario\.emulator\.http: \(absent\)/,
    issue: 'issue 15 (207cc12)',
    why: "the emulator's new request and idle timeouts, with their defaults",
  },
  {
    match: /k6 export --instances \d: \S+\.ts: line \d+: " {2}retry: \{ maxRetries/,
    issue: 'issue 15 (207cc12)',
    why: 'the k6 runtime caps answer sizes (limits.maxBodyBytes) and retries honestly: its config type gains fields',
  },
  {
    match: /report: summary\.json variants\.\d+\.clientLoopDelay\.(share|against|significant): \(absent\)/,
    issue: 'issue 18 (35341b4)',
    why: "podbench's loop delay is weighed against the latency it inflates (new fields; the measured ones are unchanged)",
  },
  {
    match: /report: summary\.json recommendations\.\d+\.reason: /,
    issue: 'issue 18 (35341b4)',
    why: "tuning answers in worker terms: the reason's words end by saying where to set the batch sizes",
  },
  {
    match: /report stdout: line \d+: /,
    issue: 'issue 18 (35341b4)',
    why:
      'the live console: a warm TTFT column, a stream tuning table, warnings once at the end; ' +
      "its numbers are summary.json's, compared above",
  },
  {
    match: /report: report\.html: line \d+: "footer \{/,
    issue: 'issue 18 (8dcc8e6, fbb5bcb)',
    why: 'report.html shows every number: purpose first, every variant drawn',
  },
  {
    match: /k6 export --instances 2: run\.json k6Instances: \(absent\) → 2/,
    issue: 'newcomer fixes (k6 report warnings)',
    why: 'run.json records the instances planned, so `podbench report` warns when a segment’s output is missing',
  },
];
