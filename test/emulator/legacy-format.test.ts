// The legacy worker (worker-vllm <= v2.23.0): {choices:[{tokens}], usage} items, BatchSize
// streaming, the sampling parameters that shape the work, and its error strings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST, legacyText, startClient, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startClient({ ...FAST, workers: { min: 1, max: 1, concurrency: 50 } });
});
afterAll(() => c.close());

describe('legacy worker output', () => {
  it('answers a non-stream job with one item holding the full text, max_tokens defaulting to 100', async () => {
    const r = await c.post('/runsync', { input: { prompt: 'The capital of France is' } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'COMPLETED', id: expect.stringMatching(/^sync-[0-9a-f-]{36}-u1$/) });
    expect(typeof r.json.delayTime).toBe('number');
    expect(typeof r.json.executionTime).toBe('number');
    expect(typeof r.json.workerId).toBe('string');
    expect(r.json.output).toHaveLength(1);
    expect(r.json.output[0].choices).toHaveLength(1);
    expect(r.json.output[0].choices[0].tokens).toHaveLength(1);
    expect(r.json.output[0].usage).toEqual({ input: 6, output: 100 });
  });

  it('streams 100 tokens as batches of 1, 3, 9, 27, 50, 10 with cumulative usage, text equal to the aggregate', async () => {
    const id = await c.run({
      prompt: 'Write a short story about a robot.',
      stream: true,
      sampling_params: { max_tokens: 100, seed: 3 },
    });
    const { items, final } = await c.stream(id);
    expect(final.status).toBe('COMPLETED');
    expect(items.map((item) => item.choices[0].tokens.length)).toEqual([1, 3, 9, 27, 50, 10]);
    expect(items.map((item) => item.usage.output)).toEqual([1, 4, 13, 40, 90, 100]);
    const status = (await c.get(`/status/${id}`)).json;
    expect(status.output).toEqual(items);
    // Same seed, not streamed: the same text in one piece.
    const whole = await c.post('/runsync', {
      input: { prompt: 'Write a short story about a robot.', sampling_params: { max_tokens: 100, seed: 3 } },
    });
    expect(whole.json.output[0].choices[0].tokens[0]).toBe(legacyText(items));
  });

  it('honours per-request max_batch_size, min_batch_size and batch_size_growth_factor', async () => {
    const id = await c.run({
      prompt: 'x',
      stream: true,
      max_batch_size: 10,
      min_batch_size: 2,
      batch_size_growth_factor: 2,
      sampling_params: { max_tokens: 30 },
    });
    const { items } = await c.stream(id);
    expect(items.map((item) => item.choices[0].tokens.length)).toEqual([2, 4, 8, 10, 6]);
  });

  it('returns n choices and does best_of work', async () => {
    const r = await c.post('/runsync', {
      input: { prompt: 'x', sampling_params: { n: 2, best_of: 3, max_tokens: 12 } },
    });
    expect(r.json.output[0].choices).toHaveLength(2);
    expect(r.json.output[0].usage).toEqual({ input: 1, output: 24 });
    const truth = await c.emulator.jobTruth(r.json.id);
    expect(truth?.outputTokens).toBe(24);
  });

  it('cuts at a stop string, stops at min_tokens + end of sequence, honours ignore_eos and truncate_prompt_tokens', async () => {
    const stop = await c.post('/runsync', {
      input: { prompt: 'x', sampling_params: { stop: ['.', ','], max_tokens: 400, seed: 1 } },
    });
    const text = stop.json.output[0].choices[0].tokens[0] as string;
    expect(text.includes('.') || text.includes(',')).toBe(false);

    const eos = await startClient({ ...FAST, generation: { eosProbability: 1 } });
    try {
      const early = await eos.post('/runsync', {
        input: { prompt: 'x', sampling_params: { min_tokens: 4, max_tokens: 50 } },
      });
      expect(early.json.output[0].usage.output).toBe(5);
      const ignore = await eos.post('/runsync', {
        input: { prompt: 'x', sampling_params: { ignore_eos: true, max_tokens: 20 } },
      });
      expect(ignore.json.output[0].usage.output).toBe(20);
    } finally {
      await eos.close();
    }
    const truncated = await c.post('/runsync', {
      input: { prompt: 'word '.repeat(800), sampling_params: { truncate_prompt_tokens: 10, max_tokens: 3 } },
    });
    expect(truncated.json.output[0].usage.input).toBe(10);
  });

  it('counts the chat template for messages and for apply_chat_template', async () => {
    const messages = await c.post('/runsync', {
      input: {
        messages: [
          { role: 'system', content: 'You are a helpful assistant.' },
          { role: 'user', content: 'What is the capital of France?' },
        ],
        sampling_params: { max_tokens: 2 },
      },
    });
    expect(messages.json.output[0].usage.input).toBe(1 + 4 + (5 + 2 + 7) + (5 + 1 + 8));
    const templated = await c.post('/runsync', {
      input: { prompt: 'abcdabcd', apply_chat_template: true, sampling_params: { max_tokens: 2 } },
    });
    expect(templated.json.output[0].usage.input).toBe(1 + 4 + 5 + 1 + 2);
  });

  it('fails bad sampling params with the exception text, and context overflow in the engine error shape', async () => {
    const bad = await c.post('/runsync', { input: { prompt: 'x', sampling_params: { temperature: -1 } } });
    expect(bad.json).toMatchObject({ status: 'FAILED', error: 'temperature must be non-negative, got -1.' });
    const unknown = await c.post('/runsync', { input: { prompt: 'x', sampling_params: { temprature: 1 } } });
    expect(unknown.json.error).toBe("Unexpected keyword argument 'temprature'");
    const long = await c.post('/runsync', { input: { prompt: 'x'.repeat(40_000) } });
    expect(long.json.status).toBe('FAILED');
    expect(long.json.error).toMatch(
      /^\{'error': \{'message': 'The decoder prompt \(length 10000\) is longer than the maximum model length of 8192\./,
    );
    expect(long.json.error).toMatch(/'type': 'BadRequestError', 'param': None, 'code': 400\}\}$/);
  });

  it('serves the openai_route path from /run, batching SSE events with the env defaults', async () => {
    const id = await c.run({
      openai_route: '/v1/chat/completions',
      openai_input: { messages: [{ role: 'user', content: 'hi' }], max_tokens: 20, stream: true },
    });
    const { items } = await c.stream(id);
    expect(items.every((item) => typeof item === 'string')).toBe(true);
    const events = items.map((item: string) => item.split('\n\n').filter((e) => e !== '').length);
    expect(events).toEqual([1, 3, 9, 9]); // role + 20 content events + [DONE] = 22 events
    const sse = items.join('');
    expect(sse.endsWith('data: [DONE]\n\n')).toBe(true);
    const models = await c.post('/runsync', { input: { openai_route: '/v1/models' } });
    expect(models.json.output[0]).toMatchObject({
      object: 'list',
      data: [{ id: 'meta-llama/Llama-3.1-8B-Instruct', object: 'model' }],
    });
    const invalid = await c.post('/runsync', { input: { openai_route: '/v1/nope' } });
    expect(invalid.json.error).toBe(
      "{'message': 'Invalid route', 'type': 'BadRequestError', 'param': None, 'code': 400}",
    );
  });
});
