/**
 * The baseline `npm run bench` compares the assistant with: the echo bot, bundled by the same code as
 * the server and started the same way (its bundle through V8's code cache).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bundleServer, ECHO_BUNDLE } from '../../scripts/bundle.js';
import { startCompiledServer, type CompiledServer } from '../../scripts/compiledServer.js';
import { askForReplies } from '../http/support.js';

const TIMEOUT_MS = 60_000;

let server: CompiledServer | undefined;
afterEach(() => {
  server?.child.kill('SIGKILL');
  server = undefined;
});

describe("the bench's echo bot", () => {
  it(
    'is bundled, starts on the same stack and echoes each message back',
    async () => {
      await bundleServer('scripts/echoApp.js', ECHO_BUNDLE);
      server = await startCompiledServer({ script: 'scripts/echoBot.js' });
      expect(await askForReplies(server.url, { text: 'is this echoed back?' })).toEqual({ status: 200, texts: ['is this echoed back?'] });
      expect((await askForReplies(server.url, { type: undefined })).status).toBe(400);
    },
    TIMEOUT_MS,
  );
});
