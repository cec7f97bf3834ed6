// scenarios/platform-overhead.yaml on the emulator, whose queue and network are set to known
// values: the findings must find them again, each within the uncertainty it states. The
// model server (/v1) and the queue share the network, so what sets the queue paths apart
// is the pickup delay (and, for the polled stream, polling).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlatformOverheadFinding, Uncertain } from '../../src/core/findings.js';
import { runCli, tempDir } from '../support/cli.js';
import { readSummary } from '../support/run-files.js';

const PICKUP_MS = 250;
const ROUND_TRIP_MS = 40;
const POLL_MS = 250;

function expectWithin(figure: Uncertain | null | undefined, expected: number, what: string): void {
  expect(figure, what).toBeTruthy();
  const { ms, uncertaintyMs } = figure as Uncertain;
  expect(
    Math.abs(ms - expected),
    `${what}: ${ms.toFixed(1)} ms, expected ${expected} ms within ± ${uncertaintyMs.toFixed(1)} ms`,
  ).toBeLessThanOrEqual(uncertaintyMs);
}

describe('platform-overhead on the emulator', () => {
  let findings: PlatformOverheadFinding[];
  let stdout: string;
  beforeAll(async () => {
    const out = join(tempDir(), 'run');
    const result = await runCli(
      [
        'run',
        'platform-overhead',
        '--out',
        out,
        '--quiet',
        '--requests',
        '12',
        '--concurrency',
        '1',
        '--poll-interval',
        `${POLL_MS}ms`,
        '--set',
        'sampling_params.max_tokens=16',
        '--set',
        `emulator.queue.pickupDelay=${PICKUP_MS}ms`,
        '--set',
        `emulator.network.roundTrip=${ROUND_TRIP_MS}ms`,
        '--set',
        'emulator.generation.jitter=0',
        // Warm from the start: cold starts have their own tests; here they would only take time.
        '--set',
        'emulator.workers.min=1',
      ],
      { timeoutMs: 240_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    stdout = result.stdout;
    const summary = readSummary(out);
    findings = (summary.findings ?? []).filter((f): f is PlatformOverheadFinding => f.kind === 'platform-overhead');
  }, 300_000);

  const of = (via: string) => findings.find((f) => f.via === via) as PlatformOverheadFinding;
  const diff = (f: PlatformOverheadFinding, metric: 'e2eMs' | 'ttftMs') =>
    f.differences.find((d) => d.metric === metric)?.difference;

  it('compares each queue path with the model server', () => {
    expect(findings.map((f) => [f.direct, f.via, f.mode])).toEqual([
      ['direct', 'runsync', 'sync'],
      ['direct', 'polled-stream', 'stream'],
      ['direct', 'openai-route', 'openai-stream'],
    ]);
    for (const f of findings) expect(f.requests).toEqual({ direct: 12, via: 12 });
    expect(stdout).toMatch(/platform overhead: runsync \(sync\) against the model server itself \(direct\)/);
  });

  it('/runsync: the queue delay is the pickup delay, and it is all E2E gains', () => {
    const f = of('runsync');
    expectWithin(f.queueDelay, PICKUP_MS, 'queue delay');
    expectWithin(diff(f, 'e2eMs'), PICKUP_MS, 'E2E difference');
    // One call either way: only the network's round trip lies outside the server's figures.
    expectWithin(f.outsideServer, ROUND_TRIP_MS, 'outside the server');
    expect(f.callsPerRequest).toBe(1);
    expect(f.coldStarts).toBe(0);
    expect(f.pollingCost).toBeNull();
  });

  it('the OpenAI route: the first token comes the pickup delay later', () => {
    const f = of('openai-route');
    expectWithin(diff(f, 'ttftMs'), PICKUP_MS, 'TTFT difference');
    expectWithin(diff(f, 'e2eMs'), PICKUP_MS, 'E2E difference');
    expect(f.queueDelay).toBeNull();
    expect(f.coldNotSeparated).toBe(true);
    expect(f.callsPerRequest).toBe(1);
  });

  it('the polled stream: the same queue delay, plus polling, in more round trips', () => {
    const f = of('polled-stream');
    expectWithin(f.queueDelay, PICKUP_MS, 'queue delay');
    const polling = f.pollingCost as Uncertain;
    // A token is seen by the first poll answered after it appeared: at most one pause and one
    // poll's round trip later, and never before.
    expect(polling.ms + polling.uncertaintyMs).toBeGreaterThanOrEqual(0);
    expect(polling.ms - polling.uncertaintyMs).toBeLessThanOrEqual(POLL_MS + 2 * ROUND_TRIP_MS);
    expect(f.callsPerRequest).toBeGreaterThan(2);
  });
});
