/** What the server says once it listens: plain lines on a terminal, JSON log lines otherwise. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/compiledServer.js';
import { announceStart, startLines, type Output } from '../../src/channels/http/startupNotice.js';
import { PROJECT_ROOT } from '../../src/channels/shared/loadEngine.js';

const LOCAL = { url: 'http://127.0.0.1:3978', anonymous: true, chatPage: true, contentVersion: 'abc123' };

/** A logger writing JSON lines into `lines`, and standard output as a terminal or not, writing into `written`. */
function capture(isTTY: boolean) {
  const lines: Record<string, unknown>[] = [];
  const written: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const output: Output = { isTTY, write: (text: string) => written.push(text) > 0 };
  return { logger: pino(destination), output, lines, written };
}

describe('announceStart', () => {
  it('on a terminal, prints the chat page, the Bot Framework endpoint and how to connect the Emulator as plain lines, and logs nothing', () => {
    const { logger, output, lines, written } = capture(true);
    announceStart(LOCAL, logger, output);
    expect(lines).toEqual([]);
    expect(written.join('')).toBe(
      [
        'The clonazepam FAQ assistant is running: anonymous (Emulator and local chat page).',
        '  Chat page:               http://127.0.0.1:3978/',
        '  Bot Framework endpoint:  http://127.0.0.1:3978/api/messages',
        '  Bot Framework Emulator:  Open Bot, Bot URL http://127.0.0.1:3978/api/messages, leave the Microsoft App ID and password empty',
        'Stop with Ctrl+C.',
        '',
      ].join('\n'),
    );
  });

  it('otherwise (a pipe, a file, a log collector), logs the same as JSON lines and prints nothing else', () => {
    const { logger, output, lines, written } = capture(false);
    announceStart(LOCAL, logger, output);
    expect(written).toEqual([]);
    expect(lines).toMatchObject([
      { level: 30, contentVersion: 'abc123', mode: 'anonymous (Emulator and local chat page)', msg: 'bot listening on http://127.0.0.1:3978/api/messages' },
      { level: 30, msg: 'chat page on http://127.0.0.1:3978/' },
    ]);
  });
});

describe('startLines', () => {
  it('name localhost for a server on every interface, leave out a chat page that is off, and ask the Emulator for the credentials', () => {
    const lines = startLines({ url: 'http://[::]:8080', anonymous: false, chatPage: false, contentVersion: 'abc123' });
    expect(lines.join('\n')).not.toMatch(/Chat page/);
    expect(lines).toContain('  Bot Framework endpoint:  http://localhost:8080/api/messages');
    expect(lines).toContain("  Bot Framework Emulator:  Open Bot, Bot URL http://localhost:8080/api/messages, enter the bot's Microsoft App ID and password");
    expect(startLines({ ...LOCAL, url: 'http://0.0.0.0:3978' })).toContain('  Chat page:               http://localhost:3978/');
  });
});

describe('the compiled server on a pseudo-terminal', () => {
  it('prints the plain lines, not JSON, when its standard output is a terminal', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', MicrosoftAppId: '', MicrosoftAppPassword: '', DIRECTLINE_ENABLED: 'true' };
    // script(1) runs the server on a pseudo-terminal of its own; closing it (killing script) hangs the server up.
    const terminal = spawn('script', ['--quiet', '--return', '--command', `exec ${process.execPath} dist/src/index.js`, '/dev/null'], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const exited = once(terminal, 'exit');
    const lines: string[] = [];
    createInterface({ input: terminal.stdout }).on('line', (line) => lines.push(line.replace(/\r$/, '')));
    try {
      await expect.poll(() => lines.includes('Stop with Ctrl+C.'), { timeout: 50_000, interval: 50 }).toBe(true);
      expect(lines).toContain(`  Chat page:               http://127.0.0.1:${port}/`);
      expect(lines).toContain(`  Bot Framework endpoint:  http://127.0.0.1:${port}/api/messages`);
      expect(lines.some((line) => line.startsWith('{'))).toBe(false);
    } finally {
      terminal.kill('SIGTERM');
      await exited;
    }
    await expect
      .poll(
        () =>
          fetch(`http://127.0.0.1:${port}/healthz`).then(
            () => 'serving',
            () => 'gone',
          ),
        { timeout: 10_000 },
      )
      .toBe('gone');
  });
});
