// A local Hugging Face tokenizer.json, read with Hugging Face's own pure-JS reader
// (@huggingface/tokenizers), to count tokens the way the model does. Never downloaded: the
// user names a file. Read once per path (a matrix of variants shares one).
import { readFileSync, statSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import { UsageError, messageOf } from '../core/errors.js';

/** Counts tokens of text as the model's tokenizer splits it, without special tokens (BOS, a chat template). */
export interface TokenCounter {
  /** The file it was read from (absolute). */
  path: string;
  count(text: string): number;
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
}

/** tokenizer.json files of large vocabularies are tens of MB; past this it is not one. */
const MAX_TOKENIZER_BYTES = 256 * 1024 ** 2;

const loaded = new Map<string, TokenCounter>();

/**
 * The tokenizer in `path` (absolute), read and checked once; `where` starts the one-line
 * error ("scenario.yaml: input.tokenizer") when the file is missing, unreadable or not a
 * tokenizer.json.
 */
export function loadTokenizer(path: string, where: string): TokenCounter {
  const known = loaded.get(path);
  if (known) return known;
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_TOKENIZER_BYTES) throw new UsageError(`${where}: ${path}: ${size} bytes; not a tokenizer.json`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `${where}: ${path}: no such file` : `${where}: ${path}: cannot read: ${oneLine(err)}`,
    );
  }
  let tokenizer: Tokenizer;
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('expected a JSON object');
    tokenizer = new Tokenizer(json, {});
    // Some faults only show when text goes through (a model without a vocabulary).
    const probe = tokenizer.encode('podbench counts tokens', { add_special_tokens: false }).ids;
    if (probe.length === 0 || probe.some((id: unknown) => typeof id !== 'number'))
      throw new Error('it gives no token ids for plain text');
  } catch (err) {
    throw new UsageError(`${where}: ${path}: not a usable tokenizer.json: ${oneLine(err)}`);
  }
  const encode = (input: string): number[] => tokenizer.encode(input, { add_special_tokens: false }).ids;
  const counter: TokenCounter = {
    path,
    encode,
    count: (input) => (input.length === 0 ? 0 : encode(input).length),
    decode: (ids) => tokenizer.decode([...ids], { skip_special_tokens: false }),
  };
  loaded.set(path, counter);
  return counter;
}

function oneLine(err: unknown): string {
  return (messageOf(err).split('\n')[0] ?? '').slice(0, 200);
}
