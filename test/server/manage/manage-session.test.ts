import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { parseAdminKeys } from '../../../server/manage/admin-auth.js';
import { startServer, type RunningServer } from '../../../server/index.js';
import { ADMIN_KEY, OTHER_TENANT_KEY, PROJECT, TENANT, tempDbPath, webAppBody } from './manage-fixture.js';

// Seeds 002 and 003 declare `cookieAuth` (a `better-auth.session_token` cookie) beside bearer
// keys. A browser console signs in once with the admin key and then sends only the cookie.

const SECRET = 'manage-session-test-secret-0123456789abcdef';
const COOKIE = 'better-auth.session_token';
const HOUR_MS = 3_600_000;

interface Instance {
  server: RunningServer;
  logs: string[];
  clock: { ms: number };
}

async function instance(dbPath: string, keys = `${TENANT}:${ADMIN_KEY},tenant_other:${OTHER_TENANT_KEY}`): Promise<Instance> {
  const logs: string[] = [];
  const clock = { ms: Date.UTC(2026, 11, 6, 9) };
  const server = await startServer({
    log: (line) => logs.push(line),
    onRequest: (entry) => logs.push(JSON.stringify(entry)),
    now: () => clock.ms,
    config: { pow: null, jwtSecret: SECRET, manage: { dbPath, adminKeys: parseAdminKeys(keys) } },
  });
  return { server, logs, clock };
}

const sessionUrl = (server: RunningServer, tenant = TENANT) => `${server.url}/manage/tenants/${tenant}/session`;
const appsUrl = (server: RunningServer, tenant = TENANT) => `${server.url}/manage/tenants/${tenant}/projects/${PROJECT}/apps`;

/** Signs in like a console: POST with the admin key; returns the cookie pair and the Set-Cookie line. */
async function signIn(server: RunningServer, key = ADMIN_KEY): Promise<{ cookie: string; setCookie: string; body: any }> {
  const res = await fetch(sessionUrl(server), { method: 'POST', headers: { authorization: `Bearer ${key}` } });
  assert.equal(res.status, 201, await res.clone().text());
  const setCookie = res.headers.get('set-cookie') ?? '';
  const pair = setCookie.split(';')[0]!;
  assert.ok(pair.startsWith(`${COOKIE}=`), setCookie);
  return { cookie: pair, setCookie, body: await res.json() };
}

