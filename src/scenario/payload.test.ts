import { describe, expect, it } from 'vitest';
import { parseScenario } from './load.js';
import { jobPolicy, runsyncWaitMs } from './job-policy.js';
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
        policy: { ttl: 610_000 },
      },
    });
  });

  it('sends a raw prompt through /run', () => {
    expect(buildSubmission(scenario('mode: async\ninput: { format: prompt }'), text, undefined).body).toEqual({
      input: { prompt: 'The capital of France is', sampling_params: { temperature: 0.7, max_tokens: 100 } },
      policy: { ttl: 610_000 },
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
        policy: { ttl: 610_000 },
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

describe('job policy: no job outlives the request', () => {
  it("gives every job a ttl just past timeouts.request, on the target's clock", () => {
    const endpoint = 'target: { endpoint: "https://api.runpod.ai/v2/abc" }\n';
    const external = scenario(`${endpoint}mode: async\ntimeouts: { request: 2m }`);
    expect(buildSubmission(external, text, undefined).body.policy).toEqual({ ttl: 130_000 });
    // Runpod's minimum ttl is 10 s; the maximum 7 days.
    expect(jobPolicy(scenario(`${endpoint}timeouts: { request: 1s }`)).ttl).toBe(11_000);
    expect(jobPolicy(scenario(`${endpoint}timeouts: { request: 500h }`)).ttl).toBe(7 * 24 * 3_600_000);
    // The embedded emulator reads it on its own clock, timeScale times faster.
    expect(jobPolicy(scenario('emulator: { timeScale: 50 }\ntimeouts: { request: 2m }')).ttl).toBe(130_000 * 50);
    expect(jobPolicy(scenario(`${endpoint}timeouts: { request: 2m, execution: 90s }`))).toEqual({
      ttl: 130_000,
      executionTimeout: 90_000,
    });
  });

  it("keeps /runsync's wait below the request's time, within Runpod's range", () => {
    const wait = (polling: string, request: string) =>
      runsyncWaitMs(scenario(`mode: sync\npolling: { runsyncWait: ${polling} }\ntimeouts: { request: ${request} }`));
    expect(wait('90s', '10m')).toBe(90_000);
    expect(wait('90s', '60s')).toBe(50_000);
    expect(wait('90s', '5s')).toBe(4000);
    expect(wait('90s', '1s')).toBe(1000);
    expect(buildSubmission(scenario('mode: sync\ntimeouts: { request: 20s }'), text, undefined).path).toBe(
      '/runsync?wait=16000',
    );
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
