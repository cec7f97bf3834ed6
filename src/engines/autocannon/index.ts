// The autocannon engine: the fastest way to hammer /runsync (or an OpenAI route) from
// Node. autocannon owns the sockets and the sending; podbench owns what each request is
// and turns each response into a record as it arrives (drive.ts). Its histograms and
// summary are not used: records are the only output, as with every engine.
//
// Differences from the native engine, all stated in the README's engine table:
//   - modes sync and openai only; closed loops and rate-capped ones (planAutocannon);
//   - a rate cap is a budget per connection per second, spent as soon as connections are
//     free: within each second requests go out in a burst, not evenly spaced, and there is
//     no arrival schedule, so scheduledMs = sentMs;
//   - no retries (autocannon sends the next request at once): a 429 or 5xx is a record;
//   - a /runsync that outlives its wait is not followed with /status: it is recorded as
//     client_timeout and its job cancelled.
import { UsageError } from '../../core/errors.js';
import type { Engine, VariantRunContext } from '../types.js';
import { driveAutocannon } from './drive.js';
import { planAutocannon } from './plan.js';

export const autocannonEngine: Engine = {
  name: 'autocannon',
  capabilities: {
    modes: ['sync', 'openai'],
    closedLoop: true,
    openLoop: false,
    streamingTtft: false,
    timesOnPodbenchLoop: true,
  },
  check(variant) {
    const planned = planAutocannon(variant);
    return planned.ok ? [] : planned.problems;
  },
  async run(ctx: VariantRunContext): Promise<number> {
    const planned = planAutocannon(ctx.variant);
    if (!planned.ok) throw new UsageError(planned.problems.join('\n'));
    return driveAutocannon(ctx, planned.plan);
  },
};
