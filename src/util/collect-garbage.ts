// A full garbage collection, on demand, for the one place that needs it: the report
// builder's finish, where each variant's per-request columns (tens of MB of typed arrays on
// a million-record run) are let go before the next variant's sorts. Little JavaScript is
// allocated meanwhile, so V8 waited: three variants' worth piled up, and that was a
// 1M-record report's peak memory (479-506 MB; 427-450 MB with a collection per variant, the
// same CPU seconds). V8 offers gc() only under --expose-gc, which the flag set here enables
// for this process from now on; the function is taken from a fresh context, where V8
// installs it.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

export function collectGarbage(): void {
  if (!gc) {
    try {
      setFlagsFromString('--expose-gc');
      const found: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
      // Without it (another V8) the reports are the same, only their peak memory higher.
      gc = typeof found === 'function' ? (found as () => void) : () => undefined;
    } catch {
      gc = () => undefined;
    }
  }
  gc();
}
