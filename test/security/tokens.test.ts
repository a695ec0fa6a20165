import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { issueSessionToken } from '../../server/auth/tokens.js';
import { expectProblem } from '../server/helpers.js';
import { ALLOWED_ORIGIN, APP_ID, JWT_SECRET, OTHER_APP_ID, PROJECT, TENANT, startSecurityServer, type SecurityServer } from './harness.js';

const ANON = 'anon_6f1c2f9e-3b1a-4c5d-8e7f-0a1b2c3d4e5f';
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The claims the server issues, for this app, valid for an hour. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { sub: ANON, iss: 'inkeep', iat: now(), exp: now() + 3600, tid: TENANT, pid: PROJECT, app: APP_ID, type: 'anonymous', ...overrides };
}

function sign(payload: Record<string, unknown>, key: Uint8Array | string, alg = 'HS256'): Promise<string> {
  const secret = typeof key === 'string' ? new TextEncoder().encode(key) : key;
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(secret);
}

let h: SecurityServer;
before(async () => {
  h = await startSecurityServer({ pow: null });
});
after(() => h.close());

function chat(token: string, appId = APP_ID): Promise<Response> {
  return fetch(`${h.url}/run/api/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'x-inkeep-app-id': appId, origin: ALLOWED_ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
  });
}

/** `reason`: a token whose alg is not HS256 is read as a signed-in user's and refused with why. */
async function expectRejected(token: string, appId = APP_ID, reason?: string): Promise<void> {
  const res = await chat(token, appId);
  await expectProblem(res, 401, 'unauthorized', reason ? { reason } : {});
  assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
}

describe('session tokens on the chat route', () => {
  test('control: a token the server would issue is accepted', async () => {
    const res = await chat(await sign(claims(), JWT_SECRET));
    assert.equal(res.status, 200);
    assert.match(await res.text(), /data: \[DONE\]\n\n$/);
  });

  test('alg "none" (unsigned) → 401, with or without a trailing signature', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`;
    await expectRejected(unsigned, APP_ID, 'user_alg_not_allowed');
    await expectRejected(`${unsigned}c2lnbmF0dXJl`, APP_ID, 'user_alg_not_allowed');
    await expectRejected(`${b64({ alg: 'NONE', typ: 'JWT' })}.${b64(claims())}.`, APP_ID, 'user_alg_not_allowed');
  });

  test('HS256 under another key → 401', async () => {
    await expectRejected(await sign(claims(), 'another-secret-0123456789abcdef0123456789'));
    await expectRejected(await sign(claims(), `${JWT_SECRET} `));
  });

  test('RS256/HS256 confusion: HS256 keyed with an RSA public key PEM, and a genuine RS256 token → 401', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await expectRejected(await sign(claims(), pem));
    const rs256 = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(privateKey);
    await expectRejected(rs256, APP_ID, 'user_unknown_kid'); // the app holds no public key
    // The RS256 token's header claims HS256 while keeping its RSA signature.
    const [, payload, signature] = rs256.split('.');
    await expectRejected(`${b64({ alg: 'HS256', typ: 'JWT' })}.${payload}.${signature}`);
  });

  test('tampered payload (other sub, other app, longer expiry) under the original signature → 401', async () => {
    const token = await sign(claims(), JWT_SECRET);
    const [header, , signature] = token.split('.');
    for (const change of [{ sub: 'anon_00000000-0000-4000-8000-000000000000' }, { app: OTHER_APP_ID }, { exp: now() + 10 * 365 * 86400 }]) {
      await expectRejected(`${header}.${b64(claims(change))}.${signature}`, String(change.app ?? APP_ID));
    }
  });

  test('expired → 401, including one second past exp', async () => {
    await expectRejected(await sign(claims({ iat: now() - 7200, exp: now() - 3600 }), JWT_SECRET));
    await expectRejected(await sign(claims({ iat: now() - 60, exp: now() - 1 }), JWT_SECRET));
  });

  test('not yet valid: nbf in the future → 401', async () => {
    await expectRejected(await sign(claims({ nbf: now() + 3600 }), JWT_SECRET));
  });

  test('iat in the future: accepted only because the signature proves the server minted it (no clock-skew check)', async () => {
    // Decision recorded here: only the holder of the JWT secret can mint an iat; the server does
    // not re-judge its own clock. If this ever becomes a 401, update the decision deliberately.
    const res = await chat(await sign(claims({ iat: now() + 3600 }), JWT_SECRET));
    assert.equal(res.status, 200);
    await res.body?.cancel();
  });

  test("another app's valid token sent with this app's header → 401 (and vice versa)", async () => {
    const otherAppToken = await issueSessionToken(JWT_SECRET, { id: OTHER_APP_ID, tenantId: 'tenant_rival', projectId: 'project_rival' }, ANON, 3600);
    await expectRejected(otherAppToken.token, APP_ID);
    const thisAppToken = await issueSessionToken(JWT_SECRET, { id: APP_ID, tenantId: TENANT, projectId: PROJECT }, ANON, 3600);
    await expectRejected(thisAppToken.token, OTHER_APP_ID);
  });

  test('wrong issuer, non-anonymous type or a sub without anon_ → 401', async () => {
    for (const change of [{ iss: 'evil' }, { type: 'admin' }, { sub: 'user_1' }, { app: undefined }]) {
      await expectRejected(await sign(claims(change), JWT_SECRET));
    }
  });

  test('a forged Bearer on anonymous-session never keeps its sub: a fresh anon_ is issued', async () => {
    const forged = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`;
    for (const bearer of [forged, await sign(claims(), 'another-secret-0123456789abcdef0123456789')]) {
      const res = await fetch(`${h.url}/run/auth/apps/${APP_ID}/anonymous-session`, {
        method: 'POST',
        headers: { origin: ALLOWED_ORIGIN, authorization: `Bearer ${bearer}` },
      });
      assert.equal(res.status, 200);
      const { token } = (await res.json()) as { token: string };
      const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub: string };
      assert.notEqual(payload.sub, ANON);
      assert.match(payload.sub, /^anon_[0-9a-f-]{36}$/);
    }
  });
});
