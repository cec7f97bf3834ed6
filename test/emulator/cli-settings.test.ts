// How `podbench emulate` turns a file, flags and --set into settings (no server started).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingsFromArgs } from '../../src/cli/emulate.js';

const base = { host: '127.0.0.1', port: 0, rateLimits: true, verbose: false };

describe('emulate settings from file, flags and --set', () => {
  it('lets flags override the file and --set override flags; cross-field rules see the merged result', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbench-emulate-'));
    const file = join(dir, 'emulator.yaml');
    writeFileSync(file, 'workers:\n  max: 2\n  coldStart: 20s\ngeneration:\n  stepMs: 30\n');
    const settings = settingsFromArgs({
      ...base,
      config: file,
      workersMin: 10,
      workersMax: 10,
      coldStart: 'median:12s,sigma:0.3',
      scaler: 'REQUEST_COUNT:2',
      faults: 'http429=0.05,slowMs=2s',
      flashboot: true,
      rateLimits: false,
      set: ['generation.stepMs=15', 'workers.flashboot.probability=0.5'],
    });
    expect(settings.workers).toMatchObject({
      min: 10,
      max: 10,
      coldStart: { kind: 'lognormal', medianMs: 12_000, sigma: 0.3 },
      scaler: { type: 'REQUEST_COUNT', value: 2 },
    });
    expect(settings.workers.flashboot).toMatchObject({ enabled: true, probability: 0.5 });
    expect(settings.generation.stepMs).toBe(15);
    expect(settings.faults).toMatchObject({ http429: 0.05, slowMs: 2000 });
    expect(settings.rateLimits.enabled).toBe(false);
  });

  it('names the file when the file set the bad field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbench-emulate-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ workers: { max: 0 } }));
    expect(() => settingsFromArgs({ ...base, config: file })).toThrow(
      new RegExp(`--config ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: workers\\.max`),
    );
  });
});
