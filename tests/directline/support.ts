/** The real server with the local Web Chat routes (as src/channels/app.ts wires it) on an ephemeral port, and a small Direct Line client. */
import type { Activity } from 'botbuilder';
import { PROJECT_ROOT } from '../../src/channels/shared/loadEngine.js';
import { settingsFrom } from '../../src/channels/shared/settings.js';
import { localWebChatRoutes, type LocalWebChatOptions } from '../../src/channels/web/localWebChat.js';
import type { Engine } from '../../src/engine/engine.js';
import { startServer, type RunningServer } from '../http/support.js';
import { projectEngine } from '../support/engine.js';

export type LocalChatServer = RunningServer;

export function startLocalChat(
  env: Record<string, string> = {},
  { engine = projectEngine().engine, ...options }: Pick<LocalWebChatOptions, 'pollHoldMs' | 'conversations'> & { engine?: Engine } = {},
): Promise<LocalChatServer> {
  return startServer(engine, {
    env,
    routes: ({ adapter, assistant, logger, state }) => localWebChatRoutes(settingsFrom(env), { adapter, bot: assistant, engine, logger, root: PROJECT_ROOT, state, ...options }),
  });
}

export interface StartedConversation {
  conversationId: string;
  token: string;
  expires_in: number;
}

export interface ActivitySet {
  activities: Activity[];
  watermark: string;
}

/** A Direct Line 3.0 client for one conversation, speaking HTTP as Web Chat does. */
export class DirectLineClient {
  private constructor(
    private readonly base: string,
    readonly conversation: StartedConversation,
  ) {}

  static async start(serverUrl: string, body: unknown = { user: { id: 'user-1', name: 'Tester' }, locale: 'en-US' }): Promise<DirectLineClient> {
    const response = await request(`${serverUrl}/directline/conversations`, { method: 'POST', body });
    if (response.status !== 201) throw new Error(`start: ${response.status} ${await response.text()}`);
    return new DirectLineClient(`${serverUrl}/directline/conversations`, (await response.json()) as StartedConversation);
  }

  /** The same conversation, through another server (another instance sharing its store). */
  through(serverUrl: string): DirectLineClient {
    return new DirectLineClient(`${serverUrl}/directline/conversations`, this.conversation);
  }

  get activitiesUrl(): string {
    return `${this.base}/${this.conversation.conversationId}/activities`;
  }

  async activities(watermark = ''): Promise<ActivitySet> {
    const response = await request(`${this.activitiesUrl}?watermark=${watermark}`, { token: this.conversation.token });
    if (response.status !== 200) throw new Error(`get activities: ${response.status} ${await response.text()}`);
    return (await response.json()) as ActivitySet;
  }

  async send(text: string, clientActivityID = `client-${text}`): Promise<string> {
    const activity = { type: 'message', text, from: { id: 'user-1', name: 'Tester', role: 'user' }, channelData: { clientActivityID } };
    const response = await request(this.activitiesUrl, { method: 'POST', token: this.conversation.token, body: activity });
    if (response.status !== 200) throw new Error(`post activity: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { id: string }).id;
  }
}

/** fetch with a JSON body (a string is sent as is) and a bearer token. */
export function request(url: string, { method = 'GET', token, body }: { method?: string; token?: string; body?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(url, { method, headers, body: typeof body === 'string' || body === undefined ? body : JSON.stringify(body) });
}

export function botMessages(set: ActivitySet): Activity[] {
  return set.activities.filter((activity) => activity.type === 'message' && activity.from.role === 'bot');
}