/** A request carrying only the cookie (and whatever browser headers `headers` adds). */
async function withCookie(url: string, cookie: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) {
  const headers: Record<string, string> = { cookie, ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

function expectRefusal(reply: { status: number; body: any; text: string }, status: number, reason: string): void {
  assert.equal(reply.status, status, reply.text);
  assert.equal(reply.body.reason, reason, reply.text);
  assert.equal(reply.body.code, status === 401 ? 'unauthorized' : 'forbidden');
}

async function appCount(server: RunningServer): Promise<number> {
  const res = await fetch(`${appsUrl(server)}?limit=100`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  return ((await res.json()) as { data: unknown[] }).data.length;
}

describe('manage API: admin session cookie (seeds 002/003 cookieAuth)', () => {
  let db: ReturnType<typeof tempDbPath>;
  let a: Instance;
  before(async () => {
    db = tempDbPath();
    a = await instance(db.dbPath);
  });
  after(async () => {
    await a.server.close();
    db.cleanup();
  });

  test('signing in sets an HttpOnly, SameSite=Lax cookie for /manage; the body never carries the token', async () => {
    const { setCookie, body, cookie } = await signIn(a.server);
    assert.match(setCookie, /; Max-Age=28800/);
    assert.match(setCookie, /; Path=\/manage(;|$)/);
    assert.match(setCookie, /; HttpOnly/);
    assert.match(setCookie, /; SameSite=Lax/);
    assert.doesNotMatch(setCookie, /; Secure/, 'no Secure on a loopback host (curl and browsers keep it on http://127.0.0.1)');
    assert.deepEqual(body, { data: { tenantId: TENANT, expiresAt: new Date(a.clock.ms + 8 * HOUR_MS).toISOString() } });
    assert.ok(!JSON.stringify(body).includes(cookie.split('=')[1]!));
    const read = await withCookie(sessionUrl(a.server), cookie);
    assert.equal(read.status, 200, read.text);
    assert.deepEqual(read.body, body);
    assert.equal(read.headers.get('cache-control'), 'no-store');
  });

  test('the cookie alone lists and changes apps: same-origin writes and server-side clients (no Origin) pass', async () => {
    const { cookie } = await signIn(a.server);
    const list = await withCookie(appsUrl(a.server), cookie);
    assert.equal(list.status, 200, list.text);
    const sameOrigin = await withCookie(appsUrl(a.server), cookie, { method: 'POST', headers: { origin: a.server.url, 'sec-fetch-site': 'same-origin' }, body: webAppBody() });
    assert.equal(sameOrigin.status, 201, sameOrigin.text);
    const serverSide = await withCookie(appsUrl(a.server), cookie, { method: 'POST', body: webAppBody() });
    assert.equal(serverSide.status, 201, serverSide.text);
    const removed = await withCookie(`${appsUrl(a.server)}/${sameOrigin.body.data.app.id}`, cookie, { method: 'DELETE', headers: { origin: a.server.url } });
    assert.equal(removed.status, 204, removed.text);
  });

  test('a cookie write from another origin is 403 (CSRF) and changes nothing; reads from anywhere still work', async () => {
    const { cookie } = await signIn(a.server);
    const appsBefore = await appCount(a.server);
    const crossSite: Array<Record<string, string>> = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: a.server.url.replace('127.0.0.1', 'localhost') },
      { origin: 'not an origin' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of crossSite) {
      expectRefusal(await withCookie(appsUrl(a.server), cookie, { method: 'POST', headers, body: webAppBody() }), 403, 'cross_origin_request');
      expectRefusal(await withCookie(`${appsUrl(a.server)}/app_inkauthdemo0000000000`, cookie, { method: 'DELETE', headers }), 403, 'cross_origin_request');
      expectRefusal(await withCookie(sessionUrl(a.server), cookie, { method: 'DELETE', headers }), 403, 'cross_origin_request');
    }
    assert.equal(await appCount(a.server), appsBefore, 'nothing was created or deleted');
    assert.equal((await withCookie(sessionUrl(a.server), cookie)).status, 200, 'the refused sign-out did not end the session');
    assert.equal((await withCookie(appsUrl(a.server), cookie, { headers: { origin: 'https://evil.example' } })).status, 200, 'GET is safe');
  });

  test("a session serves its own tenant only; a forged, tampered or anonymous token is 401", async () => {
    const { cookie } = await signIn(a.server);
    expectRefusal(await withCookie(appsUrl(a.server, 'tenant_other'), cookie), 403, 'wrong_tenant');
    const [name, token] = cookie.split('=') as [string, string];
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const otherTenant = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), tenant: 'tenant_other' })).toString('base64url');
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`;
    for (const forged of [`${header}.${otherTenant}.${signature}`, `${header}.${payload}.${flipped}`, `${header}.${payload}.`, 'x'.repeat(3000), '']) {
      expectRefusal(await withCookie(appsUrl(a.server, 'tenant_other'), `${name}=${forged}`), 401, 'session_invalid');
    }
    const anon = await fetch(`${a.server.url}/run/auth/apps/app_inkauthdemo0000000000/anonymous-session`, { method: 'POST', headers: { origin: 'http://localhost' } });
    const { token: anonToken } = (await anon.json()) as { token: string };
    expectRefusal(await withCookie(appsUrl(a.server), `${name}=${anonToken}`), 401, 'session_invalid');
  });

  test('an Authorization header wins over the cookie; signing in needs the key itself', async () => {
    const viaBearer = await withCookie(appsUrl(a.server), `${COOKIE}=garbage`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    assert.equal(viaBearer.status, 200, viaBearer.text);
    const wrongBearer = await withCookie(appsUrl(a.server), (await signIn(a.server)).cookie, { headers: { authorization: 'Bearer not-the-key-0123456789' } });
    assert.equal(wrongBearer.status, 401, 'a bad key is not rescued by a good cookie');
    const { cookie } = await signIn(a.server);
    const byCookie = await withCookie(sessionUrl(a.server), cookie, { method: 'POST' });
    assert.equal(byCookie.status, 401, 'a session cannot extend itself without the key');
    const wrongKey = await fetch(sessionUrl(a.server), { method: 'POST', headers: { authorization: 'Bearer not-the-key-0123456789' } });
    assert.equal(wrongKey.status, 401);
    assert.equal(wrongKey.headers.get('set-cookie'), null);
    const otherTenant = await fetch(sessionUrl(a.server), { method: 'POST', headers: { authorization: `Bearer ${OTHER_TENANT_KEY}` } });
    assert.equal(otherTenant.status, 403);
    assert.equal(otherTenant.headers.get('set-cookie'), null);
  });

  test('signing out clears the cookie and ends that session (a copy of it too); other sessions live on', async () => {
    const first = await signIn(a.server);
    const second = await signIn(a.server);
    const out = await withCookie(sessionUrl(a.server), first.cookie, { method: 'DELETE', headers: { origin: a.server.url } });
    assert.equal(out.status, 204, out.text);
    assert.match(out.headers.get('set-cookie') ?? '', new RegExp(`^${COOKIE.replace('.', '\\.')}=; Max-Age=0; Path=/manage`));
    expectRefusal(await withCookie(appsUrl(a.server), first.cookie), 401, 'session_revoked');
    expectRefusal(await withCookie(sessionUrl(a.server), first.cookie), 401, 'session_revoked');
    assert.equal((await withCookie(appsUrl(a.server), second.cookie)).status, 200);
    const again = await withCookie(sessionUrl(a.server), first.cookie, { method: 'DELETE' });
    assert.equal(again.status, 204, 'signing out twice just clears the cookie');
  });

  test('a session expires after 8 hours', async () => {
    const { cookie } = await signIn(a.server);
    a.clock.ms += 8 * HOUR_MS - 1000;
    assert.equal((await withCookie(appsUrl(a.server), cookie)).status, 200);
    a.clock.ms += 2000;
    expectRefusal(await withCookie(appsUrl(a.server), cookie), 401, 'session_expired');
  });

  test('the cookie is Secure when the server is reached on a non-loopback host', async () => {
    const url = new URL(sessionUrl(a.server));
    const setCookie = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { host: 'manage.example.com', authorization: `Bearer ${ADMIN_KEY}` } },
        (res) => {
          res.resume();
          resolve(String(res.headers['set-cookie'] ?? ''));
        },
      );
      req.once('error', reject);
      req.end();
    });
    assert.match(setCookie, /; Secure/);
  });

  test('no session token is ever logged', async () => {
    const { cookie } = await signIn(a.server);
    await withCookie(appsUrl(a.server), cookie);
    const token = cookie.split('=')[1]!;
    assert.ok(!a.logs.some((line) => line.includes(token.slice(-20))), 'token found in the logs');
  });
});

describe('manage sessions across instances on one database', () => {
  test("a sign-out on one instance ends the session on the other; removing the key ends its sessions", async () => {
    const db = tempDbPath();
    const one = await instance(db.dbPath);
    const two = await instance(db.dbPath);
    try {
      const { cookie } = await signIn(one.server);
      assert.equal((await withCookie(appsUrl(two.server), cookie)).status, 200, 'the other instance accepts it');
      const out = await withCookie(sessionUrl(two.server), cookie, { method: 'DELETE' });
      assert.equal(out.status, 204);
      expectRefusal(await withCookie(appsUrl(one.server), cookie), 401, 'session_revoked');

      const live = await signIn(one.server);
      const rotatedDb = tempDbPath();
      const rotated = await instance(rotatedDb.dbPath, `${TENANT}:a-new-admin-key-0123456789abcdef`);
      try {
        expectRefusal(await withCookie(appsUrl(rotated.server), live.cookie), 401, 'session_key_removed');
      } finally {
        await rotated.server.close();
        rotatedDb.cleanup();
      }
    } finally {
      await one.server.close();
      await two.server.close();
      db.cleanup();
    }
  });
});
