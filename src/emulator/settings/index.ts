// The emulator's settings: what can be configured (schema.ts) and the shorthand forms
// `podbench emulate` accepts for them (flags.ts). The second public entry of src/emulator,
// beside ../index.ts: code that needs only the settings (a scenario's `emulator:` block)
// imports them from here without loading the emulator itself.
export {
  emulatorSettingsSchema,
  resolveEmulatorSettings,
  type EmulatorSettings,
  type EmulatorSettingsInput,
} from './schema.js';
export { parseColdStartFlag, parseFaultsFlag, parseScalerFlag, type FlagResult, type SettingsObject } from './flags.js';
