import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { ActivityHandler } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { closeGracefully, exposureWarning } from '../../src/channels/http/lifecycle.js';
import { projectEngine } from '../support/engine.js';
import { messageActivity, NO_CHANNEL, postJson, startServer } from './support.js';

const { engine } = projectEngine();

describe('exposureWarning', () => {
  it('warns when an anonymous bot listens beyond loopback (HOST=0.0.0.0 started with no warning)', () => {
    expect(exposureWarning('0.0.0.0', true)).toMatch(/anonymous mode .* is listening on 0\.0\.0\.0, not only on loopback/);
    expect(exposureWarning('192.168.1.20', true)).toMatch(/listening on 192\.168\.1\.20/);
    expect(exposureWarning('::', true)).toBeDefined();
  });

  it('does not warn on loopback, nor with credentials', () => {
    expect([exposureWarning('127.0.0.1', true), exposureWarning('localhost', true), exposureWarning('::1', true), exposureWarning('0.0.0.0', false)]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

/** A bot whose message turns wait until the test lets them finish. */
class HeldBot extends ActivityHandler {
  started!: Promise<void>;
  release!: () => void;
  private markStarted!: () => void;

  constructor() {
    super();
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    this.onMessage(async (context, next) => {
      this.markStarted();
      await new Promise<void>((resolve) => (this.release = resolve));
      await context.sendActivity('finished');
      await next();
    });
  }
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('closeGracefully', () => {
  it('stops accepting connections, lets the turn in flight finish, then resolves "drained"', async () => {
    const bot = new HeldBot();
    const running = await startServer(engine, { bot });
    const port = running.server.address().port;
    const inFlight = postJson(`${running.url}/api/messages`, messageActivity(NO_CHANNEL, { deliveryMode: 'expectReplies' }));
    await bot.started;

    const closed = closeGracefully(running.server, 5_000);
    expect(await refusesConnections(port)).toBe(true);
    bot.release();
    const released = performance.now();

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { activities: { text: string }[] }).activities.map((a) => a.text)).toEqual(['finished']);
    expect(await closed).toBe('drained');
    expect(performance.now() - released).toBeLessThan(1_000); // idle keep-alive connections do not hold it up
  });

  it('cuts off turns still running after the grace period and resolves "timed out"', async () => {
    const bot = new HeldBot();
    const running = await startServer(engine, { bot });
    const inFlight = postJson(`${running.url}/api/messages`, messageActivity(NO_CHANNEL, { deliveryMode: 'expectReplies' }));
    await bot.started;
    expect(await closeGracefully(running.server, 50)).toBe('timed out');
    await expect(inFlight).rejects.toThrow();
    bot.release();
  });

  it('closes connections whose request has not finished its headers, or that sent nothing, and resolves "drained" without waiting out the grace', { timeout: 20_000 }, async () => {
    const running = await startServer(engine);
    const port = running.server.address().port;
    const sockets = await Promise.all([
      rawConnection(port, 'POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl'),
      rawConnection(port, 'GET /healthz HTTP/1.1\r\n'),
      rawConnection(port, ''),
    ]);
    expect(await closeGracefully(running.server, 60_000)).toBe('drained');
    await Promise.all(sockets.filter((socket) => !socket.closed).map((socket) => once(socket, 'close'))); // the server closed them
  });

  it('cuts off a request whose body is still arriving at the end of the grace, and resolves "drained": no turn was running', async () => {
    const running = await startServer(engine);
    const port = running.server.address().port;
    await rawConnection(port, 'POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n');
    expect(await closeGracefully(running.server, 300)).toBe('drained');
  });
});

/** A connection that has sent `bytes` (as a client that stalls would), once the server has read them. */
async function rawConnection(port: number, bytes: string): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await once(socket, 'connect');
  if (bytes) socket.write(bytes);
  await new Promise((resolve) => setTimeout(resolve, 100));
  return socket;
}
