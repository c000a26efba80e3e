/**
 * Stack traces of the compiled server name the TypeScript sources: an error thrown inside the server
 * bundle (dist/server.cjs, loaded as src/index.ts loads it) is reported at its src/...ts line.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheFile, PROJECT_ROOT } from '../../src/channels/shared/loadEngine.js';

const DIST = join(PROJECT_ROOT, 'dist');

/** In a process of its own (the mapping is process-wide), with the server's code cache: createApp without settings throws on its first read of them. */
const PROVOKE = `
import { loadBundle } from ${JSON.stringify(join(DIST, 'src/channels/shared/codeCache.js'))};
import { mapStackTraces } from ${JSON.stringify(join(DIST, 'src/channels/shared/stackTraces.js'))};
mapStackTraces(${JSON.stringify(DIST)});
const bundle = loadBundle(${JSON.stringify(join(DIST, 'server.cjs'))}, ${JSON.stringify(cacheFile('server.cjs.v8'))});
try {
  bundle.exports.createApp(undefined, '', undefined);
} catch (error) {
  console.log(error.stack);
}
`;

function lineOf(file: string, text: string): number {
  return (
    readFileSync(join(PROJECT_ROOT, file), 'utf8')
      .split('\n')
      .findIndex((line) => line.includes(text)) + 1
  );
}

describe('stack traces of the compiled server', () => {
  it('name the src/ file and line where the bundle threw', () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', PROVOKE], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const [message, frame] = run.stdout.split('\n');
    expect(message).toMatch(/^TypeError: Cannot read properties of undefined/);
    const line = lineOf('src/channels/app.ts', 'createLogger(settings.log.level)');
    expect(frame).toMatch(new RegExp(`^    at Object\\.createApp \\(${join(PROJECT_ROOT, 'src/channels/app.ts')}:${line}:\\d+\\)$`));
  });
});
