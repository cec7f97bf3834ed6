// The chart library's built files, read from node_modules when a page is written (I/O, so
// kept apart from the pure renderer). Read once per process: they do not change.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { PageAssets } from './render.js';

let cached: PageAssets | undefined;

export function loadPageAssets(): PageAssets {
  if (!cached) {
    const require = createRequire(import.meta.url);
    cached = {
      uplotJs: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      uplotCss: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    };
  }
  return cached;
}
