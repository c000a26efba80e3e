/**
 * `npm start`: the Bot Framework endpoint for the Emulator, Azure Bot Service (Teams, Web Chat) and
 * the local chat page. Loads the engine, then the server bundle that `npm run build` makes
 * (src/channels/app.ts and its packages in one file, dist/server.cjs) with V8's code cache: most of
 * a start is loading botbuilder and restify, and one file read through the cache loads fastest.
 */
import { join } from 'node:path';
import type * as App from './channels/app.js';
import { loadBundle } from './channels/shared/codeCache.js';
import { loadDotEnv } from './channels/shared/env.js';
import { cacheFile, loadEngine, PROJECT_ROOT } from './channels/shared/loadEngine.js';

const BUNDLE = join(PROJECT_ROOT, 'dist', 'server.cjs');
const CODE_CACHE = cacheFile('server.cjs.v8');

loadDotEnv();
const engine = await loadEngine();
const bundle = loadBundle<typeof App>(BUNDLE, CODE_CACHE);
const app = bundle.exports.createApp(engine, PROJECT_ROOT);
// Before listening: making a missing cache holds the event loop for about 150 ms.
bundle.saveCodeCache();
await app.listen();
