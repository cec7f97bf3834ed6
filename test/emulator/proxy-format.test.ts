// The proxy worker (worker-vllm >= v2.24.0): vLLM's OpenAI JSON for non-stream jobs, raw
// SSE byte slices for stream jobs, batch knobs ignored, errors as worker_error dicts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST, startClient, type Client } from './helpers.js';
import { sseChunks } from './sse.js';

let c: Client;
beforeAll(async () => {
  c = await startClient({ ...FAST, worker: 'proxy', workers: { min: 1, max: 1, concurrency: 50 } });
});
afterAll(() => c.close());

describe('proxy worker output', () => {
  it('answers messages with a chat.completion and a prompt with a text_completion (max_tokens 16 by default)', async () => {
    const chat = await c.post('/runsync', {
      input: {
        messages: [{ role: 'user', content: 'What is the capital of France?' }],
        sampling_params: { max_tokens: 10 },
      },
    });
    expect(chat.json.status).toBe('COMPLETED');
    expect(chat.json.output).toHaveLength(1);
    const completion = chat.json.output[0];
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      usage: { completion_tokens: 10 },
    });
    expect(completion.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    expect(completion.choices[0]).toMatchObject({ index: 0, message: { role: 'assistant' }, finish_reason: 'length' });
    const text = await c.post('/runsync', { input: { prompt: 'The capital of France is' } });
    expect(text.json.output[0]).toMatchObject({
      object: 'text_completion',
      usage: { prompt_tokens: 6, completion_tokens: 16, total_tokens: 22 },
    });
  });

  it('streams raw SSE slices that reassemble into valid events ending with [DONE], batch knobs ignored', async () => {
    const id = await c.run({
      prompt: 'Write a story.',
      stream: true,
      max_batch_size: 2,
      sampling_params: { max_tokens: 40 },
    });
    const { items, final } = await c.stream(id);
    expect(final.status).toBe('COMPLETED');
    expect(items.every((item) => typeof item === 'string')).toBe(true);
    const chunks = sseChunks(items.join(''));
    expect(chunks.every((chunk) => chunk.object === 'text_completion')).toBe(true);
    expect(chunks.filter((chunk) => chunk.choices[0]?.text !== undefined)).toHaveLength(40);
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('length');
    const status = (await c.get(`/status/${id}`)).json;
    expect(status.output.join('')).toBe(items.join(''));
  });

  it('cuts streams at arbitrary byte boundaries (several events per item or part of one)', async () => {
    const lengths = new Set<number>();
    let partialEvents = 0;
    for (let i = 0; i < 5; i++) {
      const id = await c.run({
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        sampling_params: { max_tokens: 30 },
      });
      const { items } = await c.stream(id);
      for (const item of items as string[]) {
        lengths.add(item.split('data: ').length);
        if (!item.endsWith('\n\n')) partialEvents++;
      }
      const chunks = sseChunks(items.join(''));
      expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    }
    expect(partialEvents).toBeGreaterThan(0);
  });

  it('ignores unknown sampling keys and reports vLLM errors as worker_error dicts', async () => {
    const ok = await c.post('/runsync', { input: { prompt: 'x', sampling_params: { temprature: 1, max_tokens: 3 } } });
    expect(ok.json.status).toBe('COMPLETED');
    const bad = await c.post('/runsync', { input: { prompt: 'x', sampling_params: { temperature: -1 } } });
    expect(bad.json.status).toBe('FAILED');
    expect(bad.json.error).toBe(
      `{'message': 'vLLM returned HTTP 400: {"error":{"message":"temperature must be non-negative, got -1.","type":"BadRequestError","param":null,"code":400}}', 'type': 'worker_error', 'code': None}`,
    );
    const overflow = await c.post('/runsync', { input: { prompt: 'x', sampling_params: { max_tokens: 9000 } } });
    // The message holds both quote kinds, so Python's repr escapes the single quote.
    expect(overflow.json.error).toContain(
      "This model\\'s maximum context length is 8192 tokens. However, you requested 9001 tokens",
    );
    const empty = await c.post('/runsync', { input: { foo: 1 } });
    expect(empty.json.error).toBe(
      "{'message': 'Job input must contain one of: openai_input (+openai_route), route (+body), or prompt/messages.', 'type': 'worker_error', 'code': None}",
    );
  });

  it('proxies openai_input and bare routes (GET /v1/models)', async () => {
    const models = await c.post('/runsync', { input: { openai_route: '/v1/models', openai_input: {} } });
    expect(models.json.output[0].data[0].id).toBe('meta-llama/Llama-3.1-8B-Instruct');
    const chat = await c.post('/runsync', {
      input: { openai_input: { messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 } },
    });
    expect(chat.json.output[0].object).toBe('chat.completion');
    const generic = await c.post('/runsync', {
      input: { route: '/v1/completions', body: { prompt: 'x', max_tokens: 2 } },
    });
    expect(generic.json.output[0].object).toBe('text_completion');
    const missing = await c.post('/runsync', { input: { route: '/v1/nowhere' } });
    expect(missing.json.error).toBe(
      `{'message': 'vLLM returned HTTP 404: {"detail":"Not Found"}', 'type': 'worker_error', 'code': None}`,
    );
  });
});
