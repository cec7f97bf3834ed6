// /v2/{id}/openai/v1/...: queue jobs answered as JSON or as text/event-stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST, startClient, type Client } from './helpers.js';
import { sseChunks } from './sse.js';

for (const worker of ['legacy', 'proxy'] as const) {
  describe(`OpenAI routes (${worker} worker)`, () => {
    let c: Client;
    beforeAll(async () => {
      c = await startClient({ ...FAST, worker });
    });
    afterAll(() => c.close());

    it('answers chat completions and completions as JSON', async () => {
      const chat = await c.post('/openai/v1/chat/completions', {
        model: 'meta-llama/Llama-3.1-8B-Instruct',
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 7,
      });
      expect(chat.status).toBe(200);
      expect(chat.headers.get('content-type')).toContain('application/json');
      expect(chat.json).toMatchObject({
        object: 'chat.completion',
        usage: { completion_tokens: 7 },
        choices: [{ finish_reason: 'length' }],
      });
      const completion = await c.post('/openai/v1/completions', { prompt: 'Once upon a time', max_tokens: 5 });
      expect(completion.json).toMatchObject({
        object: 'text_completion',
        usage: { prompt_tokens: 4, completion_tokens: 5 },
      });
      const models = await c.get('/openai/v1/models');
      expect(models.json).toMatchObject({ object: 'list', data: [{ id: 'meta-llama/Llama-3.1-8B-Instruct' }] });
    });

    it('streams SSE with a usage chunk when stream_options.include_usage is set', async () => {
      const response = await fetch(`${c.url}/openai/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({
          messages: [{ role: 'user', content: 'hi' }],
          max_tokens: 12,
          stream: true,
          stream_options: { include_usage: true },
        }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const chunks = sseChunks(await response.text());
      expect(chunks[0].choices[0].delta.role).toBe('assistant');
      const usage = chunks[chunks.length - 1];
      expect(usage.choices).toEqual([]);
      expect(usage.usage).toMatchObject({ completion_tokens: 12 });
      expect(chunks.filter((chunk) => chunk.choices[0]?.finish_reason === 'length')).toHaveLength(1);
      // The answer's id leads to the job's ground truth (emulator-only).
      const truth = await c.emulator.jobTruth(chunks[0].id);
      expect(truth).toMatchObject({ status: 'COMPLETED', outputTokens: 12 });
      const debug = await fetch(`http://127.0.0.1:${c.emulator.port}/_emulator/jobs/${chunks[0].id}`);
      expect(((await debug.json()) as { id: string }).id).toBe(truth?.id);
    });

    it('streams without a usage chunk by default, and the jobs show in /health', async () => {
      const response = await fetch(`${c.url}/openai/v1/completions`, {
        method: 'POST',
        body: JSON.stringify({ prompt: 'x', max_tokens: 3, stream: true }),
      });
      const chunks = sseChunks(await response.text());
      expect(chunks.every((chunk) => chunk.usage === undefined)).toBe(true);
      expect((await c.get('/health')).json.jobs.completed).toBeGreaterThan(0);
    });

    it('answers a failed job with an OpenAI error and its status', async () => {
      const wrongModel = await c.post('/openai/v1/chat/completions', {
        model: 'gpt-4',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(wrongModel.status).toBe(404);
      expect(wrongModel.json.error).toMatchObject({
        message: 'The model `gpt-4` does not exist.',
        type: 'NotFoundError',
        code: 404,
      });
      const bad = await c.post('/openai/v1/completions', { prompt: 'x', temperature: -2 });
      expect(bad.status).toBe(400);
      expect(bad.json.error.message).toBe('temperature must be non-negative, got -2.');
      const malformed = await c.post('/openai/v1/completions', '{"prompt":');
      expect(malformed.status).toBe(400);
      const wrongMethod = await c.get('/openai/v1/completions');
      expect(wrongMethod.status).toBe(405);
    });
  });
}
