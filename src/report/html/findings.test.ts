// The findings on the page: the note lists what this run answers (not every kind podbench
// has), and the numbers table keeps small figures readable (a price per worker-second).
import { describe, expect, it } from 'vitest';
import type { ColdStartFinding, RunCostFinding } from '../../core/findings.js';
import { answersNote, findingsList, numberText } from './findings.js';

const cold: ColdStartFinding = {
  kind: 'cold-starts',
  variant: 'default',
  coldRequests: 1,
  coldShare: 0.1,
  coldP50Ms: 2800,
  coldP70Ms: 2800,
  coldP90Ms: 2800,
  coldP98Ms: 2800,
  warmRequests: 9,
  warmP50Ms: 1,
  timeToFirstWorkerMs: null,
  timeToMaxWorkersMs: null,
  maxServingWorkers: null,
  scalingResolutionMs: null,
};

const cost: RunCostFinding = {
  kind: 'run-cost',
  busySeconds: 18.06,
  idleSeconds: 13.64,
  coldStartSeconds: 0,
  totalSeconds: 31.7,
  pricePerSecond: 1.19 / 3600,
  outputTokens: 544,
  warmupRequests: 4,
};

describe('findings on the page', () => {
  it('says the run answers only what its findings answer', () => {
    expect(answersNote([cold])).toBe('What the run answers: cold starts. The numbers behind each are in summary.json.');
    expect(answersNote([cost, cold, { ...cold, variant: 'b' }])).toBe(
      'What the run answers: what the run cost, cold starts. The numbers behind each are in summary.json.',
    );
  });

  it('shows a price per worker-second to 3 significant digits, not as 0', () => {
    expect(findingsList([cost])).toContain('<th scope="row">pricePerSecond</th><td>0.000331</td>');
    expect(numberText(0.00033055)).toBe('0.000331');
    expect(numberText(31.7049)).toBe('31.705');
    expect(numberText(0.5)).toBe('0.5');
    expect(numberText(544)).toBe('544');
    expect(numberText(0)).toBe('0');
  });
});
