// A thread of the simulation pool (sim-pool.ts): the traffic arrives once, then each message
// is one candidate's settings (seed included); the answer is that simulation's figures.
import { parentPort, workerData } from 'node:worker_threads';
import { seedFigures } from '../answers/what-if/evaluate.js';
import { parseThresholds } from '../checks/thresholds.js';
import { resolveEmulatorSettings, simulateEndpoint } from '../emulator/index.js';
import { coldRuleOf } from './what-if-cold-rule.js';
import type { SimAnswer, SimJobMessage, SimWorkerData } from './sim-pool.js';

const port = parentPort;
if (port === null) throw new Error('podbench: sim-worker.js must run in a worker thread');
const data = workerData as SimWorkerData;
const slo = parseThresholds(data.slo.map((text) => ({ text, origin: '--slo' })));

port.on('message', (message: SimJobMessage) => {
  let answer: SimAnswer;
  try {
    const settings = resolveEmulatorSettings(message.settings, 'what-if settings');
    const result = simulateEndpoint(settings, data.traffic);
    answer = {
      id: message.id,
      figures: seedFigures(result, {
        mode: data.mode,
        overheads: message.overheads ?? data.overheads,
        slo,
        price: data.price,
        coldRule: coldRuleOf(settings),
      }),
    };
  } catch (err) {
    answer = { id: message.id, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(answer);
});
