// The scenario's tokenizer (input.tokenizer), resolved like input.file: relative to the
// scenario file. Read once per path; scenario loading reads it first, so a bad file is a
// usage error before anything is sent.
import { dirname, resolve } from 'node:path';
import { loadTokenizer, type TokenCounter } from '../util/tokenizer.js';
import type { Scenario } from './schema.js';

export type { TokenCounter } from '../util/tokenizer.js';

export function tokenizerOf(scenario: Scenario, scenarioFile: string, label?: string): TokenCounter | undefined {
  const path = scenario.input.tokenizer;
  if (path === undefined) return undefined;
  return loadTokenizer(resolve(dirname(scenarioFile), path), label ?? `${scenarioFile}: input.tokenizer`);
}
