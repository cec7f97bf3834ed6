// Budgets that protect a paid endpoint: a cap on requests sent, on the run's wall time and
// on output tokens. When one is reached the run stops scheduling (as on a first Ctrl-C,
// but without cancelling what is in flight), says which budget stopped it, and reports.
import type { RequestRecord } from '../core/record.js';

export interface Budget {
  maxRequests?: number;
  maxDurationMs?: number;
  maxOutputTokens?: number;
}

export interface BudgetGuard {
  /** Aborted when a budget is used up. */
  readonly stop: AbortSignal;
  /** Which budget stopped the run, in words. */
  readonly reason: string | undefined;
  sent(): void;
  /** Requests budget.maxRequests still allows (undefined: no such budget). */
  requestsLeft(): number | undefined;
  record(record: RequestRecord): void;
  dispose(): void;
}

export function createBudgetGuard(budget: Budget, onStop: (reason: string) => void): BudgetGuard {
  const controller = new AbortController();
  let reason: string | undefined;
  let sent = 0;
  let tokens = 0;
  const stop = (why: string) => {
    if (controller.signal.aborted) return;
    reason = why;
    controller.abort();
    onStop(why);
  };
  const timer =
    budget.maxDurationMs !== undefined
      ? setTimeout(() => stop(`budget.maxDuration (${budget.maxDurationMs} ms) reached`), budget.maxDurationMs)
      : undefined;
  timer?.unref();
  return {
    stop: controller.signal,
    get reason() {
      return reason;
    },
    sent() {
      sent += 1;
      if (budget.maxRequests !== undefined && sent >= budget.maxRequests)
        stop(`budget.maxRequests (${budget.maxRequests}) sent`);
    },
    requestsLeft() {
      return budget.maxRequests === undefined ? undefined : Math.max(0, budget.maxRequests - sent);
    },
    record(record) {
      tokens += record.outputTokens ?? 0;
      if (budget.maxOutputTokens !== undefined && tokens >= budget.maxOutputTokens)
        stop(`budget.maxOutputTokens (${budget.maxOutputTokens}) generated`);
    },
    dispose() {
      if (timer) clearTimeout(timer);
    },
  };
}
