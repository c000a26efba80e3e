/**
 * `npm start`: the Bot Framework endpoint for the Emulator, Azure Bot Service (Teams, Web Chat) and
 * the local chat page. Loads the server bundle that `npm run build` makes (src/channels/app.ts and its
 * packages in one file, dist/server.cjs) with V8's code cache: most of a start is loading botbuilder
 * and restify, and one file read through the cache loads fastest. Then reads the settings (exit code 2
 * if any is bad), loads the engine and listens.
 */
import { join } from 'node:path';
import type * as App from './channels/app.js';
import { loadBundle } from './channels/shared/codeCache.js';
import { loadDotEnv } from './channels/shared/env.js';
import { cacheFile, loadEngine, PROJECT_ROOT } from './channels/shared/loadEngine.js';
import { mapStackTraces } from './channels/shared/stackTraces.js';

const DIST = join(PROJECT_ROOT, 'dist');
const BUNDLE = join(DIST, 'server.cjs');
const CODE_CACHE = cacheFile('server.cjs.v8');

mapStackTraces(DIST);
loadDotEnv();
const bundle = loadBundle<typeof App>(BUNDLE, CODE_CACHE);
const { createApp, settingsFrom, settingsOrExit } = bundle.exports;
const settings = settingsOrExit(settingsFrom);
const engine = await loadEngine(settings.engine);
const app = createApp(engine, PROJECT_ROOT, settings);
// Before listening: making a missing cache holds the event loop for about 150 ms.
bundle.saveCodeCache();
await app.listen();
