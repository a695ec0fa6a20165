import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { Hono } from 'hono';
import type { AppEnv } from '../../../server/http/env.js';
import { checkAdminKey, parseAdminKeys } from '../../../server/manage/admin-auth.js';
import { PairingService, type PairingServiceOptions } from '../../../server/pairing/pairing-service.js';
import type { PairingAppSetting } from '../../../server/pairing/pairing-app.js';
import { problemErrorHandler } from '../../../server/http/problem-response.js';
import { pairingRoutes } from '../../../server/pairing/routes/pairing.js';
import { MemoryAppRegistry, type AppRecord } from '../../../server/state/app-registry.js';

const VERSION = '2025-11-08';
const APP_ID = 'app_pairingtest000000000';
const ADMIN_KEY = 'admin-key-for-tenant-pair-0123456789';

function appRecord(overrides: Partial<AppRecord> = {}): AppRecord {
  const now = new Date().toISOString();
  return {
    id: APP_ID,
    tenantId: 'tenant_pair',
    projectId: 'project_pair',
    name: 'pairing test',
    description: null,
    type: 'web_client',
    defaultAgentId: 'agent_pair',
    enabled: true,
    config: { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: true, publicKeys: [] } },
    lastUsedAt: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

interface Harness {
  app: Hono<AppEnv>;
  codes: Map<string, string>;
  lines: string[];
  clock: { now: () => number; advance(ms: number): void };
  registry: MemoryAppRegistry;
  address: { value: string };
}

const NO_PAIRING_APP: PairingAppSetting = { appId: null, source: 'none' };

function harness(options: Partial<PairingServiceOptions> = {}, pairingApp = NO_PAIRING_APP): Harness {
  let now = 1_700_000_000_000;
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const codes = new Map<string, string>();
  const lines: string[] = [];
  const registry = new MemoryAppRegistry([appRecord(), appRecord({ id: 'app_disabled00000000000', enabled: false })]);
  const address = { value: '192.0.2.1' };
  const pairing = new PairingService({
    apps: registry,
    now: clock.now,
    log: (line) => lines.push(line),
    onPairingCode: (code, info) => codes.set(info.challengeId, code),
    ...options,
  });
  const adminKeys = parseAdminKeys(`tenant_pair:${ADMIN_KEY},tenant_other:other-tenant-admin-key-000`);
  const app = new Hono<AppEnv>();
  // Pairing failures are ServerErrors; the app's error handler renders them, as in createApp.
  app.onError(problemErrorHandler((line) => lines.push(line)));
  app.use('*', async (c, next) => {
    c.set('requestId', 'req_test');
    await next();
  });
  app.route(
    '/v1/auth',
    pairingRoutes({
      pairing,
      registry,
      pairingApp,
      adminAuth: (presented, tenantId) => checkAdminKey(adminKeys, presented, tenantId),
      clientAddress: () => address.value,
    }),
  );
  return { app, codes, lines, clock, registry, address };
}

function post(h: Harness, path: string, body: unknown, headers: Record<string, string> = {}) {
  return h.app.request(`/v1/auth${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anytype-version': VERSION, 'x-inkeep-app-id': APP_ID, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function challenge(h: Harness, headers: Record<string, string> = {}): Promise<{ id: string; code: string }> {
  const res = await post(h, '/challenges', { app_name: 'My Chat' }, headers);
  assert.equal(res.status, 201, await res.clone().text());
  const body = (await res.json()) as { challenge_id: string };
  const code = h.codes.get(body.challenge_id);
  assert.ok(code);
  return { id: body.challenge_id, code };
}

async function problem(res: Response, status: number, reason: string): Promise<Record<string, unknown>> {
  assert.equal(res.status, status);
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  assert.equal(res.headers.get('anytype-version'), VERSION);
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(body['reason'], reason);
  assert.equal(body['status'], status);
  assert.equal(body['requestId'], 'req_test');
  assert.equal((body['error'] as { code: string }).code, body['code']);
  return body;
}

const wrong = (code: string) => (code === '0000' ? '0001' : '0000');

describe('pairing routes', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });

  it('happy path: challenge → code on console and callback only → API key', async () => {
    const res = await post(h, '/challenges', { app_name: 'My Chat' });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('anytype-version'), VERSION);
    const text = await res.text();
    const { challenge_id } = JSON.parse(text) as { challenge_id: string };
    assert.match(challenge_id, /^[0-9a-f]{24}$/);
    const code = h.codes.get(challenge_id)!;
    assert.equal(text.includes(code), false, 'the code never travels over HTTP');
    assert.ok(h.lines.some((l) => l.includes(code) && l.includes('My Chat')), 'the code is printed');

    const keyRes = await post(h, '/api_keys', { challenge_id, code });
    assert.equal(keyRes.status, 201);
    const key = (await keyRes.json()) as { api_key: string; key_id: string };
    assert.equal(Buffer.from(key.api_key, 'base64').length, 32);
    assert.equal(h.lines.some((l) => l.includes(key.api_key)), false, 'the key is never logged');
  });

  it('wrong code: 401 with attempts left, the challenge survives for a retry', async () => {
    const { id, code } = await challenge(h);
    const body = await problem(await post(h, '/api_keys', { challenge_id: id, code: wrong(code) }), 401, 'code_incorrect');
    assert.equal(body['attemptsRemaining'], 4);
    assert.equal(body['code'], 'unauthorized');
    assert.equal((await post(h, '/api_keys', { challenge_id: id, code })).status, 201);
  });

  it('5 wrong codes then the right one: rejected as locked (403)', async () => {
    const { id, code } = await challenge(h);
    for (let i = 0; i < 4; i++) await problem(await post(h, '/api_keys', { challenge_id: id, code: wrong(code) }), 401, 'code_incorrect');
    await problem(await post(h, '/api_keys', { challenge_id: id, code: wrong(code) }), 403, 'challenge_locked');
    await problem(await post(h, '/api_keys', { challenge_id: id, code }), 403, 'challenge_locked');
  });

  it('expired after 5 minutes: 410', async () => {
    const { id, code } = await challenge(h);
    h.clock.advance(5 * 60_000);
    await problem(await post(h, '/api_keys', { challenge_id: id, code }), 410, 'challenge_expired');
  });

  it('reused: 409, and an unknown challenge: 404', async () => {
    const { id, code } = await challenge(h);
    assert.equal((await post(h, '/api_keys', { challenge_id: id, code })).status, 201);
    await problem(await post(h, '/api_keys', { challenge_id: id, code }), 409, 'challenge_used');
    await problem(await post(h, '/api_keys', { challenge_id: 'f'.repeat(24), code }), 404, 'challenge_not_found');
  });

  it('unknown version header → 400 on every endpoint, and no challenge is created', async () => {
    for (const path of ['/challenges', '/api_keys']) {
      const body = await problem(await post(h, path, { app_name: 'x' }, { 'anytype-version': '2024-01-01' }), 400, 'version_unsupported');
      assert.match(String(body['detail']), /Anytype-Version "2024-01-01" is not supported; send "2025-11-08"/);
    }
    const del = await h.app.request('/v1/auth/api_keys/key_0', {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'anytype-version': 'v2' },
    });
    await problem(del, 400, 'version_unsupported');
    assert.equal(h.codes.size, 0, 'no challenge was created');
  });

  it('a missing version header means the seed default 2025-11-08, answered in the response', async () => {
    const created = await h.app.request('/v1/auth/challenges', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-inkeep-app-id': APP_ID },
      body: JSON.stringify({ app_name: 'No version header' }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    assert.equal(created.headers.get('anytype-version'), VERSION);
    const { challenge_id } = (await created.json()) as { challenge_id: string };
    const issued = await h.app.request('/v1/auth/api_keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anytype-version': '' },
      body: JSON.stringify({ challenge_id, code: h.codes.get(challenge_id) }),
    });
    assert.equal(issued.status, 201, await issued.clone().text());
    assert.equal(((await issued.json()) as { app_id: string }).app_id, APP_ID);
  });

  it('without an app id the challenge is for the pairing app; with none configured, a 400 naming the setting', async () => {
    const unset = await problem(await post(h, '/challenges', { app_name: 'x' }, { 'x-inkeep-app-id': '' }), 400, 'pairing_app_unset');
    assert.match(String(unset['detail']), /INK_AUTH_PAIRING_APP/);
    assert.match(String(unset['detail']), /"pairing": \{"appId"/);
    const configured = harness({}, { appId: APP_ID, source: 'env' });
    const { id, code } = await challenge(configured, { 'x-inkeep-app-id': '' });
    const issued = await post(configured, '/api_keys', { challenge_id: id, code }, { 'x-inkeep-app-id': '' });
    assert.equal(issued.status, 201);
    assert.equal(((await issued.json()) as { app_id: string }).app_id, APP_ID);
    // An explicit app id still wins over the pairing app.
    await problem(await post(configured, '/challenges', { app_name: 'x' }, { 'x-inkeep-app-id': 'app_disabled00000000000' }), 404, 'app_not_found');
  });

  it('validates bodies with distinct reasons', async () => {
    await problem(await post(h, '/challenges', 'not json'), 400, 'invalid_body');
    await problem(await post(h, '/challenges', { app_name: '' }), 400, 'invalid_app_name');
    await problem(await post(h, '/challenges', { app_name: 'x'.repeat(101) }), 400, 'invalid_app_name');
    await problem(await post(h, '/challenges', { app_name: 'x', app_id: 'app_other' }), 400, 'app_mismatch');
    await problem(await post(h, '/challenges', { app_name: 'x' }, { 'x-inkeep-app-id': 'app_nope' }), 404, 'app_not_found');
    await problem(await post(h, '/challenges', { app_name: 'x' }, { 'x-inkeep-app-id': 'app_disabled00000000000' }), 404, 'app_not_found');
    await problem(await post(h, '/api_keys', { challenge_id: 'a'.repeat(24), code: '12345' }), 400, 'invalid_code_format');
    await problem(await post(h, '/api_keys', { challenge_id: 'xyz', code: '1234' }), 400, 'invalid_challenge_id');
    await problem(await post(h, '/challenges', JSON.stringify({ app_name: 'x'.repeat(5000) })), 400, 'invalid_body');
  });

  it('the app may be named in the body instead of the header', async () => {
    const res = await post(h, '/challenges', { app_name: 'x', app_id: APP_ID }, { 'x-inkeep-app-id': '' });
    assert.equal(res.status, 201);
  });

  it('browsers may pair only from an origin the app allows', async () => {
    await problem(await post(h, '/challenges', { app_name: 'x' }, { origin: 'https://evil.example' }), 403, 'origin_not_allowed');
    const { id, code } = await challenge(h, { origin: 'http://localhost:5173' });
    await problem(await post(h, '/api_keys', { challenge_id: id, code }, { origin: 'https://evil.example' }), 403, 'origin_not_allowed');
  });

  it('rate limits challenge creation per client address: 429 with Retry-After', async () => {
    for (let i = 0; i < 5; i++) await challenge(h);
    const limited = await post(h, '/challenges', { app_name: 'My Chat' });
    const body = await problem(limited, 429, 'rate_limited');
    assert.equal(body['code'], 'too_many_requests');
    assert.equal(limited.headers.get('retry-after'), '60', 'one more a minute');
    h.address.value = '198.51.100.7';
    await challenge(h);
    h.address.value = '192.0.2.1';
    h.clock.advance(60_000);
    await challenge(h);
  });

  it('limits wrong codes per address across challenges (no brute force by opening new challenges)', async () => {
    const limited = harness({ failureLimit: { burst: 3, perMinute: 1 }, creationLimit: { burst: 100, perMinute: 100 } });
    const first = await challenge(limited);
    for (let i = 0; i < 3; i++) await post(limited, '/api_keys', { challenge_id: first.id, code: wrong(first.code) });
    const next = await challenge(limited);
    const res = await post(limited, '/api_keys', { challenge_id: next.id, code: next.code });
    await problem(res, 429, 'too_many_failures');
    assert.ok(Number(res.headers.get('retry-after')) > 0);
  });

  it('answers CORS preflights and exposes the version header', async () => {
    const pre = await h.app.request('/v1/auth/challenges', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:8000', 'access-control-request-method': 'POST' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), 'http://localhost:8000');
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /anytype-version/);
    const res = await post(h, '/challenges', { app_name: 'x' }, { origin: 'http://localhost:8000' });
    assert.match(res.headers.get('access-control-expose-headers') ?? '', /anytype-version/);
  });

  describe('revocation', () => {
    async function pairedKey(): Promise<{ api_key: string; key_id: string }> {
      const { id, code } = await challenge(h);
      return (await (await post(h, '/api_keys', { challenge_id: id, code })).json()) as { api_key: string; key_id: string };
    }
    const del = (id: string, bearer?: string) =>
      h.app.request(`/v1/auth/api_keys/${id}`, {
        method: 'DELETE',
        headers: { 'anytype-version': VERSION, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      });

    it('the holder revokes its own key', async () => {
      const key = await pairedKey();
      assert.equal((await del(key.key_id, key.api_key)).status, 204);
      await problem(await del(key.key_id, key.api_key), 401, 'api_key_invalid');
    });

    it('an admin of the app tenant revokes any key; other tenants and strangers may not', async () => {
      const key = await pairedKey();
      const other = await pairedKey();
      const missing = await del(key.key_id);
      await problem(missing, 401, 'api_key_missing');
      assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer/);
      await problem(await del(key.key_id, 'not-a-key'), 401, 'api_key_invalid');
      await problem(await del(key.key_id, other.api_key), 403, 'not_allowed');
      await problem(await del(key.key_id, 'other-tenant-admin-key-000'), 403, 'not_allowed');
      assert.equal((await del(key.key_id, ADMIN_KEY)).status, 204);
      await problem(await del(key.key_id, ADMIN_KEY), 404, 'api_key_not_found');
    });
  });
});
