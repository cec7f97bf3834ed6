// Every podbench command, in the order --help lists them.
import type { Command } from './command.js';
import { calibrateCommand } from './calibrate.js';
import { whatIfCommand } from './what-if.js';
import { compareCommand } from './compare.js';
import { emulateCommand } from './emulate.js';
import { k6Command } from './k6.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';

export const commands: Command[] = [
  runCommand,
  reportCommand,
  compareCommand,
  calibrateCommand,
  whatIfCommand,
  emulateCommand,
  k6Command,
];
