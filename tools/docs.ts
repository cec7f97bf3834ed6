// `npm run docs`: writes the generated reference pages (reference.ts) into docs/.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referencePages } from './reference.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
for (const { path, text } of referencePages()) {
  writeFileSync(join(root, path), text);
  process.stdout.write(`wrote ${path}\n`);
}
