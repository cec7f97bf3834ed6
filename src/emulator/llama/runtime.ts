// Finding and loading node-llama-cpp, which podbench does not depend on.
//
// A plain `npm install node-llama-cpp` also pulls its CUDA, Vulkan and other prebuilt
// engines as optional dependencies (about 730 MB). `npm run install:llama` installs exactly
// node-llama-cpp@3.21.1 and its CPU build for linux-x64 (about 83 MB) with --omit=optional,
// into a private prefix inside node_modules: in the project itself, --omit=optional would
// also remove podbench's own optional packages (the native builds vitest's bundler needs).
// The loader looks for the package where Node would resolve it from podbench (someone who
// installed it their own way), then in that prefix. Nothing is downloaded at run time: the
// engine is asked never to build or fetch anything (build: 'never', skipDownload).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError } from '../../core/errors.js';
import type { Llama, NodeLlamaCpp } from './api.js';

export const NODE_LLAMA_CPP_VERSION = '3.21.1';
export const INSTALL_COMMAND = 'npm run install:llama';
/** Where install:llama puts the packages, relative to the package root. */
export const PRIVATE_PREFIX = join('node_modules', '.podbench-llama');

/** podbench's own folder (the one with its package.json), from src/ or dist/src/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'podbench') return dir;
      } catch {
        // not ours: keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`podbench: cannot find the package root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The entry file of node-llama-cpp, or undefined when it is not installed. */
export function locateNodeLlamaCpp(root = packageRoot()): string | undefined {
  const from = [import.meta.url, join(root, PRIVATE_PREFIX, 'package.json')];
  for (const base of from) {
    try {
      return createRequire(base).resolve('node-llama-cpp');
    } catch {
      // not there: try the next place
    }
  }
  return undefined;
}

export function missingPackageMessage(root = packageRoot()): string {
  return (
    `the llama backend needs node-llama-cpp ${NODE_LLAMA_CPP_VERSION}, which a plain npm install leaves out. ` +
    `Install it once with \`${INSTALL_COMMAND}\` in ${root} (node-llama-cpp@${NODE_LLAMA_CPP_VERSION} and its linux-x64 CPU build, about 83 MB, ` +
    `into ${PRIVATE_PREFIX}; package.json is not changed)`
  );
}

let loaded: Promise<{ module: NodeLlamaCpp; llama: Llama }> | undefined;

/**
 * node-llama-cpp and its engine, once per thread (a worker thread has its own). Throws a
 * UsageError naming the install command when the package is missing.
 */
export function loadLlamaRuntime(): Promise<{ module: NodeLlamaCpp; llama: Llama }> {
  loaded ??= (async () => {
    const entry = locateNodeLlamaCpp();
    if (entry === undefined) throw new UsageError(missingPackageMessage());
    const module = (await import(pathToFileURL(entry).href)) as NodeLlamaCpp;
    const llama = await module.getLlama({
      gpu: false,
      // Only the prebuilt binary: never compile, never download llama.cpp.
      build: 'never',
      usePrebuiltBinaries: true,
      skipDownload: true,
      progressLogs: false,
      logLevel: 'error',
      // Each context sets its own thread count (settings.llama.threads); no cap on top.
      maxThreads: 0,
    });
    return { module, llama };
  })();
  loaded.catch(() => {
    loaded = undefined; // a failed load may be retried (after installing the package)
  });
  return loaded;
}
