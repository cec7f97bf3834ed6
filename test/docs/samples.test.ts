// The sample workload files in scenarios/data/ are what `npm run samples` makes (no file is
// downloaded or edited by hand), and every bundled scenario that reads them loads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { createPromptSource } from '../../src/scenario/prompts.js';
import { sampleFiles } from '../../tools/samples.js';
import { ROOT } from '../support/cli.js';

async function parquetRows(bytes: Uint8Array): Promise<unknown[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return parquetReadObjects({ file });
}

describe('sample workload files', () => {
  it.each(sampleFiles().map((f) => [f.path, f]))('%s matches npm run samples', async (path, file) => {
    const committed = readFileSync(join(ROOT, path));
    if (typeof file.content === 'string') {
      expect(committed.toString('utf8') === file.content, `${path} is stale: run npm run samples`).toBe(true);
    } else {
      // Parquet bytes may differ between writer versions; the rows may not.
      expect(await parquetRows(new Uint8Array(committed))).toEqual(await parquetRows(file.content));
    }
  });

  it.each(['datasets.yaml', 'trace-replay.yaml'])('scenarios/%s reads its files', async (name) => {
    const path = join(ROOT, 'scenarios', name);
    const loaded = parseScenario(readFileSync(path, 'utf8'), path);
    for (const variant of loaded.variants) {
      const prompts = await createPromptSource(variant.scenario, path);
      expect(prompts.at(0)).toBeDefined();
    }
  });
});
