/** Starts the bench's echo bot (scripts/echoApp.ts) the way src/index.ts starts the assistant: its bundle, through V8's code cache. */
import { join } from 'node:path';
import { loadBundle } from '../src/channels/shared/codeCache.js';
import { cacheFile, loadEngine, PROJECT_ROOT } from '../src/channels/shared/loadEngine.js';
import { settingsOrExit } from '../src/channels/shared/env.js';
import { settingsFrom } from '../src/channels/shared/settings.js';
import { ECHO_BUNDLE } from './bundle.js';
import type * as EchoApp from './echoApp.js';

const settings = settingsOrExit(settingsFrom);
const engine = await loadEngine(settings.engine);
const bundle = loadBundle<typeof EchoApp>(join(PROJECT_ROOT, 'dist', ECHO_BUNDLE), cacheFile(`${ECHO_BUNDLE}.v8`));
bundle.saveCodeCache();
await bundle.exports.listenEchoApp(engine, settings);
