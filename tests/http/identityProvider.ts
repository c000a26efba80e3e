/**
 * A stand-in for the Bot Framework's identity provider on loopback: its OpenID metadata and signing
 * keys, and tokens signed as a channel's would be. The server under test finds it through
 * ToBotFromChannelOpenIdMetadataUrl.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSign, generateKeyPairSync } from 'node:crypto';

export const CHANNEL_ISSUER = 'https://api.botframework.com';

export interface IdentityProvider {
  metadataUrl: string;
  /** The settings that make the bot check tokens against this provider (botbuilder's public-cloud values otherwise). */
  settings: Record<string, string>;
  /** A token signed with the published key (or `kid`), for these claims plus issuer and validity. */
  token(claims: Record<string, unknown>, header?: Record<string, unknown>): string;
  /** How many times its metadata was fetched. */
  fetches(): number;
  close(): Promise<void>;
}

export async function startIdentityProvider(): Promise<IdentityProvider> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'test-key';
  let fetched = 0;
  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fetched++;
    const body = req.url === '/keys' ? { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, kty: 'RSA', use: 'sig' }] } : { issuer: CHANNEL_ISSUER, jwks_uri: `${base}/keys` };
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    metadataUrl: `http://127.0.0.1:${port}/.well-known/openidconfiguration`,
    settings: {
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
      ToBotFromChannelOpenIdMetadataUrl: `http://127.0.0.1:${port}/.well-known/openidconfiguration`,
      ToBotFromEmulatorOpenIdMetadataUrl: `http://127.0.0.1:${port}/.well-known/openidconfiguration`,
    },
    token: (claims, header = {}) => signedJwt({ alg: 'RS256', typ: 'JWT', kid, ...header }, claims, privateKey),
    fetches: () => fetched,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function signedJwt(header: Record<string, unknown>, claims: Record<string, unknown>, key: Parameters<ReturnType<typeof createSign>['sign']>[0]): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part(header)}.${part({ iss: CHANNEL_ISSUER, nbf: now - 60, exp: now + 3600, ...claims })}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')}`;
}
