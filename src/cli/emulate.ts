import { defineCommand } from './command.js';

// Placeholder until the emulator lands (issue 2).
export const emulateCommand = defineCommand({
  command: 'emulate',
  describe: 'Serve an emulated Runpod Serverless endpoint running the vLLM worker',
  builder: (y) => y,
  run: async () => 0,
});
