// The one boundary of text that leaves podbench: what reaches a record, a report, run.json
// or the console passes through here first. Secrets go (every API key this process holds,
// and the user:password part of any URL), and so do terminal control sequences from text
// podbench did not write. The marker says that something was removed, not what.
import { stripControl } from './control-chars.js';

export const REDACTED = '[redacted]';

/**
 * Secrets shorter than this are not searched for. A short "key" (a test key such as `bench`)
 * is a substring of ordinary text and of podbench's own field names: replacing it turned
 * `podbenchVersion` into `pod[redacted]Version` in run.json and broke the report. Runpod's
 * keys are dozens of characters, far above it.
 */
export const MIN_SECRET_LENGTH = 8;

/** `text` with every occurrence of every secret replaced by the marker. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH || !out.includes(secret)) continue;
    out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** A URL with its user:password part replaced by the marker, whatever its scheme. */
export function redactUrlCredentials(text: string): string {
  if (!text.includes('@')) return text;
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, `$1${REDACTED}@`);
}

/**
 * The secrets this process holds: API keys read from the environment or a file, the
 * emulator's per-run keys. Registered where they are read, so that no path out of podbench
 * (a record, an error message, a warning) needs to be handed them.
 */
const known = new Set<string>();
let knownList: string[] = [];

export function registerSecret(secret: string | undefined): void {
  if (secret === undefined || secret.length < MIN_SECRET_LENGTH || known.has(secret)) return;
  known.add(secret);
  // Longest first: a key that contains another is replaced whole.
  knownList = [...known].sort((a, b) => b.length - a.length);
}

/** The registered secrets, for a worker thread to register in turn (its module state is its own). */
export function registeredSecrets(): readonly string[] {
  return knownList;
}

/** Text on its way out: no registered secret, no URL credentials, no control sequence (tabs and newlines stay). */
export function cleanText(text: string): string {
  return stripControl(redactUrlCredentials(redactSecrets(text, knownList)));
}

/** A JSON-like value with cleanText applied to every string in it, keys included; other values unchanged. */
export function cleanValue<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => cleanValue(item)) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[cleanText(key)] = cleanValue(item);
    return out as T;
  }
  return value;
}
