/** The server bundle's code cache: used when it matches the bundle, made again when it does not, never in the way of a start. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/channels/shared/codeCache.js';

interface Bundle {
  greet(name: string): string;
  separator: string;
  folder: string;
}

const source = (greeting: string) => `const { sep } = require('node:path');\nmodule.exports = { greet: (name) => '${greeting}, ' + name, separator: sep, folder: __dirname };\n`;

let folder: string;
let bundlePath: string;
let cachePath: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'code-cache-'));
  bundlePath = join(folder, 'bundle.cjs');
  cachePath = join(folder, 'cache', 'bundle.cjs.v8');
  writeFileSync(bundlePath, source('Hello'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** Loads the bundle as a start does: run it, then save the cache. */
function start() {
  const loaded = loadBundle<Bundle>(bundlePath, cachePath);
  loaded.saveCodeCache();
  return loaded;
}

describe('loadBundle', () => {
  it('runs the bundle as a CommonJS module: its exports, require and __dirname', () => {
    const { exports } = start();
    expect(exports.greet('Ada')).toBe('Hello, Ada');
    expect(exports.separator).toBe('/');
    expect(exports.folder).toBe(folder);
  });

  it('compiles from source at the first start, and takes the code from the cache at the next', () => {
    expect(start().fromCache).toBe(false);
    const cache = readFileSync(cachePath);
    const second = start();
    expect(second.fromCache).toBe(true);
    expect(second.exports.greet('Ada')).toBe('Hello, Ada');
    expect(readFileSync(cachePath).equals(cache)).toBe(true);
  });

  it('ignores the cache of an earlier build of the bundle, and replaces it', () => {
    start();
    writeFileSync(bundlePath, source('Good morning'));
    const rebuilt = start();
    expect(rebuilt.fromCache).toBe(false);
    expect(rebuilt.exports.greet('Ada')).toBe('Good morning, Ada');
    expect(start().fromCache).toBe(true);
  });

  it('ignores a damaged cache (its checksum does not match) and replaces it', () => {
    start();
    const damaged = readFileSync(cachePath);
    const flipped = damaged.length - 10;
    damaged.writeUInt8(damaged.readUInt8(flipped) ^ 0xff, flipped);
    writeFileSync(cachePath, damaged);
    const loaded = start();
    expect(loaded.fromCache).toBe(false);
    expect(loaded.exports.greet('Ada')).toBe('Hello, Ada');
    expect(start().fromCache).toBe(true);
  });

  it('ignores a cache file that is not one, and still starts when the cache cannot be written', () => {
    writeFileSync(join(folder, 'cache'), 'a file where the cache folder should be');
    const loaded = start();
    expect(loaded.fromCache).toBe(false);
    expect(loaded.exports.greet('Ada')).toBe('Hello, Ada');
    rmSync(join(folder, 'cache'));
    writeFileSync(join(folder, 'cache.v8'), 'not a code cache');
    expect(loadBundle<Bundle>(bundlePath, join(folder, 'cache.v8')).fromCache).toBe(false);
  });
});
