// Every podbench command, in the order --help lists them.
import type { Command } from './command.js';
import { emulateCommand } from './emulate.js';

export const commands: Command[] = [emulateCommand];
