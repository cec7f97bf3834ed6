import { describe, expect, it } from 'vitest';
import { levelAt, planLoad } from './load-plan.js';

const base = { arrival: 'constant' as const };

describe('planLoad', () => {
  it('normalises a closed loop', () => {
    const result = planLoad({ ...base, concurrency: 4, requests: 20, warmup: { requests: 2 } });
    expect(result).toEqual({
      ok: true,
      plan: {
        model: 'closed',
        profile: [{ atMs: 0, level: 4 }],
        arrival: 'constant',
        requests: 20,
        warmup: { requests: 2, durationMs: 0 },
      },
    });
  });

  it('ramps open-loop stages from the starting rate, and takes their length as the duration', () => {
    const result = planLoad({
      ...base,
      rate: 1,
      stages: [
        { duration: 10_000, rate: 5 },
        { duration: 5000, rate: 5 },
      ],
    });
    if (!result.ok) throw new Error(result.problems.join());
    expect(result.plan.model).toBe('open');
    expect(result.plan.durationMs).toBe(15_000);
    expect(levelAt(result.plan.profile, 5000)).toBe(3);
    expect(levelAt(result.plan.profile, 20_000)).toBe(5);
  });

  it('names every problem a person can make', () => {
    const problems = (load: Parameters<typeof planLoad>[0]) => {
      const result = planLoad(load);
      return result.ok ? [] : result.problems;
    };
    expect(problems({ ...base, concurrency: 2, rate: 3, requests: 1 })).toContain(
      'load: give concurrency (closed loop) or rate (open loop), not both',
    );
    expect(problems({ ...base, concurrency: 2 })).toContain(
      'load: set requests, duration or stages, or the run would never stop',
    );
    expect(problems({ arrival: 'poisson', concurrency: 2, requests: 1 })).toContain(
      'load.arrival: poisson arrivals need an open loop (set load.rate)',
    );
    expect(problems({ ...base, requests: 3 })).toContain(
      'load: set concurrency (closed loop), rate (open loop) or stages',
    );
    expect(
      problems({
        ...base,
        stages: [
          { duration: 1000, rate: 2 },
          { duration: 1000, concurrency: 2 },
        ],
      }),
    ).toContain('load.stages: mix concurrency and rate stages, use one kind');
  });

  it('plans probes, one at a time, and rejects loads that do not apply to them', () => {
    expect(planLoad({ ...base, probes: 5, untilIdle: true })).toEqual({
      ok: true,
      plan: {
        model: 'probe',
        profile: [{ atMs: 0, level: 1 }],
        arrival: 'constant',
        requests: 5,
        warmup: { requests: 0, durationMs: 0 },
        probe: { gapMs: 0, untilIdle: true },
      },
    });
    const bad = planLoad({ ...base, probes: 5, concurrency: 2 });
    expect(bad.ok ? [] : bad.problems).toEqual([
      'load.concurrency: does not apply to probes (one request at a time)',
      'load: probes need a gap (longer than the idle timeout) or untilIdle: true',
    ]);
  });
});
