import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadTokenizer } from '../util/tokenizer.js';
import { applyCounts, countFinalOutput, countOpenAiResponse, createStreamReader } from './worker-output.js';

const SAMPLE = fileURLToPath(new URL('../../scenarios/data/tokenizer.json', import.meta.url));
const { count } = loadTokenizer(SAMPLE, 'test');

const legacyBatch = (tokens: string[], cumulative: number) => ({
  choices: [{ tokens }],
  usage: { input: 12, output: cumulative },
});

describe('createStreamReader', () => {
  it('counts legacy batches by the server usage delta', () => {
    const reader = createStreamReader();
    expect(reader.push(legacyBatch(['Hel'], 1))).toBe(1);
    expect(reader.push(legacyBatch(['lo', ' wor', 'ld'], 4))).toBe(3);
    expect(reader.result()).toEqual({
      format: 'legacy',
      promptTokens: 12,
      outputTokens: 4,
      tokenSource: 'usage',
      streamError: undefined,
    });
  });

  it('counts n > 1 legacy batches across sequences', () => {
    const reader = createStreamReader();
    expect(reader.push({ choices: [{ tokens: ['a'] }, { tokens: ['b'] }], usage: { input: 3, output: 2 } })).toBe(2);
    expect(reader.push({ choices: [{ tokens: ['c', 'd'] }, { tokens: [] }], usage: { input: 3, output: 4 } })).toBe(2);
  });

  it('reassembles proxy SSE slices cut anywhere, counting content deltas and reading usage', () => {
    const events = [
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] },
      { choices: [{ index: 0, delta: { content: 'Par' } }] },
      { choices: [{ index: 0, delta: { content: 'is é' } }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { choices: [], usage: { prompt_tokens: 20, completion_tokens: 2 } },
    ];
    const text = `${events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('')}data: [DONE]\n\n`;
    for (const cut of [1, 7, 40, 100, text.length - 3]) {
      const reader = createStreamReader();
      const tokens = reader.push(text.slice(0, cut)) + reader.push(text.slice(cut)) + reader.end();
      expect(tokens).toBe(2);
      expect(reader.result()).toMatchObject({
        format: 'proxy',
        promptTokens: 20,
        outputTokens: 2,
        tokenSource: 'usage',
        sawDone: true,
      });
    }
  });

  it('estimates from content deltas when a stream carries no usage, and notices a missing [DONE]', () => {
    const reader = createStreamReader();
    reader.push('data: {"choices":[{"text":"a"}]}\n\ndata: {"choices":[{"text":"b"}]}\n\n');
    expect(reader.result()).toMatchObject({ outputTokens: 2, tokenSource: 'estimated', sawDone: false });
  });

  it('reports an error object carried inside the stream', () => {
    const reader = createStreamReader();
    reader.push('data: {"error":{"message":"bad","code":400}}\n\n');
    expect(reader.result().streamError).toBe('{"message":"bad","code":400}');
  });
});

describe('countFinalOutput', () => {
  it('reads a legacy non-stream job', () => {
    expect(countFinalOutput([legacyBatch(['The whole answer.'], 100)])).toMatchObject({
      format: 'legacy',
      promptTokens: 12,
      outputTokens: 100,
      tokenSource: 'usage',
    });
  });

  it('reads the aggregate of a streamed legacy job (cumulative usage: the last one is the total)', () => {
    expect(countFinalOutput([legacyBatch(['a'], 1), legacyBatch(['b', 'c', 'd'], 4)])).toMatchObject({
      outputTokens: 4,
    });
  });

  it('reads a proxy chat.completion', () => {
    const output = [
      {
        object: 'chat.completion',
        choices: [{ message: { content: 'hi' } }],
        usage: { prompt_tokens: 9, completion_tokens: 33 },
      },
    ];
    expect(countFinalOutput(output)).toMatchObject({
      format: 'proxy',
      promptTokens: 9,
      outputTokens: 33,
      tokenSource: 'usage',
    });
  });
});

