/**
 * Malformed Host headers against the compiled server (`node dist/src/index.js`), sent over a raw
 * socket since fetch refuses to send them. restify 12 builds a URL from the Host header and a bad one
 * threw out of the request handler, which ended the process.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCompiledServer, type CompiledServer } from '../../scripts/compiledServer.js';

let server: CompiledServer;
beforeAll(async () => {
  server = await startCompiledServer();
}, 60_000);
afterAll(() => {
  server.child.kill('SIGKILL');
});

/** Sends GET /healthz with the raw Host header line given and resolves with the status line of the answer. */
function statusLineFor(hostLine: string): Promise<string> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(`GET /healthz HTTP/1.1\r\n${hostLine}\r\nConnection: close\r\n\r\n`));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1').split('\r\n')[0] ?? ''));
  });
}

describe('a malformed Host header', () => {
  it.each([
    ['a character URLs forbid', 'Host: foo|bar'],
    ['an empty value', 'Host: '],
    ['an over-long name', `Host: ${'a'.repeat(300)}.example`],
    ['spaces', 'Host: foo bar'],
    ['a port that is not a number', 'Host: localhost:port'],
    ['a control character', 'Host: foo\u0001bar'],
    ['a line feed inside', 'Host: foo\nbar'],
  ])('with %s gets a 400 and the server stays up', async (_what, hostLine) => {
    expect(await statusLineFor(hostLine)).toMatch(/^HTTP\/1\.1 400 /);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it.each([
    ['a name and port', 'Host: localhost:3978'],
    ['an IPv4 address', 'Host: 127.0.0.1'],
    ['an IPv6 address', 'Host: [::1]:3978'],
  ])('is not refused when it is %s', async (_what, hostLine) => {
    expect(await statusLineFor(hostLine)).toBe('HTTP/1.1 200 OK');
  });
});
