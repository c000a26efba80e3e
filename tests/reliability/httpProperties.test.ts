/**
 * Property-based, against the real server on an ephemeral port: random and mutated activities, random
 * JSON, bytes and headers to POST /api/messages and the local Direct Line get a 2xx or a 4xx, never a
 * 5xx, and the server is healthy afterwards. Bounded: a few hundred requests, a few seconds.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectLineClient, startLocalChat, type LocalChatServer } from '../directline/support.js';
import { askForReplies, messageActivity, startChannelService } from '../http/support.js';

const TIMEOUT_MS = 60_000;
const ACTIVITY_KEYS = [
  'type',
  'id',
  'channelId',
  'serviceUrl',
  'conversation',
  'from',
  'recipient',
  'text',
  'deliveryMode',
  'locale',
  'timestamp',
  'membersAdded',
  'entities',
  'attachments',
  'value',
  'channelData',
  'name',
];
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/vnd.example+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '',
];

let chat: LocalChatServer;
let channel: Awaited<ReturnType<typeof startChannelService>>;
beforeAll(async () => {
  chat = await startLocalChat({}, { pollHoldMs: 20 });
  channel = await startChannelService(); // replies of activities whose deliveryMode was mutated away go here
});
afterAll(async () => {
  await chat.close();
  await channel.close();
});

const anyText = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 50 }));
const anyJson = fc.jsonValue({ maxDepth: 4 });

type Mutation = { set: string; value: unknown } | { remove: string };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ set: fc.constantFrom(...ACTIVITY_KEYS, ...PROTOTYPE_KEYS), value: fc.oneof(anyJson, anyText) }),
  fc.record({ set: fc.constantFrom(...ACTIVITY_KEYS), value: fc.dictionary(fc.constantFrom('id', 'name', 'role', ...PROTOTYPE_KEYS), anyJson, { maxKeys: 3 }) }),
  fc.record({ remove: fc.constantFrom(...ACTIVITY_KEYS) }),
);

/** Sets or removes fields; every key becomes an own property (`__proto__` included), as JSON.parse makes it. */
function mutated(activity: Record<string, unknown>, mutations: readonly Mutation[]): Record<string, unknown> {
  const result = { ...activity };
  for (const change of mutations) {
    if ('remove' in change) delete result[change.remove];
    else Object.defineProperty(result, change.set, { value: change.value, enumerable: true, writable: true, configurable: true });
  }
  // Replies go to a channel that answers, never elsewhere: a serviceUrl only ever changes type.
  if (typeof result.serviceUrl === 'string') result.serviceUrl = channel.serviceUrl;
  return result;
}

const mutatedActivity = fc
  .tuple(anyText, fc.string({ minLength: 1, maxLength: 20 }), fc.array(mutation, { maxLength: 4 }))
  .map(([text, conversationId, mutations]) =>
    mutated(messageActivity(channel.serviceUrl, { text, deliveryMode: 'expectReplies', conversation: { id: conversationId } }), mutations),
  );

const randomBody = fc.oneof(
  anyJson.map((value) => JSON.stringify(value)),
  anyText,
  fc.uint8Array({ maxLength: 600 }).map((bytes) => new Uint8Array(bytes)),
);

async function statusOf(url: string, body: string | Uint8Array<ArrayBuffer>, contentType = 'application/json', headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers }, body });
  await response.arrayBuffer();
  return response.status;
}

const notServerError = (status: number) => status >= 200 && status < 500;

describe('POST /api/messages', () => {
  it(
    'answers mutated activities with 2xx or 4xx',
    async () => {
      await fc.assert(
        fc.asyncProperty(mutatedActivity, async (activity) => notServerError(await statusOf(`${chat.url}/api/messages`, JSON.stringify(activity)))),
        { numRuns: 200 },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'answers random bodies of any content type with 2xx or 4xx',
    async () => {
      await fc.assert(
        fc.asyncProperty(randomBody, fc.constantFrom(...CONTENT_TYPES), async (body, contentType) => notServerError(await statusOf(`${chat.url}/api/messages`, body, contentType))),
        { numRuns: 100 },
      );
    },
    TIMEOUT_MS,
  );
});

describe('the local Direct Line', () => {
  let client: DirectLineClient;
  beforeAll(async () => {
    client = await DirectLineClient.start(chat.url);
  });

  it(
    'answers mutated and random posted activities with 2xx or 4xx, and its polls keep answering 200',
    async () => {
      const posted = fc.oneof(
        fc
          .tuple(anyText, fc.array(mutation, { maxLength: 4 }))
          .map(([text, mutations]) => JSON.stringify(mutated({ type: 'message', text, channelData: { clientActivityID: 'c' } }, mutations))),
        randomBody,
      );
      await fc.assert(
        fc.asyncProperty(posted, async (body) => {
          const status = await statusOf(client.activitiesUrl, body, 'application/json', { authorization: `Bearer ${client.conversation.token}` });
          const poll = await fetch(`${client.activitiesUrl}?watermark=`, { headers: { authorization: `Bearer ${client.conversation.token}` } });
          await poll.arrayBuffer();
          return notServerError(status) && poll.status === 200;
        }),
        { numRuns: 100 },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'answers random bodies, tokens, conversation ids and watermarks on every route with 2xx or 4xx',
    async () => {
      const route = fc.constantFrom('conversations', 'tokens/generate', 'tokens/refresh', 'conversations/{id}/activities');
      const conversationId = fc.oneof(fc.constant(client.conversation.conversationId), fc.string({ maxLength: 40 }).map(encodeURIComponent));
      const token = fc.oneof(fc.constant(client.conversation.token), fc.string({ unit: 'binary-ascii', maxLength: 60 }));
      await fc.assert(
        fc.asyncProperty(route, conversationId, token, randomBody, fc.string({ maxLength: 20 }), async (path, id, bearer, body, watermark) => {
          const url = `${chat.url}/directline/${path.replace('{id}', id)}`;
          const authorization = `Bearer ${bearer.replace(/[^\x21-\x7e]/g, '')}`;
          const post = await statusOf(url, body, 'application/json', { authorization });
          const get = await fetch(`${url}?watermark=${encodeURIComponent(watermark)}`, { headers: { authorization } });
          await get.arrayBuffer();
          return notServerError(post) && notServerError(get.status);
        }),
        { numRuns: 80 },
      );
    },
    TIMEOUT_MS,
  );
});

describe('afterwards', () => {
  it('is healthy, answers questions and has an untouched Object.prototype', async () => {
    expect((await fetch(`${chat.url}/healthz`)).status).toBe(200);
    expect((await askForReplies(chat.url)).texts[0]).toContain('Paragraph 1, sentence 1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});
