/**
 * The compiled server (`node dist/src/index.js`, or another compiled script) as a child process on a
 * free loopback port, anonymous whatever .env says: for `npm run bench`, `npm run loadtest` and the
 * tests that need a real process (signals, memory).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/channels/shared/loadEngine.js';

const DIST = join(PROJECT_ROOT, 'dist');
const START_TIMEOUT_MS = 20_000;

export interface CompiledServer {
  url: string;
  child: ChildProcess;
  /** From spawning to the first healthy answer of GET /healthz. */
  startMs: number;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

export interface CompiledServerOptions {
  /** The script under dist/ (default the server, src/index.js). */
  script?: string;
  /** Added to (and overriding) this process's environment. */
  env?: Record<string, string>;
  /** Where the server's log goes: 'ignore' (default), 'pipe' (child.stdout: read it all, or the server blocks) or a file descriptor. */
  stdout?: 'ignore' | 'pipe' | number;
  /** Where its standard error goes: this process's (default) or 'pipe' (child.stderr). */
  stderr?: 'inherit' | 'pipe';
}

export async function startCompiledServer({ script = 'src/index.js', env = {}, stdout = 'ignore', stderr = 'inherit' }: CompiledServerOptions = {}): Promise<CompiledServer> {
  const path = join(DIST, script);
  if (!existsSync(path)) throw new Error(`${path} does not exist: run \`npm run build\` first`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const childEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', MicrosoftAppId: '', MicrosoftAppPassword: '', ...env };
  const started = performance.now();
  const child = spawn(process.execPath, [path], { cwd: PROJECT_ROOT, env: childEnv, stdio: ['ignore', stdout, stderr] });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  try {
    await untilHealthy(url, exited);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { url, child, startMs: performance.now() - started, exited };
}

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function untilHealthy(url: string, exited: Promise<number | null>): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const started = performance.now();
  for (;;) {
    if (exitCode !== undefined) throw new Error(`the server exited (${exitCode}) before it was healthy`);
    if (performance.now() - started > START_TIMEOUT_MS) throw new Error(`the server was not healthy after ${START_TIMEOUT_MS} ms`);
    if (
      await fetch(`${url}/healthz`).then(
        (response) => response.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
