import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, jwtVerify } from 'jose';
import type { RunningServer } from '../../../server/index.js';
import { fakeClock } from '../state/store-contract/harness.js';
import { APP_ID, JWT_SECRET, OTHER_APP_ID, decodeJwt, expectProblem, requestSession, startTestServer, webApp } from '../helpers.js';

const key = new TextEncoder().encode(JWT_SECRET);

async function session(server: RunningServer, headers: Record<string, string> = {}, appId = APP_ID) {
  const res = await requestSession(server, headers, appId);
  assert.equal(res.status, 200, await res.clone().text());
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return (await res.json()) as { token: string; expiresAt: string };
}

describe('anonymous-session checks, in the hosted order', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({
      apps: [
        webApp(),
        webApp({ id: 'app_disabled', enabled: false }),
        webApp({ id: 'app_api', type: 'api', config: { type: 'api', api: {} } }),
        webApp({ id: 'app_noanon' }, { allowAnonymous: false }),
        // Fails every later check too, so each status proves which check ran first.
        webApp({ id: 'app_disabled_noanon', enabled: false }, { allowAnonymous: false, allowedDomains: ['other.test'] }),
        webApp({ id: 'app_api_disabled', type: 'api', enabled: false, config: { type: 'api', api: {} } }),
        webApp({ id: 'app_noanon_badorigin' }, { allowAnonymous: false, allowedDomains: ['other.test'] }),
        webApp({ id: 'app_star' }, { allowedDomains: ['*'] }),
      ],
    });
  });
  after(() => server.close());

  test('unknown app → 404 not_found', async () => {
    await expectProblem(await requestSession(server, {}, 'app_missing'), 404, 'not_found');
  });
  test('disabled app → 404 not_found, before any other check', async () => {
    await expectProblem(await requestSession(server, {}, 'app_disabled'), 404, 'not_found');
    await expectProblem(await requestSession(server, { origin: '' }, 'app_disabled_noanon'), 404, 'not_found');
    await expectProblem(await requestSession(server, {}, 'app_api_disabled'), 404, 'not_found');
  });
  test('app that is not a web client → 400 bad_request', async () => {
    await expectProblem(await requestSession(server, {}, 'app_api'), 400, 'bad_request');
  });
  test('anonymous sessions off → 401 unauthorized, before the origin check', async () => {
    await expectProblem(await requestSession(server, {}, 'app_noanon'), 401, 'unauthorized', { reason: 'anonymous_disabled' });
    await expectProblem(await requestSession(server, {}, 'app_noanon_badorigin'), 401, 'unauthorized', { reason: 'anonymous_disabled' });
  });
  test('origin not allowed → 403 forbidden "Origin not allowed"', async () => {
    for (const origin of ['https://evil.test', '', 'garbage', 'null']) {
      const body = await expectProblem(await requestSession(server, { origin }), 403, 'forbidden');
      assert.equal(body.detail, 'Origin not allowed');
    }
  });
  test('instance is the request path', async () => {
    const body = await expectProblem(await requestSession(server, {}, 'app_missing'), 404, 'not_found');
    assert.equal(body.instance, '/run/auth/apps/app_missing/anonymous-session');
  });
  test('"*" allows any origin over HTTP', async () => {
    await session(server, { origin: 'https://anywhere.example' }, 'app_star');
  });
});

