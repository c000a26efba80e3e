/** The real server on an ephemeral port, a stand-in for a channel's service (what the Emulator runs), and activities to post. */
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ActivityHandler, CloudAdapter, Storage } from 'botbuilder';
import { pino, type Logger } from 'pino';
import type { Server } from 'restify';
import { createAdapter } from '../../src/channels/bot/adapter.js';
import { AssistantBot } from '../../src/channels/bot/assistantBot.js';
import { createServer, type RouteRegistrar } from '../../src/channels/http/server.js';
import { reviewLogFrom } from '../../src/channels/review/sinks.js';
import { settingsFrom } from '../../src/channels/shared/settings.js';
import { sharedStateFrom, type SharedState } from '../../src/channels/state/sharedState.js';
import type { Engine } from '../../src/engine/engine.js';

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export interface ServerSetup {
  /** The environment, as src/channels/app.ts reads it; the rate limits are off unless it sets RATE_LIMIT_PER_MINUTE. */
  env?: Record<string, string>;
  /** A bot to run instead of the assistant. */
  bot?: ActivityHandler;
  storage?: Storage;
  logger?: Logger;
  /** More routes, given the server's adapter, assistant and shared state. */
  routes?: (wiring: { adapter: CloudAdapter; assistant: AssistantBot; logger: Logger; state: SharedState }) => RouteRegistrar[];
}

/** The server wired as src/channels/app.ts wires it, on an ephemeral loopback port. */
export async function startServer(engine: Engine, { env: given = {}, bot, storage, logger = pino({ level: 'silent' }), routes }: ServerSetup = {}): Promise<RunningServer> {
  const settings = settingsFrom({ RATE_LIMIT_PER_MINUTE: '0', ...given });
  const state = sharedStateFrom(settings.state, logger);
  const perConversation = state.limiter('conversation', settings.server.rateLimitPerMinute);
  const review = reviewLogFrom(settings.review, engine, logger);
  const assistant = new AssistantBot({ engine, logger, storage: storage ?? state.storage, perConversation, logQuestions: settings.log.questions, review });
  const adapter = createAdapter(settings, assistant.handleTurnError, logger);
  const { anonymous } = settings.bot;
  const server = createServer({
    adapter,
    bot: bot ?? assistant,
    engine,
    logger,
    settings: settings.server,
    state,
    anonymous,
    routes: routes?.({ adapter, assistant, logger, state }),
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await closeQuietly(server, state);
      await review?.close();
    },
  };
}

async function closeQuietly(server: Server, state: SharedState): Promise<void> {
  server.server.closeAllConnections();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
  });
  await state.close();
}

export interface ChannelRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A channel service (as the Bot Framework Emulator runs one) that records what the bot posts to it. */
export async function startChannelService(): Promise<{ serviceUrl: string; received: ChannelRequest[]; close(): Promise<void> }> {
  const received: ChannelRequest[] = [];
  const service = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method!, path: req.url!, headers: req.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      // Plain statusCode/setHeader/end: restify patches http.ServerResponse.prototype (its writeHead returns nothing).
      res.statusCode = 200;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: `sent-${received.length}` }));
    });
  });
  service.listen(0, '127.0.0.1');
  await once(service, 'listening');
  const { port } = service.address() as AddressInfo;
  return {
    serviceUrl: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => service.close(() => resolve())),
  };
}

/** A serviceUrl where nothing listens: for expectReplies requests, whose replies come back in the answer. */
export const NO_CHANNEL = 'http://127.0.0.1:9';

/** Posts a message (overrides as for messageActivity) as an expectReplies request: the status and the texts of the bot's messages. */
export async function askForReplies(serverUrl: string, overrides: Record<string, unknown> = {}): Promise<{ status: number; texts: string[] }> {
  const response = await postJson(`${serverUrl}/api/messages`, messageActivity(NO_CHANNEL, { deliveryMode: 'expectReplies', ...overrides }));
  if (response.status !== 200) return { status: response.status, texts: [] };
  const { activities } = (await response.json()) as { activities: { type: string; text?: string }[] };
  return { status: 200, texts: activities.filter((activity) => activity.type === 'message').map((activity) => activity.text ?? '') };
}

/** A message activity as a channel would post it; fields can be overridden or removed (set to undefined). */
export function messageActivity(serviceUrl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: 'activity-1',
    channelId: 'emulator',
    serviceUrl,
    from: { id: 'user-1', name: 'User' },
    recipient: { id: 'bot-1', name: 'Bot' },
    conversation: { id: 'conversation-1' },
    text: 'What is clonazepam?',
    ...overrides,
  };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return postRaw(url, JSON.stringify(body), headers);
}

export function postRaw(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

/** Posts the body as a stream (chunked, no Content-Length), as a client that does not say its size. */
export function postStreamed(url: string, body: string): Promise<Response> {
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Blob([body]).stream(), duplex: 'half' };
  return fetch(url, init);
}
