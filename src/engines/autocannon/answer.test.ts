// The autocannon engine reads whole answers with the native engine's code: with a
// tokenizer, an answer without usage is counted by it, and usage still wins.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RecordDraft } from '../../core/record.js';
import { loadTokenizer } from '../../util/tokenizer.js';
import { readAnswer } from './answer.js';

const SAMPLE = fileURLToPath(new URL('../../../scenarios/data/tokenizer.json', import.meta.url));
const { count } = loadTokenizer(SAMPLE, 'test');

const draft = (): RecordDraft => ({
  seq: 0,
  variant: 'v',
  phase: 'measure',
  mode: 'openai',
  outcome: 'ok',
  scheduledMs: 0,
  sentMs: 0,
  promptTokens: 12,
  tokenSource: 'tokenizer',
  polls: 0,
  retries: 0,
});

describe('readAnswer with a tokenizer', () => {
  it('counts an OpenAI answer without usage by the tokenizer, keeping the prompt count', () => {
    const record = draft();
    const answer = { id: 'c1', choices: [{ index: 0, message: { role: 'assistant', content: ' the robot walks' } }] };
    readAnswer(record, 'openai', false, 200, JSON.stringify(answer), 90_000, undefined, count);
    expect(record).toMatchObject({ outcome: 'ok', promptTokens: 12, outputTokens: 3, tokenSource: 'tokenizer' });
  });

  it("takes the server's usage when the answer has it", () => {
    const record = draft();
    const answer = {
      id: 'c1',
      choices: [{ index: 0, message: { role: 'assistant', content: ' the robot walks' } }],
      usage: { prompt_tokens: 20, completion_tokens: 4 },
    };
    readAnswer(record, 'openai', false, 200, JSON.stringify(answer), 90_000, undefined, count);
    expect(record).toMatchObject({ promptTokens: 20, outputTokens: 4, tokenSource: 'usage' });
  });
});
