import { after, before, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { checkAdminKey, parseAdminKeys } from '../../server/manage/admin-auth.js';
import { SignJWT } from 'jose';
import { issueSessionToken } from '../../server/auth/tokens.js';
import {
  ADMIN_KEY,
  APP_ID,
  JWT_SECRET,
  OTHER_PROJECT,
  OTHER_TENANT,
  OTHER_TENANT_KEY,
  PROJECT,
  TENANT,
  startSecurityServer,
  type SecurityServer,
} from './harness.js';
import { send, type Reply } from './http-client.js';
import { problemViolations } from './problem-shape.js';

const ED25519_PEM = crypto.generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

let h: SecurityServer;
before(async () => {
  h = await startSecurityServer({ pow: null });
});
after(() => h.close());

/** One request per manage endpoint and method, with a body that would succeed under the right key. */
function endpoints(tenant = TENANT, project = PROJECT): Array<{ method: string; path: string; body?: unknown }> {
  const base = `/manage/tenants/${tenant}/projects/${project}`;
  const app = { name: 'x', type: 'web_client', config: { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: true } } };
  return [
    { method: 'GET', path: `${base}/apps` },
    { method: 'POST', path: `${base}/apps`, body: app },
    { method: 'GET', path: `${base}/apps/${APP_ID}` },
    { method: 'PATCH', path: `${base}/apps/${APP_ID}`, body: { enabled: false } },
    { method: 'PUT', path: `${base}/apps/${APP_ID}`, body: { name: 'renamed' } },
    { method: 'DELETE', path: `${base}/apps/${APP_ID}` },
    { method: 'GET', path: `${base}/credentials` },
    { method: 'POST', path: `${base}/credentials`, body: { id: 'cred_x', name: 'x', type: 'memory', credentialStoreId: 'memory-default' } },
    { method: 'GET', path: `${base}/credentials/cred_x` },
    { method: 'PUT', path: `${base}/credentials/cred_x`, body: { name: 'y' } },
    { method: 'DELETE', path: `${base}/credentials/cred_x` },
    { method: 'GET', path: `${base}/credential-stores` },
    { method: 'POST', path: `${base}/credential-stores/memory-default/credentials`, body: { key: 'k', value: 'v' } },
    { method: 'GET', path: `${base}/apps/${APP_ID}/auth-keys` },
    { method: 'POST', path: `${base}/apps/${APP_ID}/auth-keys`, body: { kid: 'k', publicKey: ED25519_PEM, algorithm: 'EdDSA' } },
    { method: 'DELETE', path: `${base}/apps/${APP_ID}/auth-keys/k` },
  ];
}

async function call(e: { method: string; path: string; body?: unknown }, authorization: string | undefined, extra: Record<string, string> = {}): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...extra };
  if (authorization !== undefined) headers.authorization = authorization;
  return send(h.port, { method: e.method, path: e.path, headers, body: e.body === undefined ? undefined : JSON.stringify(e.body) });
}

async function expectEveryEndpoint(
  authorization: string | undefined,
  status: number,
  code: string,
  tenant = TENANT,
  project = PROJECT,
  extra: Record<string, string> = {},
  only: (e: { method: string }) => boolean = () => true,
) {
  const state = h.snapshot();
  for (const e of endpoints(tenant, project).filter(only)) {
    const reply = await call(e, authorization, extra);
    assert.equal(reply.status, status, `${e.method} ${e.path}: ${reply.text}`);
    assert.deepEqual(problemViolations(reply), [], `${e.method} ${e.path}`);
    assert.equal((JSON.parse(reply.text) as { code: string }).code, code);
    if (status === 401) assert.match(String(reply.headers['www-authenticate']), /^Bearer/);
  }
  assert.equal(h.snapshot(), state, 'a refused manage call changed state');
}

/** The real key with one character changed at `index`, same length. */
function flipAt(key: string, index: number): string {
  const c = key[index] === 'a' ? 'b' : 'a';
  return key.slice(0, index) + c + key.slice(index + 1);
}

describe('manage API authentication', () => {
  test('control: the tenant key is accepted (list apps)', async () => {
    const reply = await call({ method: 'GET', path: `/manage/tenants/${TENANT}/projects/${PROJECT}/apps` }, `Bearer ${ADMIN_KEY}`);
    assert.equal(reply.status, 200);
  });

  test('no key, an empty Bearer, Basic auth → 401 on every endpoint, nothing changes', async () => {
    for (const auth of [undefined, 'Bearer', 'Bearer ', `Basic ${Buffer.from(`admin:${ADMIN_KEY}`).toString('base64')}`]) {
      await expectEveryEndpoint(auth, 401, 'unauthorized');
    }
  });

  test("another tenant's valid key → 403 on every endpoint of this tenant (and the reverse)", async () => {
    await expectEveryEndpoint(`Bearer ${OTHER_TENANT_KEY}`, 403, 'forbidden');
    await expectEveryEndpoint(`Bearer ${ADMIN_KEY}`, 403, 'forbidden', OTHER_TENANT, OTHER_PROJECT);
  });

  test('wrong keys of equal length (first, middle, last char), prefixes, suffixes, case → 401', async () => {
    const n = ADMIN_KEY.length;
    const wrong = [flipAt(ADMIN_KEY, 0), flipAt(ADMIN_KEY, n >> 1), flipAt(ADMIN_KEY, n - 1), ADMIN_KEY.slice(0, -1), `${ADMIN_KEY}x`, ADMIN_KEY.toUpperCase()];
    for (const key of wrong) await expectEveryEndpoint(`Bearer ${key}`, 401, 'unauthorized');
  });

  test('an anonymous-session JWT is never an admin key → 401', async () => {
    const { token } = await issueSessionToken(JWT_SECRET, { id: APP_ID, tenantId: TENANT, projectId: PROJECT }, 'anon_x', 3600);
    await expectEveryEndpoint(`Bearer ${token}`, 401, 'unauthorized');
  });
});

