/** What every answer of the server looks like: HEAD where GET is served, 404s that echo nothing, nosniff everywhere. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalChat, type LocalChatServer } from '../directline/support.js';
import { messageActivity, NO_CHANNEL, postJson, postRaw } from './support.js';

let chat: LocalChatServer;
beforeAll(async () => {
  chat = await startLocalChat();
});
afterAll(() => chat.close());

describe('HEAD', () => {
  it.each(['/healthz', '/', '/article'])('answers HEAD %s with 200 and no body (it was 405)', async (path) => {
    const head = await fetch(`${chat.url}${path}`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });
});

describe('404', () => {
  it.each(['/%3Cscript%3Ealert(1)%3C/script%3E', '/nope', '/webchat/../package.json'])('answers %s without echoing the path', async (path) => {
    const response = await fetch(`${chat.url}${path}`);
    expect([response.status, await response.json()]).toEqual([404, { code: 'ResourceNotFound', message: 'there is nothing at this address' }]);
  });
});

describe('X-Content-Type-Options: nosniff', () => {
  it('is on JSON answers and errors of every kind (it was only on the page and its files)', async () => {
    const responses = [
      await fetch(`${chat.url}/healthz`),
      await postJson(`${chat.url}/api/messages`, messageActivity(NO_CHANNEL, { deliveryMode: 'expectReplies' })),
      await postRaw(`${chat.url}/api/messages`, '{"type": '),
      await fetch(`${chat.url}/nope`),
      await fetch(`${chat.url}/api/messages`),
      await fetch(`${chat.url}/directline/conversations`, { method: 'POST' }),
    ];
    expect(responses.map((response) => response.status)).toEqual([200, 200, 400, 404, 405, 201]);
    expect(responses.map((response) => response.headers.get('x-content-type-options'))).toEqual(Array(6).fill('nosniff'));
  });
});
