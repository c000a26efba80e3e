/**
 * The last step of `npm run build`: the server (src/channels/app.ts and the packages it uses) in one
 * CommonJS file, dist/server.cjs, which src/index.ts loads through V8's code cache. `npm run bench`
 * bundles its echo bot the same way, so that both servers it compares are built and loaded alike.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../src/channels/shared/loadEngine.js';

export const SERVER_BUNDLE = 'server.cjs';
export const ECHO_BUNDLE = 'echo-server.cjs';
/** esbuild's account of the server bundle's input files, for the test of what `npm start` loads. */
export const SERVER_METAFILE = 'server.meta.json';

/** Bundles the compiled module `entry` (a path under dist/) into `outfile` (also under dist/), and writes esbuild's metafile if asked. */
export async function bundleServer(entry: string, outfile: string, metafile?: string): Promise<void> {
  // Loaded here: the echo bot's start-up imports this module only for ECHO_BUNDLE.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, 'dist', entry)],
    outfile: join(PROJECT_ROOT, 'dist', outfile),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minifyWhitespace: true,
    minifySyntax: true,
    // Stack traces name src/ files (src/channels/shared/stackTraces.ts): the map chains tsc's maps; the sources stay on disk.
    sourcemap: true,
    sourcesContent: false,
    // restify's optional DTrace support: a native module that is not installed.
    external: ['dtrace-provider'],
    // node-fetch 2 (inside botbuilder) requires Node's deprecated punycode module (DEP0040 warning on Node 22+); the npm package is the same code.
    alias: { punycode: 'punycode/' },
    logLevel: 'warning',
    metafile: metafile !== undefined,
  });
  if (metafile) writeFileSync(join(PROJECT_ROOT, 'dist', metafile), JSON.stringify(result.metafile));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await bundleServer('src/channels/app.js', SERVER_BUNDLE, SERVER_METAFILE);
