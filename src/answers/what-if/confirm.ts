// The one real run that would confirm a what-if answer: a scenario with the traffic the
// answer was about (a scenario's own load, or the traffic's peak as a steady Poisson rate
// for ten minutes), the SLOs as thresholds, to be run against the endpoint once it is set as
// the answer says. Its exit code is the verdict. Pure: YAML text out.
import { stringify } from 'yaml';
import type { WhatIfCandidate } from '../../core/what-if.js';
import type { RequestShape } from './traffic.js';

export interface ConfirmInput {
  recommended: WhatIfCandidate;
  slo: readonly string[];
  mode: string;
  shape: RequestShape;
  /** The scenario's own load block, when the traffic came from one. */
  load?: Record<string, unknown>;
  /** Otherwise: the traffic's peak rate (requests per second). */
  peakRps: number;
  settingsText: string;
}

export function confirmLoadText(input: Pick<ConfirmInput, 'load' | 'peakRps'>): string {
  return input.load
    ? "the scenario's own load"
    : `${Math.round(input.peakRps * 100) / 100} requests/s (the traffic's peak) for 10 minutes`;
}

/** Load fields that are durations: written with their unit (a scenario file refuses a bare number). */
const DURATION_KEYS = new Set(['duration', 'gap']);

function withUnits(value: unknown, key = ''): unknown {
  if (typeof value === 'number' && DURATION_KEYS.has(key)) return `${value}ms`;
  if (Array.isArray(value)) return value.map((v) => withUnits(v));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withUnits(v, k)]));
  return value;
}

export function confirmScenario(input: ConfirmInput): string {
  const sampling: Record<string, unknown> = { max_tokens: input.shape.maxTokens };
  if (input.shape.minTokens > 0) sampling.min_tokens = input.shape.minTokens;
  if (input.shape.ignoreEos) sampling.ignore_eos = true;
  const doc = {
    name: 'what-if-confirm',
    description: `Confirms a what-if answer on the real endpoint: ${input.settingsText}`,
    target: { endpointId: 'YOUR-ENDPOINT-ID' },
    mode: input.mode,
    input: {
      format: 'prompt',
      synthetic: { promptTokens: Math.round(input.shape.promptTokens), spread: input.shape.promptSpread },
    },
    sampling_params: sampling,
    polling: { health: '1s' },
    load: input.load
      ? withUnits(input.load)
      : {
          rate: Math.max(0.01, Math.round(input.peakRps * 100) / 100),
          arrival: 'poisson',
          duration: '10m',
        },
    thresholds: [...input.slo],
  };
  const header = [
    '# Written by podbench what-if: the one real run that would confirm its answer, which is a',
    "# model's (the calibrated emulator's), not a measurement.",
    '#',
    '# 1. Set the endpoint as the answer says (Runpod console or REST API):',
    `#      ${input.settingsText}`,
    '# 2. Run it against that endpoint (the thresholds are the SLOs; exit code 1 if one fails):',
    '#      podbench run confirm.yaml --endpoint-id <your endpoint id>',
    '# 3. Calibrate from that run too (podbench calibrate <its run folder>): the model learns from it.',
    '',
  ];
  return `${header.join('\n')}${stringify(doc, { lineWidth: 0 })}`;
}
