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
    // Neither concurrency, rate nor stages: one user, as without load: at all.
    expect(problems({ ...base, requests: 3 })).toEqual([]);
    const one = planLoad({ ...base, requests: 3 });
    expect(one.ok && { model: one.plan.model, profile: one.plan.profile, requests: one.plan.requests }).toEqual({
      model: 'closed',
      profile: [{ atMs: 0, level: 1 }],
      requests: 3,
    });
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

describe('levelAt', () => {
  it('interpolates linearly between breakpoints that do not start at 0', () => {
    const profile = [
      { atMs: 1000, level: 2 },
      { atMs: 3000, level: 10 },
    ];
    expect(levelAt(profile, 0)).toBe(2);
    expect(levelAt(profile, 2000)).toBe(6); // 2 + 8 × 1000 / 2000
    expect(levelAt(profile, 2500)).toBe(8);
    expect(levelAt(profile, 5000)).toBe(10);
    expect(levelAt([], 100)).toBe(0);
  });
});

describe('planLoad picks probes', () => {
  const problems = (load: Parameters<typeof planLoad>[0]) => {
    const result = planLoad(load);
    return result.ok ? [] : result.problems;
  };

  it('from a gap or untilIdle alone, and asks for the probe count', () => {
    const ask = 'load.probes: set how many probes to send (load.gap and load.untilIdle belong to probes)';
    expect(problems({ ...base, gap: 5000 })).toContain(ask);
    expect(problems({ ...base, untilIdle: true })).toContain(ask);
  });

  it('refuses a zero duration, all-zero levels and maxInFlight on a closed loop', () => {
    expect(problems({ ...base, concurrency: 2, duration: 0 })).toContain('load.duration: must be longer than 0');
    expect(problems({ ...base, rate: 0, requests: 5 })).toContain('load: every level is 0, nothing would be sent');
    expect(problems({ ...base, concurrency: 2, requests: 5, maxInFlight: 3 })).toContain(
      'load.maxInFlight: applies to open loops only (set load.rate)',
    );
    expect(problems({ ...base, rate: 2, requests: 5, stages: [{ duration: 1000, concurrency: 2 }] })).toContain(
      'load.stages: concurrency stages need a closed loop (drop load.rate)',
    );
  });

  it('plans an open loop with its cap and a probe with its defaults', () => {
    expect(planLoad({ ...base, rate: 5, duration: 2000, maxInFlight: 8 })).toMatchObject({
      ok: true,
      plan: { model: 'open', maxInFlight: 8, durationMs: 2000 },
    });
    const probe = planLoad({ ...base, probes: 3, gap: 10_000 });
    expect(probe).toMatchObject({ ok: true, plan: { probe: { gapMs: 10_000, untilIdle: false } } });
    const closed = planLoad({ ...base, concurrency: 2, duration: 1000 });
    expect(closed.ok && closed.plan).not.toHaveProperty('requests');
    expect(closed.ok && closed.plan).not.toHaveProperty('maxInFlight');
    const counted = planLoad({ ...base, concurrency: 2, requests: 4 });
    expect(counted.ok && counted.plan).not.toHaveProperty('durationMs');
  });
});

describe("GuideLLM's profiles", () => {
  const closed = (level: number, extra: Record<string, unknown> = {}) => ({
    ok: true,
    plan: {
      model: 'closed',
      profile: [{ atMs: 0, level }],
      arrival: 'constant',
      requests: 40,
      warmup: { requests: 2, durationMs: 0 },
      ...extra,
    },
  });

  it('plans synchronous as one request at a time', () => {
    expect(planLoad({ ...base, profile: 'synchronous', requests: 40, warmup: { requests: 2 } })).toEqual(closed(1));
  });

  it('plans throughput as every request at once, or load.maxInFlight at a time', () => {
    expect(planLoad({ ...base, profile: 'throughput', requests: 40, warmup: { requests: 2 } })).toEqual(closed(40));
    expect(
      planLoad({ ...base, profile: 'throughput', requests: 40, maxInFlight: 16, warmup: { requests: 2 } }),
    ).toEqual(closed(16));
    // A cap above the request count sends no more than there are.
    expect(
      planLoad({ ...base, profile: 'throughput', requests: 40, maxInFlight: 100, warmup: { requests: 2 } }),
    ).toEqual(closed(40));
    const timed = planLoad({ ...base, profile: 'throughput', duration: 10_000, maxInFlight: 8 });
    expect(timed.ok && timed.plan.profile).toEqual([{ atMs: 0, level: 8 }]);
    expect(timed.ok && timed.plan.durationMs).toBe(10_000);
  });

  it('plans a sweep as its first step, the synchronous run', () => {
    expect(planLoad({ ...base, profile: 'sweep', sweepSize: 6, requests: 40, warmup: { requests: 2 } })).toEqual(
      closed(1),
    );
  });

  it('names what does not go with a profile', () => {
    const problems = (load: Parameters<typeof planLoad>[0]) => {
      const result = planLoad(load);
      return result.ok ? [] : result.problems;
    };
    expect(problems({ ...base, profile: 'sweep', concurrency: 4, requests: 8 })).toEqual([
      'load.concurrency: does not apply to load.profile sweep (the profile sets the load)',
    ]);
    expect(problems({ ...base, profile: 'throughput', sweepSize: 5, requests: 8 })).toEqual([
      'load.sweepSize: applies to load.profile: sweep, not throughput',
    ]);
    expect(problems({ ...base, sweepSize: 5, concurrency: 1, requests: 8 })).toEqual([
      'load.sweepSize: applies to load.profile: sweep',
    ]);
    expect(problems({ ...base, profile: 'synchronous' })).toEqual([
      'load: set requests or duration, or the run would never stop',
    ]);
    // The throughput run of a timed sweep needs to know how many to send at once.
    expect(problems({ ...base, profile: 'sweep', duration: 5000 })).toEqual([
      'load.profile sweep: its throughput run sends every request at once: set load.requests, or load.maxInFlight for how many at a time',
    ]);
    expect(problems({ ...base, profile: 'throughput', requests: 1_000_000 })).toEqual([
      "load.profile throughput: 1000000 requests at once is past podbench's limit of 100000 in flight: set load.maxInFlight",
    ]);
  });
});