const COOKIE = 'better-auth.session_token';
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A real session cookie of `tenant`, from the sign-in route. */
async function sessionCookie(key = ADMIN_KEY, tenant = TENANT): Promise<string> {
  const reply = await send(h.port, { method: 'POST', path: `/manage/tenants/${tenant}/session`, headers: { authorization: `Bearer ${key}` } });
  assert.equal(reply.status, 201, reply.text);
  return String(reply.headers['set-cookie']).split(';')[0]!;
}

describe('manage API session cookies', () => {
  test('forged cookies → 401 on every endpoint, nothing changes: anonymous JWTs, the raw session secret, alg none, a stretched expiry', async () => {
    const real = (await sessionCookie()).slice(COOKIE.length + 1);
    const [header, payload] = real.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const { token: anon } = await issueSessionToken(JWT_SECRET, { id: APP_ID, tenantId: TENANT, projectId: PROJECT }, 'anon_x', 3600);
    const rawSecret = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(JWT_SECRET));
    const forged = [
      anon,
      rawSecret,
      `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      `${header}.${b64({ ...claims, exp: Number(claims.exp) + 86_400 })}.${real.split('.')[2]}`,
      `${header}.${payload}`,
      'a'.repeat(5000),
    ];
    for (const token of forged) await expectEveryEndpoint(undefined, 401, 'unauthorized', TENANT, PROJECT, { cookie: `${COOKIE}=${token}` });
  });

  test("a tenant's session → 403 on every endpoint of another tenant", async () => {
    await expectEveryEndpoint(undefined, 403, 'forbidden', OTHER_TENANT, OTHER_PROJECT, { cookie: await sessionCookie() });
  });

  test('a valid cookie on every unsafe endpoint from another origin → 403, nothing changes (CSRF)', async () => {
    const cookie = await sessionCookie();
    const unsafe = (e: { method: string }) => e.method !== 'GET';
    const sites: Array<Record<string, string>> = [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }];
    for (const site of sites) {
      await expectEveryEndpoint(undefined, 403, 'forbidden', TENANT, PROJECT, { cookie, ...site }, unsafe);
    }
  });
});

describe('admin key comparison is constant-time', () => {
  const keys = parseAdminKeys(`${TENANT}:${ADMIN_KEY},${OTHER_TENANT}:${OTHER_TENANT_KEY}`);

  test('every configured key is compared, always as two 32-byte digests, whatever is presented', () => {
    const original = crypto.timingSafeEqual;
    const calls: Array<[number, number]> = [];
    const spy = mock.method(crypto, 'timingSafeEqual', (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.push([a.byteLength, b.byteLength]);
      return original(a, b);
    });
    syncBuiltinESMExports(); // route the module's named import through the spy
    try {
      for (const presented of ['', 'x', ADMIN_KEY, flipAt(ADMIN_KEY, 0), 'k'.repeat(10_000), OTHER_TENANT_KEY]) {
        calls.length = 0;
        checkAdminKey(keys, presented, TENANT);
        assert.deepEqual(calls, [[32, 32], [32, 32]], `presented length ${presented.length}`);
      }
    } finally {
      spy.mock.restore();
      syncBuiltinESMExports();
    }
    assert.equal(checkAdminKey(keys, ADMIN_KEY, TENANT), 'ok');
    assert.equal(checkAdminKey(keys, OTHER_TENANT_KEY, TENANT), 'wrong_tenant');
    assert.equal(checkAdminKey(keys, flipAt(ADMIN_KEY, ADMIN_KEY.length - 1), TENANT), 'unknown_key');
  });

  test('coarse timing: wrong keys differing at the first vs the last character (medians printed)', (t) => {
    const first = flipAt(ADMIN_KEY, 0);
    const last = flipAt(ADMIN_KEY, ADMIN_KEY.length - 1);
    const samples: Record<'first' | 'last', number[]> = { first: [], last: [] };
    // Interleaved so drift and GC pauses fall on both sides alike; only medians are compared.
    for (let i = 0; i < 20_000; i++) {
      for (const [name, key] of [['first', first], ['last', last]] as const) {
        const started = process.hrtime.bigint();
        checkAdminKey(keys, key, TENANT);
        samples[name].push(Number(process.hrtime.bigint() - started));
      }
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1] ?? 0;
    const [a, b] = [median(samples.first), median(samples.last)];
    t.diagnostic(`median ns: differs at first char ${a}, at last char ${b}, ratio ${(a / b).toFixed(3)}`);
    // Deliberately loose: the deterministic test above is the real guarantee.
    assert.ok(a / b > 0.2 && a / b < 5, `ratio ${a / b}`);
  });
});
