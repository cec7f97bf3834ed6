// Which GGUF file the llama backend runs. A path the user gives (--model, llama.model) is
// taken as is, relative to the current folder. Otherwise the first that exists of:
//
//   $PODBENCH_LLAMA_MODEL
//   <package root>/../shared/models/stories260K.gguf      this repository's development setup
//   <each parent folder of the package root>/shared/models/stories260K.gguf
//   /work/shared/models/stories260K.gguf                  CI may clone the repository elsewhere
//
// stories260K is a real 260K-parameter Llama model (MIT, Karpathy's tinyllamas) small enough
// to run on any CPU; the file is never downloaded.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { packageRoot } from './runtime.js';

export const DEFAULT_MODEL_FILE = 'stories260K.gguf';
export const MODEL_ENV = 'PODBENCH_LLAMA_MODEL';
const LAST_RESORT = '/work/shared/models/stories260K.gguf';

/** The places a default model is looked for, in order. */
export function defaultModelCandidates(root: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const candidates: string[] = [];
  const fromEnv = env[MODEL_ENV];
  if (fromEnv !== undefined && fromEnv !== '') candidates.push(resolve(fromEnv));
  candidates.push(resolve(root, '..', 'shared', 'models', DEFAULT_MODEL_FILE));
  for (let dir = root; ; dir = dirname(dir)) {
    candidates.push(join(dir, 'shared', 'models', DEFAULT_MODEL_FILE));
    if (dirname(dir) === dir) break;
  }
  candidates.push(LAST_RESORT);
  return [...new Set(candidates)];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The GGUF file to load, or undefined when no default one is found (no I/O beyond stat). */
export function findModelPath(
  given: string | undefined,
  root = packageRoot(),
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (given !== undefined) return isFile(resolve(given)) ? resolve(given) : undefined;
  return defaultModelCandidates(root, env).find(isFile);
}

/** Like findModelPath, but a missing file is a UsageError that says where it looked. */
export function resolveModelPath(
  given: string | undefined,
  root = packageRoot(),
  env: NodeJS.ProcessEnv = process.env,
): string {
  const found = findModelPath(given, root, env);
  if (found !== undefined) return found;
  if (given !== undefined) {
    const why = existsSync(resolve(given)) ? 'is not a file' : 'does not exist';
    throw new UsageError(`llama.model: ${resolve(given)} ${why} (give the path of a GGUF model file)`);
  }
  throw new UsageError(
    `llama.model: no model given and no ${DEFAULT_MODEL_FILE} found; looked at:\n  ${defaultModelCandidates(root, env).join('\n  ')}\n` +
      `Pass --model PATH (or llama.model in the settings) for any GGUF model, or set ${MODEL_ENV}.`,
  );
}
