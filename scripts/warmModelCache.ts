/** Learns the engine once at build time and writes the model cache: a fresh install's first start is then as quick as any other. */
import { settingsOrExit } from '../src/channels/shared/env.js';
import { loadEngine } from '../src/channels/shared/loadEngine.js';
import { engineSettingsFrom } from '../src/content/settings.js';

await loadEngine(settingsOrExit(engineSettingsFrom));
