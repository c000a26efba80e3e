import { it } from 'vitest';
import { projectEngine } from '../support/engine.js';
import { startLocalChat, DirectLineClient } from '../directline/support.js';

const { engine } = projectEngine();
void engine;

function deep(n: number, leaf = '1') { return '['.repeat(n) + leaf + ']'.repeat(n); }
function deepObj(n: number) { return '{"a":'.repeat(n) + '1' + '}'.repeat(n); }

it('probe', async () => {
  const chat = await startLocalChat({}, { pollHoldMs: 200 });
  const base = { type: 'message', id: 'a1', channelId: 'emulator', serviceUrl: 'http://127.0.0.1:9', from: { id: 'u' }, recipient: { id: 'b' }, conversation: { id: 'c' }, deliveryMode: 'expectReplies', text: 'hi' };
  const raw = (o: Record<string, unknown>) => JSON.stringify({ ...base, ...o });
  const cases: [string, string | Buffer, Record<string, string>?][] = [
    ['text/plain', raw({}), { 'content-type': 'text/plain' }],
    ['no ctype', raw({}), {}],
    ['form', 'a=b', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['xml', '<a/>', { 'content-type': 'application/xml' }],
    ['gzip enc', raw({}), { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
    ['accept png', raw({}), { 'content-type': 'application/json', accept: 'image/png' }],
    ['ctype charset', raw({}), { 'content-type': 'application/json; charset=latin1' }],
    ['br enc', raw({}), { 'content-encoding': 'br' }],
    ['deep array 30000', `{"type":"message","text":"hi","conversation":{"id":"c"},"deliveryMode":"expectReplies","serviceUrl":"http://127.0.0.1:9","channelData":${deep(30000)}}`],
    ['deep obj 10000', `{"type":"message","text":"hi","conversation":{"id":"c"},"deliveryMode":"expectReplies","serviceUrl":"http://127.0.0.1:9","channelData":${deepObj(10000)}}`],
    ['deep entities', raw({ entities: JSON.parse(deep(3000)) })],
    ['huge array', raw({ entities: Array.from({ length: 20000 }, () => 0) })],
    ['membersAdded nulls', raw({ type: 'conversationUpdate', membersAdded: [null, 1] })],
    ['membersAdded string', raw({ type: 'conversationUpdate', membersAdded: 'x' })],
    ['conversation num', raw({ conversation: 5 })],
    ['conversation null', raw({ conversation: null })],
    ['no conversation', raw({ conversation: undefined })],
    ['from string', raw({ from: 'x' })],
    ['recipient null', raw({ recipient: null })],
    ['serviceUrl num', raw({ serviceUrl: 5 })],
    ['serviceUrl missing', raw({ serviceUrl: undefined })],
    ['serviceUrl missing no expect', raw({ serviceUrl: undefined, deliveryMode: undefined })],
    ['serviceUrl garbage no expect', raw({ serviceUrl: 'not a url', deliveryMode: undefined })],
    ['deliveryMode num', raw({ deliveryMode: 5 })],
    ['text num', raw({ text: 5 })],
    ['text obj', raw({ text: { a: 1 } })],
    ['type num', raw({ type: 5 })],
    ['type invoke', raw({ type: 'invoke', name: 'x' })],
    ['type invoke value', raw({ type: 'invoke', name: 'adaptiveCard/action', value: 5 })],
    ['type invoke teams', raw({ type: 'invoke', name: 'task/fetch', value: null })],
    ['type invoke signin', raw({ type: 'invoke', name: 'signin/verifyState', value: null })],
    ['type event', raw({ type: 'event', name: 'x' })],
    ['messageReaction', raw({ type: 'messageReaction', reactionsAdded: 5 })],
    ['installationUpdate', raw({ type: 'installationUpdate', action: 5 })],
    ['conversationUpdate teams', raw({ type: 'conversationUpdate', channelId: 'msteams', channelData: { eventType: 'teamRenamed', team: null } })],
    ['conversationUpdate teams2', raw({ type: 'conversationUpdate', channelId: 'msteams', channelData: { eventType: 'channelCreated' } })],
    ['msteams message', raw({ channelId: 'msteams', channelData: 5 })],
    ['timestamp bad', raw({ timestamp: 'garbage', localTimestamp: 'x' })],
    ['value weird', raw({ text: undefined, value: { text: 5, question: ['a'] } })],
    ['entities weird', raw({ entities: [null, 5, { type: 'mention', mentioned: null, text: 5 }] })],
    ['proto', `{"__proto__":{"polluted":"yes"},"type":"message","text":"hi","conversation":{"id":"c","__proto__":{"polluted2":1}},"deliveryMode":"expectReplies","serviceUrl":"http://127.0.0.1:9"}`],
    ['constructor', raw({ constructor: { prototype: { polluted3: 1 } }, prototype: { x: 1 } })],
    ['proto type', `{"__proto__":{"type":"message"},"text":"hi","conversation":{"id":"c"},"deliveryMode":"expectReplies","serviceUrl":"http://127.0.0.1:9"}`],
    ['invalid utf8', Buffer.concat([Buffer.from('{"type":"message","text":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('","conversation":{"id":"c"},"deliveryMode":"expectReplies","serviceUrl":"http://127.0.0.1:9"}')])],
    ['big', raw({ text: 'x'.repeat(300_000) })],
    ['channelId num', raw({ channelId: 5 })],
    ['locale num', raw({ locale: 5 })],
    ['attachments junk', raw({ attachments: 5 })],
    ['suggested', raw({ suggestedActions: 5 })],
    ['relatesTo', raw({ relatesTo: 5 })],
    ['callerId', raw({ callerId: 5 })],
    ['id num', raw({ id: {} })],
  ];
  for (const [name, body, headers = { 'content-type': 'application/json' }] of cases) {
    const r = await fetch(`${chat.url}/api/messages`, { method: 'POST', headers, body: body as any });
    const t = await r.text();
    console.log('API', r.status, name, t.slice(0, 150).replace(/\n/g, ' '));
  }
  console.log('pollution', ({} as any).polluted, ({} as any).polluted2, ({} as any).polluted3);
  // directline
  const client = await DirectLineClient.start(chat.url);
  const dl: [string, string | Buffer, Record<string, string>?][] = [
    ['text/plain', '{"type":"message","text":"hi"}', { 'content-type': 'text/plain' }],
    ['no ctype', '{"type":"message","text":"hi"}', {}],
    ['deep channelData', `{"type":"message","text":"hi","channelData":{"x":${deep(20000)}}}`],
    ['deep obj', `{"type":"message","text":"hi","value":${deepObj(10000)}}`],
    ['proto', `{"__proto__":{"polluted":"yes"},"type":"message","text":"hi"}`],
    ['proto type', `{"__proto__":{"type":"message"},"text":"hi"}`],
    ['proto from', `{"type":"message","text":"hi","from":{"__proto__":{"id":"zz"}}}`],
    ['constructor', `{"type":"message","text":"hi","constructor":{"prototype":{"polluted3":1}}}`],
    ['huge arr', JSON.stringify({ type: 'message', text: 'hi', entities: Array.from({ length: 20000 }, () => 0) })],
    ['big', JSON.stringify({ type: 'message', text: 'x'.repeat(70000) })],
    ['invalid utf8', Buffer.concat([Buffer.from('{"type":"message","text":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')])],
    ['conversation override', JSON.stringify({ type: 'message', text: 'hi', conversation: { id: 'other' }, recipient: 5, serviceUrl: 'http://evil' })],
    ['timestamp', JSON.stringify({ type: 'message', text: 'hi', timestamp: 'garbage' })],
    ['event', JSON.stringify({ type: 'event', name: 5, value: null })],
    ['typing', JSON.stringify({ type: 'typing' })],
    ['msg entities', JSON.stringify({ type: 'message', entities: 5, attachments: 'x', value: 7 })],
  ];
  for (const [name, body, headers = { 'content-type': 'application/json' }] of dl) {
    const r = await fetch(client.activitiesUrl, { method: 'POST', headers: { ...headers, authorization: `Bearer ${client.conversation.token}` }, body: body as any });
    const t = await r.text();
    const g = await fetch(`${client.activitiesUrl}?watermark=`, { headers: { authorization: `Bearer ${client.conversation.token}` } });
    const gt = await g.text();
    console.log('DL', r.status, name, t.slice(0, 120).replace(/\n/g, ' '), '| GET', g.status, gt.length);
  }
  const startCases: [string, string][] = [
    ['proto', '{"__proto__":{"polluted4":1},"user":{"__proto__":{"id":"x"}}}'],
    ['deep', `{"user":{"id":"a","x":${deep(20000)}}}`],
    ['text', 'hello'],
  ];
  for (const [name, body] of startCases) {
    const r = await fetch(`${chat.url}/directline/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body as any });
    console.log('START', r.status, name, (await r.text()).slice(0, 200));
  }
  for (const p of ['/directline/tokens/generate', '/directline/tokens/refresh']) {
    const r = await fetch(`${chat.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"__proto__":1' });
    console.log('TOK', r.status, p, (await r.text()).slice(0, 100));
  }
  console.log('pollution', ({} as any).polluted, ({} as any).polluted3, ({} as any).polluted4);
  for (const u of ['/directline/conversations/%E0%A4%A/activities', '/api/messages/%ff', '/%', '/directline/conversations/x/activities?watermark=%zz']) {
    const r = await fetch(`${chat.url}${u}`, { headers: { authorization: 'Bearer x', accept: 'image/png' } });
    console.log('URL', r.status, u, (await r.text()).slice(0, 100));
  }
  const h = await fetch(`${chat.url}/healthz`); console.log('health', h.status);
  await chat.close();
}, 60000);
