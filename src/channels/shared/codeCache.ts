/**
 * Runs a CommonJS bundle (the server, dist/server.cjs) with V8's code cache: a start that finds the
 * cache skips parsing and compiling the functions the previous start ran (Node 20 has no
 * module.enableCompileCache). The cache file starts with a line naming the bundle it was made from
 * (size and modification time: every build writes the bundle anew) and a CRC-32 of V8's data, which
 * V8 does not check itself. V8 refuses a cache from another version or with other flags; the cache is
 * then made again. A missing, stale or unwritable cache only costs time.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';
import { crc32 } from 'node:zlib';

export interface LoadedBundle<T> {
  exports: T;
  /** Whether V8 took the compiled code from the cache. */
  fromCache: boolean;
  /** Stores the code compiled so far (call it once the program has started), unless it came from the cache. */
  saveCodeCache(): void;
}

const HEADER_END = 0x0a;
/** CommonJS's module wrapper, on a line of its own: with lineOffset -1, V8 reports the bundle's own lines and columns, which its source map needs. */
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) {\n';
const WRAPPER_END = '\n})';

export function loadBundle<T>(bundlePath: string, cachePath: string): LoadedBundle<T> {
  const bundle = bundleId(bundlePath);
  const cachedData = readCodeCache(cachePath, bundle);
  const source = readFileSync(bundlePath, 'utf8');
  const script = new Script(`${WRAPPER_START}${source}${WRAPPER_END}`, { filename: bundlePath, lineOffset: -1, cachedData });
  const module = { exports: {} };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  return {
    exports: module.exports as T,
    fromCache,
    saveCodeCache: () => {
      if (!fromCache) writeCodeCache(cachePath, bundle, script.createCachedData());
    },
  };
}

function bundleId(bundlePath: string): string {
  const { size, mtimeMs } = statSync(bundlePath);
  return `${size}:${mtimeMs}`;
}

function header(bundle: string, data: Buffer): string {
  return `${bundle} ${crc32(data)}`;
}

function readCodeCache(cachePath: string, bundle: string): Buffer | undefined {
  let file: Buffer;
  try {
    file = readFileSync(cachePath);
  } catch {
    return undefined; // no cache yet
  }
  const headerEnd = file.indexOf(HEADER_END);
  const data = file.subarray(headerEnd + 1);
  return headerEnd > 0 && file.subarray(0, headerEnd).toString() === header(bundle, data) ? data : undefined;
}

/** Written to a file of its own, then renamed: a server starting meanwhile reads the old cache or the new one, never half of one. */
function writeCodeCache(cachePath: string, bundle: string, data: Buffer): void {
  const partial = `${cachePath}.${process.pid}`;
  try {
    mkdirSync(dirname(cachePath), { recursive: true });
    writeFileSync(partial, Buffer.concat([Buffer.from(`${header(bundle, data)}\n`), data]));
    renameSync(partial, cachePath);
  } catch {
    // A read-only install still starts, only without the cache.
  }
}
