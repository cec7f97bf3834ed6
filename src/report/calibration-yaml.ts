// emulator.yaml: the calibrated emulator settings, loadable as they are (podbench emulate
// --config, a scenario's emulator: block, podbench what-if), each fitted value commented with
// its interval and what it rests on, the replay check and the gaps in the header.
import { Document, isScalar } from 'yaml';
import type { Calibration } from '../core/calibration.js';
import { fittedValueText, gapText, parameterLabel, replayMisses, replayRowText } from './calibration-text.js';

export function calibrationYaml(c: Calibration): string {
  const doc = new Document(c.settings);
  const header = [
    ` Emulator settings calibrated by \`podbench calibrate\` from ${c.source.runDir}`,
    ` (${c.traffic.requests} requests${c.source.timeScale === 1 ? '' : `, times × ${c.source.timeScale}`}). A model of the endpoint, not the endpoint:`,
    ' every fitted value below carries its 90% interval; calibration.json holds them all.',
  ];
  const client = c.parameters.filter((p) => p.setting === undefined);
  if (client.length > 0) {
    header.push('', ' Client-side overheads the emulator does not model (what-if adds them to its times):');
    for (const p of client) header.push(`   ${parameterLabel(p.parameter)}: ${fittedValueText(p)}`);
  }
  if (c.replay) {
    header.push('', ` Replay of the run's ${c.replay.requests} requests on these settings:`);
    for (const row of c.replay.rows) header.push(`   ${replayRowText(row)}`);
    for (const miss of replayMisses(c.replay)) header.push(`   warning: ${miss}`);
  }
  const gaps = c.gaps.filter((g) => g.kind !== 'endpoint-settings-given');
  if (gaps.length > 0) {
    header.push('', ' What the run could not tell:');
    for (const gap of gaps) header.push(`   - ${gapText(gap)}`);
  }
  doc.commentBefore = header.join('\n');
  for (const p of c.parameters) {
    if (p.setting === undefined) continue;
    const node = doc.getIn(p.setting.split('.'), true);
    if (isScalar(node)) node.comment = ` ${fittedValueText(p)}`;
  }
  return doc.toString({ lineWidth: 0 });
}
