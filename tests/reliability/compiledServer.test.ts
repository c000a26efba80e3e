/**
 * The compiled server as `npm start` runs it (`node dist/src/index.js`, built first), as a child
 * process: its settings come from the environment, and SIGTERM under load drains the turns in flight.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { startCompiledServer, type CompiledServer } from '../../scripts/compiledServer.js';
import { mixedQuestions } from '../../scripts/messageLoad.js';
import { PROJECT_ROOT } from '../../src/channels/shared/loadEngine.js';
import { startIdentityProvider } from '../http/identityProvider.js';
import { askForReplies, messageActivity, NO_CHANNEL, postJson } from '../http/support.js';

const APP_ID = '00000000-0000-4000-8000-000000000001';

const TIMEOUT_MS = 60_000;
const BURST = 300;

let server: CompiledServer | undefined;
afterEach(() => {
  server?.child.kill('SIGKILL');
  server = undefined;
});

/** The server's log lines, parsed, as they arrive. */
function logOf(child: ChildProcess): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  return lines;
}

describe('settings from the environment', () => {
  it('refuses to start on bad settings: exit code 2 and one message naming each of them, before anything is logged', () => {
    const bad = { PORT: '70000', MAX_BODY_BYTES: '0', MAX_QUESTION_LENGTH: '0', REVIEW_CONFIDENCE_BELOW: '1.5', LOG_QUESTIONS: 'maybe', REDIS_URL: 'localhost:6379' };
    const run = spawnSync(process.execPath, ['dist/src/index.js'], { cwd: PROJECT_ROOT, env: { ...process.env, ...bad }, encoding: 'utf8', timeout: TIMEOUT_MS });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.match(/settings are wrong/g)).toHaveLength(1);
    for (const name of Object.keys(bad)) expect(run.stderr).toMatch(new RegExp(`^  ${name}\\b.*: must be`, 'm'));
  });

  it(
    'applies MAX_BODY_BYTES, RATE_LIMIT_PER_MINUTE and LOG_QUESTIONS, and listens on 127.0.0.1 when anonymous without HOST',
    async () => {
      server = await startCompiledServer({ env: { HOST: '', MAX_BODY_BYTES: '3000', RATE_LIMIT_PER_MINUTE: '2', LOG_QUESTIONS: 'true' }, stdout: 'pipe' });
      const log = logOf(server.child);
      expect((await askForReplies(server.url, { channelData: { padding: 'x'.repeat(3000) } })).status).toBe(413);
      expect((await askForReplies(server.url)).status).toBe(200);
      expect((await askForReplies(server.url)).status).toBe(429);
      await expect.poll(() => log.find((line) => line.msg === 'turn')).toMatchObject({ question: 'What is clonazepam?' });
      expect(log.find((line) => String(line.msg).startsWith('bot listening'))).toMatchObject({
        mode: 'anonymous (Emulator and local chat page)',
        msg: expect.stringContaining('http://127.0.0.1:'),
      });
      expect(log.some((line) => line.level === 40)).toBe(false); // no exposure warning on loopback
    },
    TIMEOUT_MS,
  );

  it(
    'with MicrosoftAppId, listens on every interface, refuses requests without a valid token and serves no chat page or Direct Line',
    async () => {
      server = await startCompiledServer({ env: { HOST: '', MicrosoftAppId: '00000000-0000-4000-8000-000000000001', MicrosoftAppPassword: 'not-a-real-secret' }, stdout: 'pipe' });
      const log = logOf(server.child);
      expect((await postJson(`${server.url}/api/messages`, messageActivity(NO_CHANNEL, { deliveryMode: 'expectReplies' }))).status).toBe(401);
      expect((await postJson(`${server.url}/api/messages`, messageActivity(NO_CHANNEL), { authorization: 'Bearer not-a-token' })).status).toBe(401);
      expect([(await fetch(`${server.url}/`)).status, (await fetch(`${server.url}/directline/conversations`, { method: 'POST' })).status]).toEqual([404, 404]);
      await expect
        .poll(() => log.find((line) => String(line.msg).startsWith('bot listening')))
        .toMatchObject({ mode: 'authenticated', msg: expect.stringContaining('http://0.0.0.0:') });
      expect(JSON.stringify(log)).not.toContain('not-a-real-secret');
    },
    TIMEOUT_MS,
  );
});

