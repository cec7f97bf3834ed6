// Under vitest the emulator's modules are TypeScript sources, which a worker thread's plain
// Node cannot load. So when this package runs from src/ (import.meta.url ends in .ts), the
// worker starts with a tiny CommonJS bootstrap that registers these module hooks
// (node:module register, Node >= 20.6): `.js` imports that have a `.ts` sibling resolve to
// it, and `.ts` files are transpiled with the project's own TypeScript (transpileModule,
// no type check). From dist/ none of this runs: the worker loads the compiled entry.js.

/** Module customization hooks, loaded from a data: URL. */
export const TS_LOADER_SOURCE = `
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
let ts;
export async function initialize(data) {
  ts = (await import(data.typescriptUrl)).default;
}
export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && specifier.startsWith('.') && context.parentURL && context.parentURL.endsWith('.ts')) {
    const url = new URL(specifier, context.parentURL);
    if (!existsSync(fileURLToPath(url))) return next(url.href.slice(0, -3) + '.ts', context);
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const path = fileURLToPath(url);
  const source = await readFile(path, 'utf8');
  const output = ts.transpileModule(source, {
    fileName: path,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, sourceMap: false, inlineSourceMap: true },
  });
  return { format: 'module', source: output.outputText, shortCircuit: true };
}
`;

/** The worker's CommonJS bootstrap (eval'd): register the hooks, then import the entry. */
export const TS_BOOTSTRAP_SOURCE = `
const { register } = require('node:module');
const { workerData } = require('node:worker_threads');
register('data:text/javascript,' + encodeURIComponent(workerData.loaderSource), { data: { typescriptUrl: workerData.typescriptUrl } });
import(workerData.entryUrl).catch((err) => { process.nextTick(() => { throw err; }); });
`;
