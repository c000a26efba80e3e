/**
 * The bad-input matrix of README.md ("What the server answers to bad input"): what the server answers to each kind of bad input on
 * POST /api/messages and on the local Direct Line. Never a 5xx; questions the engine cannot use get
 * a polite reply, bodies the server cannot use a 4xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerMessage } from '../../src/channels/bot/reply.js';
import { MAX_JSON_DEPTH } from '../../src/channels/http/jsonBody.js';
import { DirectLineClient, request, startLocalChat, type LocalChatServer } from '../directline/support.js';
import { askForReplies, messageActivity, NO_CHANNEL, postRaw, startServer } from '../http/support.js';
import { projectEngine } from '../support/engine.js';

const { engine } = projectEngine();
const MARKUP = '<img src=x onerror=alert(1)><script>alert(2)</script>**bold** [link](javascript:alert(3))';

let chat: LocalChatServer;
beforeAll(async () => {
  chat = await startLocalChat({}, { pollHoldMs: 100 });
});
afterAll(() => chat.close());

/** Nested arrays, `depth` levels deep counting the outermost. */
function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = [value];
  return value;
}

/** An expectReplies activity as JSON text, with `raw` spliced in as extra top-level members. */
function activityWith(raw: string): string {
  return JSON.stringify(messageActivity(NO_CHANNEL, { deliveryMode: 'expectReplies' })).replace(/^\{/, `{${raw},`);
}

/** The activity as JSON bytes, with `bytes` (not necessarily UTF-8) as its text. */
function withTextBytes(activity: Record<string, unknown>, bytes: number[]): Uint8Array<ArrayBuffer> {
  const [before, after] = JSON.stringify({ ...activity, text: '\u0000' }).split('\\u0000');
  return new Uint8Array(Buffer.concat([Buffer.from(before!), Buffer.from(bytes), Buffer.from(after!)]));
}

const NOT_UTF8 = [0xc3, 0x28, 0xff];

describe('POST /api/messages: questions', () => {
  it.each([
    ['an empty message', '', engine.message('empty')],
    ['only white space', ' \n\t ', engine.message('empty')],
    ['a 2,001-character question', 'x'.repeat(2001), engine.message('too_long')],
    ['a 60,000-character question (within the body limit)', 'what is clonazepam '.repeat(3158), engine.message('too_long')],
  ])('answers %s with a polite message, classifying nothing', async (_what, text, expected) => {
    expect(await askForReplies(chat.url, { text, conversation: { id: `polite-${text.length}` } })).toEqual({ status: 200, texts: [expected] });
  });

  it.each([
    ['emoji', '💊💊❓😴'],
    ['Chinese', '氯硝西泮是什么？'],
    ['Arabic (right to left)', 'ما هو الكلونازيبام؟'],
    ['Russian', 'Что такое клоназепам?'],
    ['control characters', 'what\u0000is\u0007clon\u001bazepam\u0008?'],
    ['binary bytes read as text', Buffer.from(Array.from({ length: 256 }, (_, byte) => byte)).toString('latin1')],
    ['a lone surrogate', 'what \ud800 is clonazepam'],
    ['zero-width and direction marks', '\u202ewhat\u200b is clon\u200dazepam'],
    ['HTML and markdown', MARKUP],
    ['template and format placeholders', '{{EMERGENCY_NUMBER}} ${process.env} %s %n'],
  ])('answers %s as the engine does (200), never echoing the question', async (what, text) => {
    const reply = await askForReplies(chat.url, { text, conversation: { id: `text-${what}` } });
    expect(reply).toEqual({ status: 200, texts: [answerMessage(engine.answer(text)).text] });
    expect(reply.texts[0]).not.toMatch(/<img|<script|onerror|javascript:/);
  });

  it('answers a 100,000-character question with 413 at the default body limit, and politely once the limit allows it', async () => {
    const text = 'x'.repeat(100_000);
    expect((await askForReplies(chat.url, { text })).status).toBe(413);
    const roomy = await startServer(engine, { env: { MAX_BODY_BYTES: String(256 * 1024) } });
    try {
      expect(await askForReplies(roomy.url, { text })).toEqual({ status: 200, texts: [engine.message('too_long')] });
    } finally {
      await roomy.close();
    }
  });
});

describe('POST /api/messages: bodies', () => {
  it.each([
    ['invalid JSON', 400, '{"type": "message", "text": '],
    ['binary bytes', 400, new Uint8Array(Array.from({ length: 512 }, (_, i) => (i * 73) % 256))],
    ['invalid UTF-8', 400, withTextBytes(messageActivity(NO_CHANNEL, { deliveryMode: 'expectReplies' }), NOT_UTF8)],
    ['a JSON string', 400, '"message"'],
    ['JSON null', 400, 'null'],
    ['a JSON array', 400, '[{"type": "message"}]'],
    ['an activity with no conversation', 400, JSON.stringify(messageActivity(NO_CHANNEL, { conversation: undefined }))],
    ['an activity with no channelId', 400, JSON.stringify(messageActivity(NO_CHANNEL, { channelId: undefined }))],
    ['a text that is a number', 400, JSON.stringify(messageActivity(NO_CHANNEL, { text: 42 }))],
    ['a from that is a string', 400, JSON.stringify(messageActivity(NO_CHANNEL, { from: 'me' }))],
    ['a serviceUrl that is a number (CloudAdapter answered 500)', 400, JSON.stringify(messageActivity(NO_CHANNEL, { serviceUrl: 9 }))],
    ['membersAdded with null members', 400, JSON.stringify(messageActivity(NO_CHANNEL, { type: 'conversationUpdate', membersAdded: [null] }))],
    ['a huge array beyond the body limit', 413, JSON.stringify(messageActivity(NO_CHANNEL, { entities: Array(40_000).fill({}) }))],
    [`nesting ${MAX_JSON_DEPTH + 1} levels deep`, 400, activityWith(`"channelData": ${JSON.stringify(nested(MAX_JSON_DEPTH))}`)],
    ['nesting 20,000 levels deep', 400, activityWith(`"channelData": ${'['.repeat(20_000)}${']'.repeat(20_000)}`)],
    ['a __proto__ key', 400, activityWith('"__proto__": {"polluted": "yes"}')],
    ['a nested __proto__ key', 400, activityWith('"value": {"id": "u", "__proto__": {"polluted": "yes"}}')],
    ['an escaped __proto__ key', 400, activityWith('"\\u005f_proto__": {"polluted": "yes"}')],
    ['a constructor.prototype key', 400, activityWith('"value": {"constructor": {"prototype": {"polluted": "yes"}}}')],
    ['a prototype key', 400, activityWith('"channelData": {"prototype": {"polluted": "yes"}}')],
  ])('answers %s with %i', async (_what, status, body) => {
    const response = await fetch(`${chat.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(status);
  });

  it('answers a 10,000-element array and nesting as deep as allowed normally', async () => {
    expect((await askForReplies(chat.url, { entities: Array(10_000).fill(0), channelData: nested(MAX_JSON_DEPTH - 1) })).status).toBe(200);
  });

  it('leaves Object.prototype untouched by all of the above', () => {
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the local Direct Line', () => {
  const post = (client: DirectLineClient, body: string | Uint8Array<ArrayBuffer>, contentType = 'application/json') =>
    fetch(client.activitiesUrl, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${client.conversation.token}` }, body });

  it.each([
    ['invalid JSON', 400, '{"type": "message", "text": '],
    ['invalid UTF-8', 400, withTextBytes({ type: 'message' }, NOT_UTF8)],
    ['a body larger than the limit', 413, JSON.stringify({ type: 'message', text: 'x'.repeat(70_000) })],
    [`nesting ${MAX_JSON_DEPTH + 1} levels deep`, 400, JSON.stringify({ type: 'message', text: 'hi', channelData: { x: nested(MAX_JSON_DEPTH - 1) } })],
    ['nesting 20,000 levels deep (its echo made every later poll fail)', 400, `{"type": "message", "text": "hi", "channelData": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`],
    ['a __proto__ key', 400, '{"type": "message", "text": "hi", "__proto__": {"polluted": "yes"}}'],
    ['a __proto__ key in from', 400, '{"type": "message", "text": "hi", "from": {"__proto__": {"id": "admin"}}}'],
    ['a constructor key', 400, '{"type": "message", "text": "hi", "constructor": {"prototype": {"polluted": "yes"}}}'],
  ])('answers a posted activity with %s with %i, adds nothing and keeps answering polls', async (_what, status, body) => {
    const client = await DirectLineClient.start(chat.url);
    const before = await client.activities();
    expect((await post(client, body)).status).toBe(status);
    expect((await client.activities()).watermark).toBe(before.watermark);
  });

  it('answers a posted activity of another media type with 415', async () => {
    const client = await DirectLineClient.start(chat.url);
    expect((await post(client, JSON.stringify({ type: 'message', text: 'hi' }), 'text/plain')).status).toBe(415);
  });

  it('accepts a 10,000-element array and the deepest nesting allowed, and still serves the conversation (a deeper echo used to break every poll)', async () => {
    const client = await DirectLineClient.start(chat.url);
    const activity = { type: 'message', text: 'what is clonazepam', entities: Array(10_000).fill(0), channelData: { x: nested(MAX_JSON_DEPTH - 2) } };
    expect((await post(client, JSON.stringify(activity))).status).toBe(200);
    expect((await client.activities()).activities.at(-1)!.text).toContain('Paragraph 1, sentence 1');
  });

  it.each([
    ['a __proto__ key', '{"__proto__": {"polluted": "yes"}}'],
    ['a __proto__ key in user', '{"user": {"__proto__": {"id": "admin"}}}'],
    ['nesting too deep', JSON.stringify({ user: { id: 'u', x: nested(MAX_JSON_DEPTH) } })],
  ])('answers starting a conversation with %s with 400', async (_what, body) => {
    expect((await request(`${chat.url}/directline/conversations`, { method: 'POST', body })).status).toBe(400);
  });

  it('leaves Object.prototype untouched', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

it('is still healthy after all of the above', async () => {
  expect((await fetch(`${chat.url}/healthz`)).status).toBe(200);
  expect((await askForReplies(chat.url)).texts[0]).toContain('Paragraph 1, sentence 1');
  expect((await postRaw(`${chat.url}/api/messages`, '{')).status).toBe(400);
});