describe('refused tokens, with MicrosoftAppId', () => {
  it(
    'are logged as structured lines, sampled, and nothing reaches standard error (the SDK printed a stack trace or a key for each)',
    async () => {
      const identity = await startIdentityProvider();
      try {
        const env = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret', RATE_LIMIT_PER_MINUTE: '0', ...identity.settings };
        server = await startCompiledServer({ env, stdout: 'pipe', stderr: 'pipe' });
        const log = logOf(server.child);
        const stderr: string[] = [];
        server.child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
        const [header, claims] = identity.token({ aud: APP_ID, serviceurl: NO_CHANNEL }).split('.');
        const tokens = ['not-a-token', `${header}.${claims}.${Buffer.from('forged').toString('base64url')}`];
        const statuses = [];
        for (let i = 0; i < 80; i++) {
          const response = await postJson(`${server.url}/api/messages`, messageActivity(NO_CHANNEL), { authorization: `Bearer ${tokens[i % 2]}` });
          statuses.push(response.status);
        }
        expect(new Set(statuses)).toEqual(new Set([401]));
        await expect.poll(() => log.filter((line) => line.msg === 'authentication failed').length).toBe(60);
        expect(log.filter((line) => line.component === 'console').length).toBeLessThanOrEqual(60);
        expect(stderr.join('')).toBe('');
      } finally {
        await identity.close();
      }
    },
    TIMEOUT_MS,
  );
});

describe('SIGTERM with stalled clients', () => {
  it(
    'closes connections whose headers or chunked body never finish, and exits 0 (it waited 10 s and exited 1)',
    async () => {
      server = await startCompiledServer({ env: { LOG_LEVEL: 'warn' } });
      const { port } = new URL(server.url);
      const stalled = [
        'POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty',
        'POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n',
      ].map((bytes) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(bytes));
        socket.on('error', () => {});
        return socket;
      });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200); // on a later connection: the stalled ones have been read
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      for (const socket of stalled) socket.destroy();
    },
    TIMEOUT_MS,
  );
});

describe('SIGTERM during a burst of requests', () => {
  const questions = mixedQuestions();
  const SLOW = 20;

  type Outcome = { status: number; messages: number; at: number } | { refused: string };

  /** Posts one expectReplies question: the status and number of messages, or the connection error of a request the server never took. */
  async function ask(url: string, i: number, body: (json: string) => BodyInit = (json) => json): Promise<Outcome> {
    const activity = messageActivity(NO_CHANNEL, { deliveryMode: 'expectReplies', text: questions[i % questions.length], conversation: { id: `burst-${i}` } });
    try {
      const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body(JSON.stringify(activity)),
        duplex: 'half',
      } as RequestInit);
      const { activities } = (await response.json()) as { activities: { type: string }[] };
      return { status: response.status, messages: activities.filter((a) => a.type === 'message').length, at: performance.now() };
    } catch (error) {
      return { refused: String((error as { cause?: { code?: string } }).cause?.code ?? error) };
    }
  }

  /** A body sent in two halves: the first at once, the second once `release` resolves. */
  function inTwoHalves(release: Promise<void>) {
    return (json: string): ReadableStream<Uint8Array> => {
      const bytes = new TextEncoder().encode(json);
      const halves = [bytes.slice(0, bytes.length / 2), bytes.slice(bytes.length / 2)];
      return new ReadableStream({
        async pull(controller) {
          if (halves.length === 1) await release;
          controller.enqueue(halves.shift());
          if (halves.length === 0) controller.close();
        },
      });
    };
  }

  const answeredIn = (outcomes: Outcome[]) => outcomes.filter((outcome) => 'status' in outcome);
  const complete = (outcome: Outcome) => 'status' in outcome && outcome.status === 200 && outcome.messages === 1;

  it(
    'finishes the requests it has taken, including bodies still arriving, refuses the rest at the connection, and exits 0',
    async () => {
      server = await startCompiledServer({ env: { RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'info' }, stdout: 'pipe' });
      const { url, child } = server;
      const log = logOf(child);
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const slow = Array.from({ length: SLOW }, (_, i) => ask(url, i, inTwoHalves(released)));
      expect((await fetch(`${url}/healthz`)).status).toBe(200); // on a later connection: the slow requests have been taken
      const burst = Array.from({ length: BURST }, (_, i) => ask(url, SLOW + i));
      await Promise.race(burst);
      const signalledAt = performance.now();
      child.kill('SIGTERM');
      await expect.poll(() => log.some((line) => line.msg === 'stopping: finishing turns in flight')).toBe(true);
      release();

      const [slowOutcomes, burstOutcomes] = [await Promise.all(slow), await Promise.all(burst)];
      expect(await server.exited).toBe(0);
      expect(slowOutcomes.every(complete)).toBe(true);
      expect(answeredIn(burstOutcomes).every(complete)).toBe(true);
      // Turns in flight at the signal are finished: the slow requests' bodies were completed only after it.
      // (Whether any burst request is still in flight when the first one is answered depends on timing.)
      expect(slowOutcomes.every((outcome) => 'at' in outcome && outcome.at > signalledAt)).toBe(true);
      const refusals = burstOutcomes.flatMap((outcome) => ('refused' in outcome ? [outcome.refused] : []));
      expect(refusals.every((code) => /^(ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET)$/.test(code))).toBe(true);
      expect(log.filter((line) => line.msg === 'turn')).toHaveLength(SLOW + answeredIn(burstOutcomes).length); // every turn that ran was answered
    },
    TIMEOUT_MS,
  );
});
