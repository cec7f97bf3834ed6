import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { defaultModelCandidates, findModelPath, resolveModelPath } from './model-path.js';

function layout(): { top: string; root: string } {
  const top = mkdtempSync(join(tmpdir(), 'podbench-model-'));
  const root = join(top, 'ci', 'checkout', 'podbench');
  mkdirSync(root, { recursive: true });
  return { top, root };
}

describe('the default model path', () => {
  it('looks at the env var, ../shared/models, each parent folder, then /work/shared/models', () => {
    const candidates = defaultModelCandidates('/a/b/main', { PODBENCH_LLAMA_MODEL: '/m/x.gguf' });
    expect(candidates).toEqual([
      '/m/x.gguf',
      '/a/b/shared/models/stories260K.gguf',
      '/a/b/main/shared/models/stories260K.gguf',
      '/a/shared/models/stories260K.gguf',
      '/shared/models/stories260K.gguf',
      '/work/shared/models/stories260K.gguf',
    ]);
  });

  it('finds shared/models in a parent folder of the checkout (a CI clone)', () => {
    const { top, root } = layout();
    mkdirSync(join(top, 'shared', 'models'), { recursive: true });
    writeFileSync(join(top, 'shared', 'models', 'stories260K.gguf'), 'x');
    expect(findModelPath(undefined, root, {})).toBe(join(top, 'shared', 'models', 'stories260K.gguf'));
  });

  it('a given path wins, and a missing one is a UsageError naming it', () => {
    const { top, root } = layout();
    const file = join(top, 'mine.gguf');
    writeFileSync(file, 'x');
    expect(resolveModelPath(file, root, {})).toBe(file);
    expect(() => resolveModelPath(join(top, 'nope.gguf'), root, {})).toThrow(UsageError);
    expect(() => resolveModelPath(join(top, 'nope.gguf'), root, {})).toThrow(/nope\.gguf does not exist/);
    expect(() => resolveModelPath(top, root, {})).toThrow(/is not a file/);
  });
});
