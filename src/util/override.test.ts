import { describe, expect, it } from 'vitest';
import { applyOverrides, originOf, parseSetFlag } from './override.js';

describe('--set and flag overrides', () => {
  // Moved from src/emulator/settings-flags.test.ts with emulate's own --set parser.
  it('read --set values as YAML and merge them deeply', () => {
    const set = parseSetFlag('workers.flashboot.enabled=true');
    expect(set).toEqual({ path: 'workers.flashboot.enabled', value: true, origin: '--set workers.flashboot.enabled' });
    const merged = applyOverrides({ workers: { max: 5, flashboot: { probability: 0.5 } } }, [{ ...set, merge: true }]);
    expect(merged).toEqual({ workers: { max: 5, flashboot: { probability: 0.5, enabled: true } } });
  });

  it('replace a map by default, and merge it field by field when asked', () => {
    const doc = { load: { concurrency: 4, requests: 10 } };
    const set = parseSetFlag('load={ rate: 2 }');
    expect(applyOverrides(doc, [set])).toEqual({ load: { rate: 2 } });
    expect(applyOverrides(doc, [{ ...set, merge: true }])).toEqual({ load: { concurrency: 4, requests: 10, rate: 2 } });
    // The document itself is left as it was.
    expect(doc).toEqual({ load: { concurrency: 4, requests: 10 } });
  });

  it('clear conflicting fields first', () => {
    const out = applyOverrides({ load: { rate: 2, stages: [], requests: 10 } }, [
      { path: 'load.concurrency', value: 4, clears: ['load.rate', 'load.stages'], origin: '--concurrency' },
    ]);
    expect(out).toEqual({ load: { requests: 10, concurrency: 4 } });
  });

  it('name the flag when its path is bad', () => {
    expect(() => applyOverrides({}, [parseSetFlag('load..rate=2')])).toThrow(
      '--set load..rate: "load..rate" is not a field path (empty segment)',
    );
    expect(() => applyOverrides({}, [{ ...parseSetFlag('workers..max=2'), merge: true }])).toThrow(
      '--set workers..max: "workers..max" is not a field path (empty segment)',
    );
  });

  it('find the flag behind a field: the last one that set it, or a field around it', () => {
    const overrides = [
      { path: 'load', value: { concurrency: 0 }, origin: '--set load' },
      { path: 'workers', value: { max: 0 }, merge: true, origin: '--set workers' },
      { path: 'load.requests', value: 0, origin: '--requests' },
    ];
    expect(originOf(['load', 'requests'], overrides)).toBe('--requests');
    // A replaced map holds only what the flag gave: every field under it is the flag's.
    expect(originOf(['load', 'concurrency'], overrides)).toBe('--set load');
    expect(originOf(['load', 'rate'], overrides)).toBe('--set load');
    // A merged map sets only the fields it has.
    expect(originOf(['workers', 'max'], overrides)).toBe('--set workers');
    expect(originOf(['workers', 'min'], overrides)).toBeUndefined();
    expect(originOf(['mode'], overrides)).toBeUndefined();
    expect(originOf([], overrides)).toBeUndefined();
  });
});