describe('counting output with a tokenizer (input.tokenizer)', () => {
  const sse = (events: object[], done = true) =>
    `${events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('')}${done ? 'data: [DONE]\n\n' : ''}`;
  const delta = (content: string) => ({ choices: [{ index: 0, delta: { content } }] });
  // Deltas cut inside words: 4 deltas, but by hand the text "Write a robot walks." is
  // W r i t e (5 bytes, no space before) + " a" + " robot" + " walks" + "." = 9 tokens.
  const deltas = [delta('Write a rob'), delta('ot wal'), delta('ks'), delta('.')];

  it('counts the text of SSE content deltas once at the end when the stream has no usage', () => {
    const text = sse(deltas);
    for (const cut of [1, 30, 90, text.length - 5]) {
      const calls: string[] = [];
      const reader = createStreamReader(undefined, (t) => {
        calls.push(t);
        return count(t);
      });
      // Each read still tallies its deltas, for the chunk times; the tokenizer is not asked per chunk.
      expect(reader.push(text.slice(0, cut)) + reader.push(text.slice(cut)) + reader.end()).toBe(4);
      expect(calls).toEqual([]);
      expect(reader.result()).toMatchObject({ format: 'proxy', outputTokens: 9, tokenSource: 'tokenizer' });
      expect(calls).toEqual(['Write a robot walks.']);
    }
  });

  it('still takes the server usage when the stream carries it', () => {
    const reader = createStreamReader(undefined, count);
    reader.push(sse([...deltas, { choices: [], usage: { prompt_tokens: 20, completion_tokens: 5 } }]));
    expect(reader.result()).toMatchObject({ promptTokens: 20, outputTokens: 5, tokenSource: 'usage' });
    const legacy = createStreamReader(undefined, count);
    legacy.push(legacyBatch(['Write', ' a'], 2));
    expect(legacy.result()).toMatchObject({ outputTokens: 2, tokenSource: 'usage' });
  });

  it('counts whole OpenAI answers without usage: chat messages and completion texts', () => {
    const chat = { id: 'c1', choices: [{ index: 0, message: { role: 'assistant', content: 'Write a robot walks.' } }] };
    expect(countOpenAiResponse(chat, count)).toMatchObject({ outputTokens: 9, tokenSource: 'tokenizer' });
    expect(countFinalOutput([{ choices: [{ text: ' the robot' }] }], count)).toMatchObject({
      outputTokens: 2,
      tokenSource: 'tokenizer',
    });
  });

  it('says a whole answer without usage or a tokenizer has no token count (not 0, not 1 per answer)', () => {
    const chat = { id: 'c1', choices: [{ index: 0, message: { role: 'assistant', content: 'Write a robot walks.' } }] };
    const completion = { id: 'c2', object: 'text_completion', choices: [{ index: 0, text: ' the robot walks' }] };
    for (const answer of [chat, completion]) {
      const counts = countOpenAiResponse(answer);
      expect(counts).toMatchObject({ format: 'openai', tokenSource: 'none', responseId: answer.id, sawChoices: true });
      expect(counts.outputTokens).toBeUndefined();
    }
    // A finished job's output holding a whole chat answer: the same.
    expect(countFinalOutput([chat]).outputTokens).toBeUndefined();
    expect(countFinalOutput([chat]).tokenSource).toBe('none');
    // Usage still counts; streamed deltas are still counted one per delta (an estimate).
    expect(countOpenAiResponse({ ...chat, usage: { prompt_tokens: 4, completion_tokens: 6 } })).toMatchObject({
      outputTokens: 6,
      tokenSource: 'usage',
    });
    expect(countFinalOutput([{ choices: [{ text: ' the' }] }, { choices: [{ text: ' robot' }] }])).toMatchObject({
      outputTokens: 2,
      tokenSource: 'estimated',
    });
  });

  it('keeps the prompt count of the tokenizer on the record unless usage gives one', () => {
    const record = { promptTokens: 30, tokenSource: 'tokenizer' as const };
    const counted = { ...record } as {
      promptTokens?: number;
      outputTokens?: number;
      tokenSource: 'tokenizer' | 'usage' | 'estimated' | 'none';
    };
    applyCounts(counted, { tokenSource: 'none' });
    expect(counted).toEqual({ promptTokens: 30, tokenSource: 'tokenizer' });
    applyCounts(counted, { format: 'proxy', promptTokens: 41, outputTokens: 7, tokenSource: 'usage' });
    expect(counted).toEqual({ promptTokens: 41, outputTokens: 7, tokenSource: 'usage' });
  });
});
