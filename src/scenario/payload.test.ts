import { describe, expect, it } from 'vitest';
import { parseScenario } from './load.js';
import { buildSubmission } from './payload.js';
import type { PromptItem } from './prompts.js';

function scenario(extra: string) {
  return parseScenario(
    `name: t\nload: { concurrency: 1, requests: 1 }\nsampling_params: { temperature: 0.7, max_tokens: 100 }\n${extra}`,
    't.yaml',
  ).variants[0]!.scenario;
}

const text: PromptItem = { kind: 'text', text: 'The capital of France is' };
const chat: PromptItem = { kind: 'messages', messages: [{ role: 'user', content: 'What is the capital of France?' }] };

describe('buildSubmission', () => {
  it('sends messages through /runsync with the wait', () => {
    expect(buildSubmission(scenario('mode: sync\npolling: { runsyncWait: 30s }'), chat, undefined)).toEqual({
      path: '/runsync?wait=30000',
      body: {
        input: {
          messages: chat.kind === 'messages' ? chat.messages : [],
          sampling_params: { temperature: 0.7, max_tokens: 100 },
        },
      },
    });
  });

  it('sends a raw prompt through /run', () => {
    expect(buildSubmission(scenario('mode: async\ninput: { format: prompt }'), text, undefined).body).toEqual({
      input: { prompt: 'The capital of France is', sampling_params: { temperature: 0.7, max_tokens: 100 } },
    });
  });

  it('asks for the chat template on a prompt', () => {
    const body = buildSubmission(
      scenario('mode: async\ninput: { format: prompt_chat_template }'),
      text,
      undefined,
    ).body;
    expect(body.input).toMatchObject({ prompt: 'The capital of France is', apply_chat_template: true });
  });

  it('streams with the batch knobs at the top level of input', () => {
    const s = scenario(
      'mode: stream\ninput: { format: prompt }\nstream: { max_batch_size: 10, min_batch_size: 2, batch_size_growth_factor: 2 }',
    );
    expect(buildSubmission(s, text, undefined)).toEqual({
      path: '/run',
      body: {
        input: {
          prompt: 'The capital of France is',
          sampling_params: { temperature: 0.7, max_tokens: 100 },
          stream: true,
          max_batch_size: 10,
          min_batch_size: 2,
          batch_size_growth_factor: 2,
        },
      },
    });
  });

  it('sends the OpenAI bodies through the queue with openai_route', () => {
    const body = buildSubmission(scenario('mode: sync\ninput: { format: openai_chat }'), chat, 'my-model').body;
    expect(body.input).toEqual({
      openai_route: '/v1/chat/completions',
      openai_input: {
        model: 'my-model',
        temperature: 0.7,
        max_tokens: 100,
        messages: chat.kind === 'messages' ? chat.messages : [],
        stream: false,
      },
    });
  });

  it('uses the OpenAI routes, asking a stream for its usage', () => {
    expect(buildSubmission(scenario('mode: openai-stream'), chat, 'm')).toMatchObject({
      path: '/openai/v1/chat/completions',
      body: { model: 'm', stream: true, stream_options: { include_usage: true } },
    });
    expect(buildSubmission(scenario('mode: openai\ninput: { format: prompt }'), text, 'm')).toEqual({
      path: '/openai/v1/completions',
      body: { model: 'm', temperature: 0.7, max_tokens: 100, prompt: 'The capital of France is', stream: false },
    });
  });
});

describe('syntheticText', () => {
  it('reaches the requested size by the token estimate', async () => {
    const { syntheticText } = await import('./prompts.js');
    const { estimateTokens } = await import('../emulator/index.js');
    let seed = 1;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (const tokens of [1, 16, 256, 4000]) {
      const text = syntheticText(tokens, random);
      expect(estimateTokens(text)).toBeGreaterThanOrEqual(tokens);
      expect(estimateTokens(text)).toBeLessThanOrEqual(tokens + 3);
    }
  });
});
