/**
 * Two instances of the server sharing one redis-server, as behind a load balancer: follow-up
 * context, Direct Line conversations (and their held polls) and the per-client limit are shared,
 * and an instance that restarts loses nothing.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answerMessage } from '../../src/channels/bot/reply.js';
import { ARTICLE_PATH } from '../../src/channels/web/page.js';
import type { RedisClient } from '../../src/channels/shared/redis.js';
import { nextContext } from '../../src/engine/types.js';
import { botMessages, DirectLineClient, request, type ActivitySet, type LocalChatServer } from '../directline/support.js';
import { askForReplies } from '../http/support.js';
import { projectEngine } from '../support/engine.js';
import { connectedClient, instance, useRedisServer } from './redisSupport.js';

const { engine } = projectEngine();
const QUESTION = 'how long does klonopin last?';
const redisServer = useRedisServer();

/** The text the bot sends for the engine's answer to `question` in that context. */
function expectedReply(question: string, context = {}): string {
  return answerMessage(engine.answer(question, context)).text!;
}

/** The same on the local chat page, whose sources link to the article view. */
function expectedChatReply(question: string): string {
  return answerMessage(engine.answer(question), ARTICLE_PATH).text!;
}

describe('two instances, one Redis', () => {
  let admin: RedisClient;
  const running: LocalChatServer[] = [];
  const started = async (env: Record<string, string> = {}) => {
    const chat = await instance(redisServer().url, env);
    running.push(chat);
    return chat;
  };
  beforeAll(async () => {
    admin = await connectedClient(redisServer().url);
  });
  afterAll(() => admin.close());
  beforeEach(() => admin.flushAll());
  afterEach(async () => {
    await Promise.all(running.splice(0).map((chat) => chat.close()));
  });

  it('"tell me more" on B continues the topic of the question asked on A', async () => {
    const [a, b] = [await started(), await started()];
    const conversation = { id: 'shared-1' };
    const first = await askForReplies(a.url, { text: QUESTION, conversation });
    expect(first.texts).toEqual([expectedReply(QUESTION)]);
    const more = await askForReplies(b.url, { text: 'tell me more', conversation });
    expect(more.texts).toEqual([expectedReply('tell me more', nextContext(engine.answer(QUESTION)))]);
    expect(more.texts).not.toEqual([expectedReply('tell me more')]);
  });

  it('a Direct Line conversation started through A is polled through B: its history, and a held poll woken by a post to A', async () => {
    const [a, b] = [await started(), await started()];
    const throughA = await DirectLineClient.start(a.url);
    const throughB = throughA.through(b.url);
    const welcome = await throughB.activities();
    expect(botMessages(welcome).map((activity) => activity.text)).toEqual([engine.welcome().text]);
    const held = throughB.activities(welcome.watermark);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await throughA.send(QUESTION);
    const woken: ActivitySet = await held;
    expect(woken.activities.map((activity) => activity.text)).toEqual([QUESTION, expectedChatReply(QUESTION)]);
    expect(woken.watermark).toBe('3');
  });

  it('a per-client limit counts the requests to both instances', async () => {
    const limited = { RATE_LIMIT_PER_MINUTE: '3' };
    const [a, b] = [await started(limited), await started(limited)];
    const statuses: number[] = [];
    for (const [index, server] of [a, b, a, b, a].entries()) {
      statuses.push((await askForReplies(server.url, { text: QUESTION, conversation: { id: `limit-${index}` } })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('an instance that restarts loses nothing: follow-up context and Direct Line conversations live on', async () => {
    const before = await started();
    const conversation = { id: 'restart-1' };
    await askForReplies(before.url, { text: QUESTION, conversation });
    const client = await DirectLineClient.start(before.url);
    await client.send(QUESTION);
    await before.close();
    running.splice(running.indexOf(before), 1);

    const after = await started();
    const more = await askForReplies(after.url, { text: 'tell me more', conversation });
    expect(more.texts).toEqual([expectedReply('tell me more', nextContext(engine.answer(QUESTION)))]);
    const history = await client.through(after.url).activities();
    expect(history.activities.map((activity) => activity.text)).toEqual([engine.welcome().text, QUESTION, expectedChatReply(QUESTION)]);
    const refreshed = await request(`${after.url}/directline/tokens/refresh`, { method: 'POST', token: client.conversation.token });
    expect(refreshed.status).toBe(200);
  });
});
