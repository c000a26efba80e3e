/**
 * redis-server killed under a running instance: questions are still answered (without follow-up
 * context), the local Direct Line says at once that it is unavailable (503), /healthz reports
 * "degraded" with the reason, nothing answers 500; once Redis is back the instance recovers by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerMessage } from '../../src/channels/bot/reply.js';
import { ARTICLE_PATH } from '../../src/channels/web/page.js';
import { DirectLineClient, request, type LocalChatServer } from '../directline/support.js';
import { askForReplies } from '../http/support.js';
import { projectEngine } from '../support/engine.js';
import { instance, untilHealth, useRedisServer } from './redisSupport.js';

const { engine } = projectEngine();
const QUESTION = 'how long does klonopin last?';
const redisServer = useRedisServer();

describe('Redis killed mid-run', () => {
  let chat: LocalChatServer;
  beforeAll(async () => {
    chat = await instance(redisServer().url);
  });
  afterAll(() => chat.close());

  it('answers without follow-up context, refuses Direct Line with a clear 503, reports degraded, never 500; then recovers', async () => {
    const conversation = { id: 'outage-1' };
    const client = await DirectLineClient.start(chat.url);
    const { watermark } = await client.activities();
    const heldPoll = request(`${client.activitiesUrl}?watermark=${watermark}`, { token: client.conversation.token });
    await askForReplies(chat.url, { text: QUESTION, conversation });

    await redisServer().kill();
    const health = await untilHealth(chat.url, 'degraded');
    expect(health).toMatchObject({ ready: true, reason: expect.stringMatching(/^redis unreachable/) });
    expect((await fetch(`${chat.url}/healthz`)).status).toBe(200);

    const held = await heldPoll;
    expect(held.status).toBe(503);
    expect(await askForReplies(chat.url, { text: QUESTION, conversation })).toEqual({ status: 200, texts: [answerMessage(engine.answer(QUESTION)).text] });
    // The context could not be read: "tell me more" gets what it gets with no topic before it.
    expect(await askForReplies(chat.url, { text: 'tell me more', conversation })).toEqual({ status: 200, texts: [answerMessage(engine.answer('tell me more')).text] });

    const refusals = await Promise.all([
      request(`${chat.url}/directline/conversations`, { method: 'POST', body: {} }),
      request(`${client.activitiesUrl}?watermark=0`, { token: client.conversation.token }),
      request(client.activitiesUrl, { method: 'POST', token: client.conversation.token, body: { type: 'message', text: QUESTION } }),
      request(`${chat.url}/directline/tokens/refresh`, { method: 'POST', token: client.conversation.token }),
    ]);
    for (const refusal of refusals) {
      expect(refusal.status).toBe(503);
      expect(refusal.headers.get('retry-after')).toBe('5');
      expect(await refusal.json()).toEqual({ error: { code: 'ServiceUnavailable', message: expect.stringMatching(/store cannot be reached\): try again shortly$/) } });
    }

    await redisServer().start();
    await untilHealth(chat.url, 'ok');
    const after = await DirectLineClient.start(chat.url);
    await after.send(QUESTION);
    expect((await after.activities()).activities.map((activity) => activity.text)).toEqual([
      engine.welcome().text,
      QUESTION,
      answerMessage(engine.answer(QUESTION), ARTICLE_PATH).text,
    ]);
    await askForReplies(chat.url, { text: QUESTION, conversation });
    const more = await askForReplies(chat.url, { text: 'tell me more', conversation });
    expect(more.texts).not.toEqual([answerMessage(engine.answer('tell me more')).text]);
  });
});
