import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminKeyConfigError, checkAdminKey, parseAdminKeys } from '../../../server/manage/admin-auth.js';
import { loadConfigFromEnv, ConfigError } from '../../../server/index.js';
import { ADMIN_KEY, OTHER_TENANT_KEY, expectProblem, manageServerPerSuite } from './manage-fixture.js';

describe('manage API: who may call it', () => {
  const h = manageServerPerSuite();

  const endpoints: Array<[string, string, unknown?]> = [
    ['GET', '/apps'],
    ['POST', '/apps', { name: 'x' }],
    ['GET', '/apps/app_inkauthdemo0000000000'],
    ['PATCH', '/apps/app_inkauthdemo0000000000', { enabled: false }],
    ['PUT', '/apps/app_inkauthdemo0000000000', { enabled: false }],
    ['DELETE', '/apps/app_inkauthdemo0000000000'],
    ['GET', '/credentials'],
    ['POST', '/credentials', { id: 'c' }],
    ['GET', '/credentials/c'],
    ['PUT', '/credentials/c', {}],
    ['DELETE', '/credentials/c'],
    ['GET', '/credential-stores'],
    ['POST', '/credential-stores/memory-default/credentials', { key: 'k', value: 'v' }],
  ];

  test('no Authorization header → 401 with a Bearer challenge, on every endpoint', async () => {
    for (const [method, path, body] of endpoints) {
      const reply = await h.call(method, path, body, null);
      expectProblem(reply, 401, 'unauthorized');
      assert.match(reply.headers.get('www-authenticate') ?? '', /^Bearer/);
    }
  });

  test('wrong key, malformed header, Basic auth → 401', async () => {
    expectProblem(await h.call('GET', '/apps', undefined, 'not-a-real-key-123456789'), 401, 'unauthorized');
    expectProblem(await h.call('GET', '/apps', undefined, ''), 401, 'unauthorized');
    const basic = await fetch(`${h.projectUrl}/apps`, { headers: { authorization: `Basic ${Buffer.from(`x:${ADMIN_KEY}`).toString('base64')}` } });
    assert.equal(basic.status, 401);
    await basic.body?.cancel();
  });

  test("another tenant's key → 403 forbidden on every endpoint; nothing changes", async () => {
    for (const [method, path, body] of endpoints) {
      expectProblem(await h.call(method, path, body, OTHER_TENANT_KEY), 403, 'forbidden');
    }
    const demo = await h.call('GET', '/apps/app_inkauthdemo0000000000');
    assert.equal(demo.body.data.enabled, true, 'the forbidden PATCH/PUT/DELETE had no effect');
  });

  test('the other tenant key works for its own tenant', async () => {
    const own = await h.call('GET', `${h.server.url}/manage/tenants/tenant_other/projects/p1/apps`, undefined, OTHER_TENANT_KEY);
    assert.equal(own.status, 200);
    expectProblem(await h.call('GET', `${h.server.url}/manage/tenants/tenant_other/projects/p1/apps`, undefined, ADMIN_KEY), 403, 'forbidden');
  });

  test('an anonymous-session JWT never grants manage access', async () => {
    const res = await fetch(`${h.server.url}/run/auth/apps/app_inkauthdemo0000000000/anonymous-session`, {
      method: 'POST',
      headers: { origin: 'http://localhost' },
    });
    assert.equal(res.status, 200);
    const { token } = (await res.json()) as { token: string };
    expectProblem(await h.call('GET', '/apps', undefined, token), 401, 'unauthorized');
  });

  test('the admin key never appears in a response or a log line', async () => {
    for (const body of h.bodies) assert.ok(!body.includes(ADMIN_KEY));
    for (const line of h.logs) assert.ok(!line.includes(ADMIN_KEY));
  });
});

describe('admin keys', () => {
  test('parse tenantId:key pairs; the key may contain colons', () => {
    const keys = parseAdminKeys(' t1:aaaaaaaaaaaaaaaa1 , t2:bb:bbbbbbbbbbbbbbbb ,');
    assert.deepEqual(keys.map((k) => k.tenantId), ['t1', 't2']);
    assert.equal(checkAdminKey(keys, 'bb:bbbbbbbbbbbbbbbb', 't2'), 'ok');
    assert.equal(checkAdminKey(keys, 'bb:bbbbbbbbbbbbbbbb', 't1'), 'wrong_tenant');
    assert.equal(checkAdminKey(keys, 'aaaaaaaaaaaaaaaa', 't1'), 'unknown_key');
    assert.equal(checkAdminKey([], 'anything', 't1'), 'unknown_key');
  });

  test('unset or empty → no keys (every manage call is 401)', () => {
    assert.deepEqual(parseAdminKeys(undefined), []);
    assert.deepEqual(parseAdminKeys(''), []);
  });

  test('malformed entries and short keys are refused without echoing the key', () => {
    for (const bad of ['nokey', ':keyonlykeyonlykeyonly', 'tenant:', 'tenant:tiny1']) {
      assert.throws(() => parseAdminKeys(bad), (err: unknown) => {
        assert.ok(err instanceof AdminKeyConfigError);
        assert.ok(!err.message.includes('keyonlykeyonly') && !err.message.includes('tiny1'), err.message);
        return true;
      });
    }
  });

  test('loadConfigFromEnv reads INK_AUTH_DB and INK_AUTH_ADMIN_KEYS; bad keys → ConfigError', async () => {
    const config = await loadConfigFromEnv({ NODE_ENV: 'test', INK_AUTH_DB: '/tmp/x.db', INK_AUTH_ADMIN_KEYS: 'tenant_demo:0123456789abcdef0' });
    assert.equal(config.manage?.dbPath, '/tmp/x.db');
    assert.equal(config.manage?.adminKeys.length, 1);
    const defaults = await loadConfigFromEnv({ NODE_ENV: 'test' });
    assert.equal(defaults.manage?.dbPath, './.data/ink-auth.db');
    await assert.rejects(loadConfigFromEnv({ NODE_ENV: 'test', INK_AUTH_ADMIN_KEYS: 'tenant_demo:short' }), ConfigError);
  });
});
