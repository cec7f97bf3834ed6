// The llama backend behind the emulator's API: real tokens from stories260K through the same
// routes, formats and sampling parameters as the synthetic model. One warm worker serves
// every test here (each test's job runs alone on it, so greedy decoding is exactly what the
// engine gives when asked directly).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { legacyText, startClient, type Client } from '../emulator/helpers.js';
import { loadLlamaRuntime } from '../../src/emulator/llama/runtime.js';
import { IncrementalDetokenizer } from '../../src/emulator/llama/detokenizer.js';
import type { LlamaModel, LlamaContext } from '../../src/emulator/llama/api.js';
import { MODEL_PATH, WARM_LLAMA, byteToken, describeLlama } from './support.js';

const PROMPT = 'Once upon a time';

describeLlama('llama backend: real generation', () => {
  let client: Client;
  let model: LlamaModel;
  let context: LlamaContext;

  /** What the engine itself gives, greedy, for a text prompt (BOS + the text's tokens). */
  async function direct(
    prompt: string,
    tokens: number,
  ): Promise<{ ids: number[]; text: string; promptTokens: number }> {
    const sequence = context.getSequence();
    try {
      const input = [1, ...model.tokenize(prompt, true)];
      const ids: number[] = [];
      for await (const { token } of sequence.evaluateWithMetadata(
        input,
        {},
        { temperature: 0, topK: 0, topP: 1, minP: 0, seed: 0, yieldEogToken: true },
      )) {
        ids.push(token);
        if (ids.length >= tokens) break;
      }
      return { ids, text: model.detokenize(ids), promptTokens: input.length };
    } finally {
      sequence.dispose();
    }
  }

  const legacy = async (
    prompt: string,
    params: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): Promise<any> => {
    const r = await client.post('/runsync', { input: { prompt, sampling_params: params, ...extra } });
    expect(r.status).toBe(200);
    return r.json;
  };

  beforeAll(async () => {
    client = await startClient(WARM_LLAMA);
    const { llama } = await loadLlamaRuntime();
    model = await llama.loadModel({ modelPath: MODEL_PATH });
    context = await model.createContext({ sequences: 1, contextSize: 512, threads: 1 });
  });

  afterAll(async () => {
    await client?.close();
    await context?.dispose();
    await model?.dispose();
  });

  it('answers the same job with real text: what the engine generates, token for token, counted by the real tokenizer', async () => {
    const engine = await direct(PROMPT, 40);
    const job = await legacy(PROMPT, { max_tokens: 40, temperature: 0 });
    expect(job.status).toBe('COMPLETED');
    const [item] = job.output;
    expect(item.choices[0].tokens).toEqual([engine.text]);
    expect(engine.text).toMatch(/^, there was a little girl named Lily\./);
    expect(item.usage).toEqual({ input: engine.promptTokens, output: engine.ids.length });
    const truth = await client.emulator.jobTruth(job.id);
    expect(truth?.outputTokens).toBe(40);
    expect(truth?.promptTokens).toBe(5);
  });

  it('streams legacy batches of 1, 3, 9, 27 real token strings that add up to the same text', async () => {
    const engine = await direct(PROMPT, 40);
    const id = await client.run({ prompt: PROMPT, stream: true, sampling_params: { max_tokens: 40, temperature: 0 } });
    const { items, final } = await client.stream(id);
    expect(final.status).toBe('COMPLETED');
    expect(items.map((item) => item.choices[0].tokens.length)).toEqual([1, 3, 9, 27]);
    // One string per generated token (all ASCII here, so none is held back).
    const pieces = items.flatMap((item) => item.choices[0].tokens as string[]);
    expect(pieces).toHaveLength(40);
    expect(pieces.slice(0, 4)).toEqual([',', ' there', ' was', ' a']);
    expect(pieces.join('')).toBe(engine.text);
    expect(legacyText(items)).toBe(engine.text);
    expect(items.map((item) => item.usage.output)).toEqual([1, 4, 13, 40]);
  });

  it('keeps a character the engine spells in several byte tokens whole across stream chunks', async () => {
    // Biases that make greedy decoding spell 日 (E6 97 A5) twice, byte by byte: each
    // byte's logit falls by 2 once used (frequency_penalty), so the three take turns.
    const bias = { [byteToken(0xe6)]: 100, [byteToken(0x97)]: 99.5, [byteToken(0xa5)]: 99 };
    const params = { max_tokens: 6, temperature: 0, frequency_penalty: 2, logit_bias: bias, ignore_eos: true };
    const id = await client.run({ prompt: PROMPT, stream: true, sampling_params: params });
    const { items } = await client.stream(id);
    // The batches cut the first character after its first byte: that update is an empty
    // string, and the character comes whole in the next chunk, never as U+FFFD halves.
    expect(items.map((item) => item.choices[0].tokens)).toEqual([[''], ['', '日', ''], ['', '日']]);
    expect(items.at(-1).usage.output).toBe(6);
    const chat = await client.post('/openai/v1/completions', { prompt: PROMPT, stream: true, ...params });
    expect(chat.text).toContain('"text":"日"');
    expect(chat.text).not.toContain('\uFFFD');
  });

  it("detokenizes the model's own byte tokens one at a time without a broken character", () => {
    const text = 'Hi 😀 日本 é — “quoted”!';
    const ids = model.tokenize(text, false);
    expect(ids.filter((id) => model.detokenize([id]).includes('\uFFFD')).length).toBeGreaterThanOrEqual(8); // 😀 and 日本 are spelled in bytes
    const detokenizer = new IncrementalDetokenizer((tokens, last) => model.detokenize(tokens, false, last), [1]);
    const pieces = ids.map((id) => detokenizer.push(id));
    for (const piece of pieces) expect(piece).not.toContain('\uFFFD');
    expect(pieces.join('') + detokenizer.flush()).toBe(text);
  });

  it('ends at a stop string, cut before it (or after, with include_stop_str_in_output)', async () => {
    const cut = await legacy(PROMPT, { max_tokens: 60, temperature: 0, stop: ['Lily'] });
    expect(cut.output[0].choices[0].tokens).toEqual([', there was a little girl named ']);
    const kept = await client.post('/openai/v1/completions', {
      prompt: PROMPT,
      max_tokens: 60,
      temperature: 0,
      stop: ['Lily'],
      include_stop_str_in_output: true,
    });
    expect(kept.json.choices[0]).toMatchObject({
      text: ', there was a little girl named Lily',
      finish_reason: 'stop',
      stop_reason: 'Lily',
    });
    // Streamed: nothing of the stop string reaches the client before the cut.
    const id = await client.run({
      prompt: PROMPT,
      stream: true,
      sampling_params: { max_tokens: 60, temperature: 0, stop: ['Lily'] },
    });
    expect(legacyText((await client.stream(id)).items)).toBe(', there was a little girl named ');
  });

  it('ends at a stop token id, and at max_tokens with finish_reason length', async () => {
    const engine = await direct(PROMPT, 5);
    const stopAt = engine.ids[2] as number; // " was"
    const stopped = await client.post('/openai/v1/completions', {
      prompt: PROMPT,
      max_tokens: 60,
      temperature: 0,
      stop_token_ids: [stopAt],
    });
    expect(stopped.json.choices[0]).toMatchObject({ text: ', there', finish_reason: 'stop', stop_reason: stopAt });
    expect(stopped.json.usage.completion_tokens).toBe(3);
    const short = await client.post('/openai/v1/completions', { prompt: PROMPT, max_tokens: 7, temperature: 0 });
    expect(short.json.choices[0].finish_reason).toBe('length');
    expect(short.json.usage.completion_tokens).toBe(7);
  });

  it('holds min_tokens against a likely end of sequence; ignore_eos goes on past it; skip_special_tokens hides it', async () => {
    const eos = { 2: 100 }; // </s> all but certain at every step
    const early = await legacy(PROMPT, { max_tokens: 50, temperature: 0, logit_bias: eos });
    expect(early.output[0]).toEqual({ choices: [{ tokens: [''] }], usage: { input: 5, output: 1 } });
    const held = await client.post('/openai/v1/completions', {
      prompt: PROMPT,
      max_tokens: 50,
      min_tokens: 12,
      temperature: 0,
      logit_bias: eos,
    });
    expect(held.json.choices[0].finish_reason).toBe('stop');
    expect(held.json.usage.completion_tokens).toBe(13); // 12 tokens, then the end of sequence
    expect(held.json.choices[0].text.length).toBeGreaterThan(0);
    const ignored = await client.post('/openai/v1/completions', {
      prompt: PROMPT,
      max_tokens: 4,
      temperature: 0,
      logit_bias: eos,
      ignore_eos: true,
      skip_special_tokens: false,
    });
    expect(ignored.json.choices[0]).toMatchObject({ text: '</s></s></s></s>', finish_reason: 'length' });
  });

  it('gives n = 2 sequences, decoded together, usage counting both', async () => {
    const r = await client.post('/openai/v1/completions', {
      prompt: PROMPT,
      n: 2,
      max_tokens: 12,
      temperature: 1,
      seed: 7,
      ignore_eos: true,
    });
    expect(r.status).toBe(200);
    expect(r.json.choices).toHaveLength(2);
    expect(r.json.choices[0].text).not.toBe(r.json.choices[1].text);
    expect(r.json.usage.completion_tokens).toBe(24);
    const id = await client.run({
      prompt: PROMPT,
      stream: true,
      sampling_params: { n: 2, max_tokens: 12, temperature: 1, seed: 7, ignore_eos: true },
    });
    const { items } = await client.stream(id);
    expect(items[0].choices).toHaveLength(2);
    expect(legacyText(items, 0) + legacyText(items, 1)).toBe(r.json.choices[0].text + r.json.choices[1].text);
    expect(items.at(-1).usage.output).toBe(24);
  });

  it('reproduces a fixed seed (and greedy decoding at temperature 0); another seed gives other text', async () => {
    const text = async (params: Record<string, unknown>): Promise<string> =>
      (await legacy(PROMPT, { max_tokens: 30, ...params })).output[0].choices[0].tokens[0];
    expect(await text({ temperature: 0, seed: 1 })).toBe(await text({ temperature: 0, seed: 99 }));
    const seeded = await text({ temperature: 0.9, seed: 42 });
    expect(await text({ temperature: 0.9, seed: 42 })).toBe(seeded);
    expect(await text({ temperature: 0.9, seed: 43 })).not.toBe(seeded);
  });

  it("renders chat messages with the model's chat template and counts them with the real tokenizer", async () => {
    const r = await client.post('/openai/v1/chat/completions', {
      messages: [
        { role: 'system', content: 'Stories.' },
        { role: 'user', content: 'A dog' },
      ],
      max_tokens: 5,
      temperature: 0,
    });
    expect(r.status).toBe(200);
    // stories260K has no chat template: node-llama-cpp's GeneralChatWrapper renders
    // "<s>Stories.\n\n### Human\nA dog\n\n### Assistant\n".
    const expected = [1, ...model.tokenize('Stories.\n\n### Human\nA dog\n\n### Assistant\n', false)].length;
    expect(r.json.usage.prompt_tokens).toBe(expected);
    expect(r.json.usage.completion_tokens).toBe(5);
  });

  it('refuses what llama.cpp has no equivalent for, as a failed job in the worker error shape', async () => {
    const job = await legacy(PROMPT, { use_beam_search: true });
    expect(job.status).toBe('FAILED');
    expect(job.error).toMatch(
      /^\{'error': \{'message': "Beam search \(use_beam_search\) is not supported by podbench's llama backend/,
    );
    const openai = await client.post('/openai/v1/completions', { prompt: PROMPT, length_penalty: 2 });
    expect(openai.status).toBe(400);
    expect(openai.json.error.message).toMatch(/length_penalty only applies to beam search/);
    const ids = await client.post('/openai/v1/completions', { prompt: [1, 99999] });
    expect(ids.status).toBe(400);
    expect(ids.json.error.message).toBe('Token id 99999 is out of vocabulary');
  });

  it('keeps the context window: the model’s 2048 tokens bound prompt + max_tokens', async () => {
    const models = await client.get('/openai/v1/models');
    expect(models.json.data[0].max_model_len).toBe(2048);
    const r = await client.post('/openai/v1/completions', { prompt: PROMPT, max_tokens: 2048 });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/maximum context length is 2048 tokens/);
  });
});
