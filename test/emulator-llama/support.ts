// Whether the real-model tests can run here: node-llama-cpp installed (npm run install:llama)
// and a GGUF model found (shared/models/stories260K.gguf). Missing locally, they are skipped
// with the reason in their name; in CI (CI=true, where .ci/run installs the package) a
// missing piece is a failing test instead.
import { describe, it } from 'vitest';
import { locateNodeLlamaCpp, missingPackageMessage } from '../../src/emulator/llama/runtime.js';
import { findModelPath } from '../../src/emulator/llama/model-path.js';

function missing(): string | undefined {
  if (locateNodeLlamaCpp() === undefined) return missingPackageMessage();
  if (findModelPath(undefined) === undefined) return 'no stories260K.gguf found (set PODBENCH_LLAMA_MODEL)';
  return undefined;
}

export const LLAMA_MISSING = missing();
export const MODEL_PATH = findModelPath(undefined) ?? '';

let warned = false;

/** describe() for tests that need the real model: skipped (reason shown) or, in CI, failing. */
export function describeLlama(name: string, body: () => void): void {
  if (LLAMA_MISSING === undefined) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has node-llama-cpp and the model (CI installs them in .ci/run)', () => {
        throw new Error(LLAMA_MISSING);
      });
    });
  } else {
    // The default reporter does not print the names of skipped tests: say why, once per file.
    if (!warned) console.warn(`[emulator-llama] real-model tests skipped: ${LLAMA_MISSING}`);
    warned = true;
    describe.skip(`${name} [skipped: ${LLAMA_MISSING}]`, body);
  }
}

/** Settings of a fast llama endpoint: one warm worker, no rate limits. */
export const WARM_LLAMA = {
  backend: 'llama' as const,
  workers: { min: 1, max: 1 },
  rateLimits: { enabled: false },
};

/** The byte tokens of stories260K's vocabulary: byte b is token b + 3 (after <unk>, <s>, </s>). */
export const byteToken = (byte: number): number => byte + 3;
