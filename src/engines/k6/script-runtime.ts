// The fixed parts of every generated k6 script, as text: the Config interface, the runtime
// and what only podbench's own runs add, copied from runtime/k6-runtime.ts (a real
// TypeScript file, type-checked against @types/k6) between its `// podbench:<part> begin`
// and `// podbench:<part> end` lines.
// Read once per process. From sources (vitest) the file sits beside this module; from dist/
// it is read from the package's src/ (package.json ships it), as tsc does not copy it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ScriptRuntime {
  /** `interface Config {...}` and a line break. */
  configType: string;
  /** Everything after the generated options, starting with a blank line. */
  runtime: string;
  /** setup() and handleSummary(), for podbench's own runs only: k6's run clock as epoch ms, and the dropped iterations. */
  ownRun: string;
}

const SOURCE = new URL(
  import.meta.url.endsWith('.ts') ? './runtime/k6-runtime.ts' : '../../../../src/engines/k6/runtime/k6-runtime.ts',
  import.meta.url,
);

let cached: ScriptRuntime | undefined;

function part(text: string, name: string): string {
  const begin = `// podbench:${name} begin\n`;
  const end = `// podbench:${name} end\n`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end, from);
  if (from === -1 || to === -1)
    throw new Error(`${fileURLToPath(SOURCE)}: no "${begin.trim()}" ... "${end.trim()}" lines`);
  return text.slice(from + begin.length, to);
}

export function scriptRuntime(): ScriptRuntime {
  if (!cached) {
    const text = readFileSync(SOURCE, 'utf8');
    cached = { configType: part(text, 'config'), runtime: part(text, 'runtime'), ownRun: part(text, 'own-run') };
  }
  return cached;
}
