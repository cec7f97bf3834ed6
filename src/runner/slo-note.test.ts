import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/cli.js';
import { loadScenarioFile, type Variant } from '../scenario/load.js';
import { unreadSlosNote } from './slo-note.js';

function firstVariant(yaml: string): Variant {
  const file = join(tempDir(), 'scenario.yaml');
  writeFileSync(file, `name: s\nmode: sync\nload: { concurrency: 1, requests: 2 }\n${yaml}\n`);
  return loadScenarioFile(file).variants[0] as Variant;
}

describe('unreadSlosNote', () => {
  it('names percentile SLOs a plain run never reads, with the threshold that would check them', () => {
    const note = unreadSlosNote(firstVariant("slo: ['e2eMs.p95 < 2s', 'ttft <= 500ms']"));
    expect(note).toMatch(/^slo: 'e2eMs\.p95 < 2s' judges the steps of a capacity sweep/);
    expect(note).toContain("--threshold 'e2eMs.p95 < 2s'");
    // The per-request SLO gives goodput in any run: not named.
    expect(note).not.toContain('ttft <= 500ms');
  });

  it('says nothing for per-request SLOs alone, nor where a plan reads them', () => {
    expect(unreadSlosNote(firstVariant("slo: ['ttft <= 500ms']"))).toBeUndefined();
    expect(unreadSlosNote(firstVariant("slo: ['e2eMs.p95 < 2s']\nplan: { targetRps: 5 }"))).toBeUndefined();
    expect(unreadSlosNote(firstVariant(''))).toBeUndefined();
  });
});
