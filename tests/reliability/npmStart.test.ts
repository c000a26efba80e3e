/**
 * `npm start` as a container runs it: SIGTERM goes to npm, and must reach the server, which drains
 * and exits (under dash, `sh -c "node ..."` would not pass it on, and node would keep serving).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/compiledServer.js';
import { PROJECT_ROOT } from '../../src/channels/shared/loadEngine.js';

describe('npm start', () => {
  it('passes SIGTERM on to the server, which stops serving and exits 0, and npm with it', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', MicrosoftAppId: '', MicrosoftAppPassword: '', LOG_LEVEL: 'info' };
    const npm = spawn('npm', ['start', '--silent'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(npm, 'exit');
    const log: string[] = [];
    createInterface({ input: npm.stdout }).on('line', (line) => log.push(line));
    await expect
      .poll(
        () =>
          fetch(`${url}/healthz`).then(
            (response) => response.status,
            () => 0,
          ),
        { timeout: 30_000, interval: 50 },
      )
      .toBe(200);

    const started = descendantsOf(npm.pid!);
    try {
      npm.kill('SIGTERM');
      const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(log.some((line) => line.includes('stopping: finishing turns in flight'))).toBe(true);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow(); // nothing serves the port any more: node is gone, not orphaned
    } finally {
      for (const pid of started) killIfServer(pid); // an orphaned server, if the signal did not reach it
    }
  });
});

/** The processes started under `pid` (npm's shell, node), from /proc. */
function descendantsOf(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

/** SIGKILL to `pid` if it is still this project's server (not a process that has since taken the id). */
function killIfServer(pid: number): void {
  try {
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dist/src/index.js')) process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
