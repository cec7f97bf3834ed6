// Engines by name. The map is checked against EngineName, so adding a name without an
// engine (or the reverse) does not compile.
import { nativeEngine } from './native/index.js';
import type { Engine, EngineName } from './types.js';

export const engines = {
  native: nativeEngine,
} satisfies Record<EngineName, Engine>;
