// Engines by name. The map is checked against EngineName, so adding a name without an
// engine (or the reverse) does not compile.
import { autocannonEngine } from './autocannon/index.js';
import { k6Engine } from './k6/index.js';
import { nativeEngine } from './native/index.js';
import type { Engine, EngineName } from './types.js';

export const engines = {
  native: nativeEngine,
  autocannon: autocannonEngine,
  k6: k6Engine,
} satisfies Record<EngineName, Engine>;