describe('session tokens', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({ lifetime: 120 });
  });
  after(() => server.close());

  test('token carries exactly the hosted claims, HS256, and expiresAt matches exp', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { token, expiresAt } = await session(server);
    const { header, payload } = decodeJwt(token);
    assert.deepEqual(header, { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(Object.keys(payload).sort(), ['app', 'exp', 'iat', 'iss', 'pid', 'sub', 'tid', 'type']);
    assert.match(String(payload.sub), /^anon_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(payload.iss, 'inkeep');
    assert.equal(payload.tid, 'tenant_test');
    assert.equal(payload.pid, 'project_test');
    assert.equal(payload.app, APP_ID);
    assert.equal(payload.type, 'anonymous');
    const iat = payload.iat as number;
    assert.ok(iat >= before && iat <= before + 5);
    assert.equal(payload.exp, iat + 120, 'lifetime comes from the config');
    assert.equal(expiresAt, new Date((payload.exp as number) * 1000).toISOString());
    await jwtVerify(token, key, { algorithms: ['HS256'], issuer: 'inkeep' });
  });

  test('tenant id may be null', async () => {
    const s = await startTestServer({ apps: [webApp({ tenantId: null })] });
    try {
      const { token } = await session(s);
      assert.equal(decodeJwt(token).payload.tid, null);
    } finally {
      await s.close();
    }
  });

  test('each new session gets a new anon_ identity', async () => {
    const a = decodeJwt((await session(server)).token).payload.sub;
    const b = decodeJwt((await session(server)).token).payload.sub;
    assert.notEqual(a, b);
  });

  test('rolling refresh: the old token as Bearer keeps sub and moves exp', async () => {
    // The server's clock, moved past the next JWT second instead of waiting for it.
    const clock = fakeClock(Date.now());
    const timed = await startTestServer({ now: clock.now });
    try {
      const first = await session(timed);
      const sub = decodeJwt(first.token).payload.sub;
      clock.advance(1_000);
      const second = await session(timed, { authorization: `Bearer ${first.token}` });
      assert.equal(decodeJwt(second.token).payload.sub, sub);
      assert.ok(Date.parse(second.expiresAt) > Date.parse(first.expiresAt));
    } finally {
      await timed.close();
    }
  });

  test("the server's clock decides expiry: a token past its exp on that clock → new sub", async () => {
    const clock = fakeClock(Date.now());
    const timed = await startTestServer({ now: clock.now, lifetime: 60 });
    try {
      const first = await session(timed);
      clock.advance(61_000);
      const second = await session(timed, { authorization: `Bearer ${first.token}` });
      assert.notEqual(decodeJwt(second.token).payload.sub, decodeJwt(first.token).payload.sub);
      assert.equal(Number(decodeJwt(second.token).payload.iat), Number(decodeJwt(first.token).payload.iat) + 61);
    } finally {
      await timed.close();
    }
  });

  test("another app's token → new sub", async () => {
    const other = await session(server, {}, OTHER_APP_ID);
    const refreshed = await session(server, { authorization: `Bearer ${other.token}` });
    assert.notEqual(decodeJwt(refreshed.token).payload.sub, decodeJwt(other.token).payload.sub);
    assert.equal(decodeJwt(refreshed.token).payload.app, APP_ID);
  });

  test('expired, forged, wrong-issuer, non-anonymous or garbage tokens → new sub, still 200', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { tid: 'tenant_test', pid: 'project_test', app: APP_ID, type: 'anonymous' };
    const sub = 'anon_11111111-1111-4111-8111-111111111111';
    const sign = (c: Record<string, unknown>, opts: { iss?: string; exp?: number; secret?: Uint8Array; subject?: string } = {}) =>
      new SignJWT(c)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(opts.subject ?? sub)
        .setIssuer(opts.iss ?? 'inkeep')
        .setIssuedAt(now - 100)
        .setExpirationTime(opts.exp ?? now + 3600)
        .sign(opts.secret ?? key);
    // Control: a well-formed token signed with the server's secret keeps its sub.
    const kept = await session(server, { authorization: `Bearer ${await sign(claims)}` });
    assert.equal(decodeJwt(kept.token).payload.sub, sub);
    const rejected = [
      await sign(claims, { exp: now - 10 }),
      await sign(claims, { secret: new TextEncoder().encode('x'.repeat(40)) }),
      await sign(claims, { iss: 'someone-else' }),
      await sign({ ...claims, type: 'user' }),
      await sign(claims, { subject: 'user_123' }),
      'not-a-jwt',
    ];
    for (const old of rejected) {
      const fresh = await session(server, { authorization: `Bearer ${old}` });
      assert.notEqual(decodeJwt(fresh.token).payload.sub, sub, `kept sub for ${old.slice(0, 20)}…`);
    }
  });

  test('a successful session marks the app used', async () => {
    await session(server);
    const app = await server.registry.get(APP_ID);
    assert.ok(app?.lastUsedAt && Date.now() - Date.parse(app.lastUsedAt) < 10_000);
  });
});
