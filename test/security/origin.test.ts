import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { issueSessionToken } from '../../server/auth/tokens.js';
import { expectProblem } from '../server/helpers.js';
import { APP_ID, JWT_SECRET, PROJECT, TENANT, startSecurityServer, type SecurityServer } from './harness.js';
import { send } from './http-client.js';

/** The app allows `*.example.com` (and localhost); every one of these must be refused. */
const HOSTILE_ORIGINS = [
  'https://evil.test',
  'null',
  'https://example.com.evil.test',
  'https://evilexample.com',
  'https://notexample.com',
  'https://example.co',
  'https://example.com@evil.test',
  'https://evil.test#.example.com',
  'https://evil.test/.example.com',
  'https://evil.test?.example.com',
  new URL('https://exаmple.com').origin, // Cyrillic "а", as a browser sends it (punycode)
  'https://example.com.',
  'https://app.example.com.evil.test',
  'file://',
  'https://',
  'example.com',
  '*.example.com',
  '*',
];
const ALLOWED = ['https://app.example.com', 'https://example.com', 'http://a.b.example.com:8443', 'https://APP.EXAMPLE.COM'];

let h: SecurityServer;
let token: string;
before(async () => {
  h = await startSecurityServer({ pow: null });
  token = (await issueSessionToken(JWT_SECRET, { id: APP_ID, tenantId: TENANT, projectId: PROJECT }, 'anon_1b2c3d4e-0000-4000-8000-000000000000', 3600)).token;
});
after(() => h.close());

/** Through node:http, which sends `Origin` as given (fetch would replace it). */
function sessionFrom(origin: string | undefined) {
  return send(h.port, { method: 'POST', path: `/run/auth/apps/${APP_ID}/anonymous-session`, headers: origin === undefined ? {} : { origin } });
}

function chatFrom(origin: string | undefined) {
  return send(h.port, {
    method: 'POST',
    path: '/run/api/chat',
    headers: { authorization: `Bearer ${token}`, 'x-inkeep-app-id': APP_ID, 'content-type': 'application/json', ...(origin === undefined ? {} : { origin }) },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
  });
}

async function expectForbidden(reply: Awaited<ReturnType<typeof send>>, origin: string | undefined): Promise<void> {
  const res = new Response(reply.text, { status: reply.status, headers: Object.entries(reply.headers).map(([k, v]) => [k, String(v)]) });
  await expectProblem(res, 403, 'forbidden').catch((err: Error) => assert.fail(`${String(origin)}: ${err.message}`));
}

describe('origin allowlist (*.example.com)', () => {
  test('control: the app and its subdomains are allowed on session and chat', async () => {
    for (const origin of ALLOWED) {
      assert.equal((await sessionFrom(origin)).status, 200, origin);
      assert.equal((await chatFrom(origin)).status, 200, origin);
    }
  });

  test('spoofed, null, lookalike and malformed origins → 403 on anonymous-session', async () => {
    for (const origin of [...HOSTILE_ORIGINS, undefined, '']) await expectForbidden(await sessionFrom(origin), origin);
  });

  test('the same origins → 403 on chat, even with a valid token', async () => {
    for (const origin of [...HOSTILE_ORIGINS, undefined]) await expectForbidden(await chatFrom(origin), origin);
  });

  test('pairing from a hostile origin is refused (403 origin_not_allowed)', async () => {
    for (const origin of ['https://evil.test', 'https://example.com.evil.test', 'https://evilexample.com']) {
      const reply = await send(h.port, {
        method: 'POST',
        path: '/v1/auth/challenges',
        headers: { origin, 'anytype-version': '2025-11-08', 'x-inkeep-app-id': APP_ID, 'content-type': 'application/json' },
        body: JSON.stringify({ app_name: 'probe' }),
      });
      assert.equal(reply.status, 403, `${origin}: ${reply.text}`);
      assert.equal((JSON.parse(reply.text) as { reason: string }).reason, 'origin_not_allowed');
    }
    assert.equal(h.pairingCodes.length, 0, 'no code was shown for a refused origin');
  });
});
