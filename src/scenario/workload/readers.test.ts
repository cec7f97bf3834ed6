// Every dataset reader, field mapping, conversations (single and multi-turn) and the one
// clear message a bad file gets.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { DEFAULT_FIELDS, itemsFromRows, type ItemOptions, type PromptItem } from './items.js';
import { fileTypeOf, readRows } from './rows.js';

const dir = mkdtempSync(join(tmpdir(), 'podbench-readers-'));
function write(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const MESSAGES: ItemOptions = { fields: DEFAULT_FIELDS, wantsMessages: true, multiTurn: false };
const PROMPT: ItemOptions = { fields: DEFAULT_FIELDS, wantsMessages: false, multiTurn: false };

async function items(path: string, options: ItemOptions = MESSAGES): Promise<PromptItem[]> {
  return itemsFromRows(path, await readRows(path, fileTypeOf(path, undefined), 'prompt file'), options);
}

async function failure(path: string, options: ItemOptions = MESSAGES): Promise<string> {
  try {
    await items(path, options);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

const SHAREGPT = [
  {
    id: 'a',
    conversations: [
      { from: 'system', value: 'Be brief.' },
      { from: 'human', value: 'What is a tide?' },
      { from: 'gpt', value: 'x'.repeat(40) },
      { from: 'human', value: 'And a wave?' },
      { from: 'gpt', value: 'y'.repeat(80) },
    ],
  },
  { id: 'b', conversations: [{ from: 'human', value: 'Hello' }] },
];

describe('JSONL', () => {
  it('reads prompts, messages and output lengths, skipping blank lines', async () => {
    const path = write(
      'p.jsonl',
      '{"prompt":"one","output_tokens":7}\n\n{"messages":[{"role":"user","content":"two"}],"id":3}\n',
    );
    expect(await items(path, PROMPT).catch((e: Error) => e.message)).toMatch(/line 3: has messages/);
    expect(await items(path)).toEqual([
      { kind: 'messages', messages: [{ role: 'user', content: 'one' }], outputTokens: 7 },
      { kind: 'messages', messages: [{ role: 'user', content: 'two' }] },
    ]);
  });

  it('maps the dataset’s own field names, dotted paths included', async () => {
    const path = write('m.jsonl', '{"q":{"text":"hi"},"len":"12"}\n');
    const fields = { prompt: 'q.text', messages: 'msgs', outputTokens: 'len' };
    expect(await items(path, { ...PROMPT, fields })).toEqual([{ kind: 'text', text: 'hi', outputTokens: 12 }]);
  });
});

describe('ShareGPT JSON', () => {
  const path = write('sharegpt.json', JSON.stringify(SHAREGPT));

  it('single turn: the conversation up to its last user turn; the recorded reply gives the output length', async () => {
    const [a, b] = await items(path);
    expect(a).toEqual({
      kind: 'messages',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is a tide?' },
        { role: 'assistant', content: 'x'.repeat(40) },
        { role: 'user', content: 'And a wave?' },
      ],
      outputTokens: 20, // 80 bytes at 4 a token
    });
    expect(b).toEqual({ kind: 'messages', messages: [{ role: 'user', content: 'Hello' }] });
  });

  it('multi-turn: one request per user turn, each carrying the history before it', async () => {
    const turns = await items(path, { ...MESSAGES, multiTurn: true });
    expect(turns).toHaveLength(3);
    expect(turns[0]).toEqual({
      kind: 'messages',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is a tide?' },
      ],
      outputTokens: 10,
    });
    const second = turns[1] as Extract<PromptItem, { kind: 'messages' }>;
    // The second turn starts with the whole first exchange.
    expect(second.messages.slice(0, 3)).toEqual([
      ...(turns[0] as Extract<PromptItem, { kind: 'messages' }>).messages,
      { role: 'assistant', content: 'x'.repeat(40) },
    ]);
    expect(second.messages.at(-1)).toEqual({ role: 'user', content: 'And a wave?' });
    expect(second.outputTokens).toBe(20);
  });
});

describe('CSV', () => {
  it('reads a header line, quoted commas and a JSON messages cell', async () => {
    const path = write(
      'q.csv',
      'question,answer_tokens,chat\n"Why, and how?",33,\n,,"[{""role"":""user"",""content"":""hey""}]"\n',
    );
    const fields = { prompt: 'question', messages: 'chat', outputTokens: 'answer_tokens' };
    expect(await items(path, { ...MESSAGES, fields })).toEqual([
      { kind: 'messages', messages: [{ role: 'user', content: 'Why, and how?' }], outputTokens: 33 },
      { kind: 'messages', messages: [{ role: 'user', content: 'hey' }] },
    ]);
  });
});

describe('Parquet', () => {
  it('reads string and integer columns (INT64 as plain numbers)', async () => {
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'prompt', data: ['alpha', 'beta'], type: 'STRING' },
        { name: 'output_tokens', data: [BigInt(5), BigInt(9)], type: 'INT64' },
      ],
    });
    const path = write('p.parquet', new Uint8Array(bytes));
    expect(await items(path, PROMPT)).toEqual([
      { kind: 'text', text: 'alpha', outputTokens: 5 },
      { kind: 'text', text: 'beta', outputTokens: 9 },
    ]);
  });
});

describe('bad files: one message naming the file, the row and the problem', () => {
  it.each([
    ['missing.jsonl', null, /missing\.jsonl: no such prompt file/],
    ['bad.jsonl', '{"prompt": "a"}\n{nope\n', /bad\.jsonl: line 2: not valid JSON/],
    ['array.jsonl', '[1,2]\n', /array\.jsonl: line 1: expected a JSON object/],
    ['empty.jsonl', '\n\n', /empty\.jsonl: the file has no prompts/],
    [
      'neither.jsonl',
      '{"text": "a"}\n',
      /neither\.jsonl: line 1: has neither "prompt" nor "messages"; map .* input\.fields/,
    ],
    [
      'role.json',
      '[{"conversations":[{"from":"robot","value":"x"}]}]',
      /role\.json: item 1: conversations\[0\]: role "robot"/,
    ],
    ['object.json', '{"prompt": "a"}', /object\.json: expected a JSON array of objects/],
    ['syntax.json', '[{"prompt": "a"},', /syntax\.json: not valid JSON/],
    ['len.jsonl', '{"prompt":"a","output_tokens":-3}\n', /len\.jsonl: line 1: output_tokens: expected a whole number/],
    [
      'nouser.jsonl',
      '{"messages":[{"role":"assistant","content":"x"}]}\n',
      /nouser\.jsonl: line 1: the conversation has no user turn/,
    ],
    ['ragged.csv', 'prompt,x\n"a",1,2\n', /ragged\.csv: not a CSV file podbench can read/],
    ['fake.parquet', 'PAR1 not really', /fake\.parquet: not a Parquet file podbench can read/],
  ])('%s', async (name, content, expected) => {
    const path = content === null ? join(dir, name) : write(name, content);
    const message = await failure(path);
    expect(message).toMatch(expected);
    expect(message.split('\n')).toHaveLength(1);
  });
});
