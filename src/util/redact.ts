// Secrets never leave podbench: text that reaches a record, a report, the console or run.json
// passes through here first. The marker says that something was removed, not what.

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
    if (secret.length < MIN_SECRET_LENGTH) continue;
    out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** A URL with its user:password part replaced by the marker, whatever its scheme. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, `$1${REDACTED}@`);
}
