import { describe, expect, it } from 'vitest';
import { parseColdStartFlag, parseFaultsFlag, parseScalerFlag } from './flags.js';
import { resolveEmulatorSettings } from './schema.js';

describe('emulate flag shorthands', () => {
  it('read cold starts as fixed, log-normal or uniform', () => {
    expect(parseColdStartFlag('12s')).toEqual({ ok: true, value: '12s' });
    expect(parseColdStartFlag('8000')).toEqual({ ok: true, value: '8000' });
    expect(parseColdStartFlag('median:12s,sigma:0.3')).toEqual({ ok: true, value: { median: '12s', sigma: 0.3 } });
    expect(parseColdStartFlag('min:5s,max:20s')).toEqual({ ok: true, value: { min: '5s', max: '20s' } });
    const settings = resolveEmulatorSettings({
      workers: { coldStart: (parseColdStartFlag('median:12s,sigma:0.3') as { value: unknown }).value },
    });
    expect(settings.workers.coldStart).toEqual({ kind: 'lognormal', medianMs: 12_000, sigma: 0.3 });
  });

  it('read scalers and faults', () => {
    expect(parseScalerFlag('QUEUE_DELAY:4')).toEqual({ ok: true, value: { type: 'QUEUE_DELAY', value: 4 } });
    expect(parseScalerFlag('request_count')).toEqual({ ok: true, value: { type: 'REQUEST_COUNT' } });
    expect(parseFaultsFlag('http429=0.05,slowMs=2s')).toEqual({ ok: true, value: { http429: 0.05, slowMs: '2s' } });
    expect(parseFaultsFlag('http429')).toMatchObject({ ok: false });
  });
});
