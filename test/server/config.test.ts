import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfigFromEnv } from '../../server/index.js';

const SECRET = 'a'.repeat(32);
const dir = mkdtempSync(join(tmpdir(), 'ink-auth-config-'));

function configFile(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

async function rejects(env: NodeJS.ProcessEnv, pattern: RegExp): Promise<void> {
  await assert.rejects(loadConfigFromEnv(env), (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    assert.equal(error.code, 'config_invalid');
    assert.match(error.message, pattern);
    return true;
  });
}

test('defaults: demo app, 30-day sessions, PoW off', async () => {
  const config = await loadConfigFromEnv({ INKEEP_ANON_JWT_SECRET: SECRET });
  assert.equal(config.jwtSecret, SECRET);
  assert.equal(config.jwtSecretGenerated, false);
  assert.equal(config.sessionLifetimeSeconds, 2_592_000);
  assert.equal(config.pow, null);
  assert.equal(config.apps.length, 1);
  const demo = config.apps[0];
  assert.equal(demo?.id, 'app_inkauthdemo0000000000');
  assert.equal(demo?.tenantId, 'tenant_demo');
  assert.equal(demo?.projectId, 'project_demo');
  assert.equal(demo?.defaultAgentId, 'agent_demo');
  assert.deepEqual(demo?.config, { type: 'web_client', webClient: { allowedDomains: ['localhost', '127.0.0.1'], allowAnonymous: true, publicKeys: [] } });
});

test('without INKEEP_ANON_JWT_SECRET only development/test start, with a random secret', async () => {
  await rejects({}, /INKEEP_ANON_JWT_SECRET is not set/);
  await rejects({ NODE_ENV: 'production' }, /INKEEP_ANON_JWT_SECRET is not set/);
  const a = await loadConfigFromEnv({ NODE_ENV: 'development' });
  const b = await loadConfigFromEnv({ NODE_ENV: 'test' });
  assert.equal(a.jwtSecretGenerated, true);
  assert.ok(a.jwtSecret.length >= 32);
  assert.notEqual(a.jwtSecret, b.jwtSecret);
});

test('short secrets stop the server without echoing the value', async () => {
  await rejects({ INKEEP_ANON_JWT_SECRET: 'short-secret-value' }, /INKEEP_ANON_JWT_SECRET must be at least 32/);
  await rejects({ INKEEP_ANON_JWT_SECRET: SECRET, INKEEP_POW_HMAC_SECRET: 'tiny-pow-secret' }, /INKEEP_POW_HMAC_SECRET must be at least 32/);
  await assert.rejects(loadConfigFromEnv({ INKEEP_ANON_JWT_SECRET: 'short-secret-value' }), (e: Error) => !e.message.includes('short-secret-value'));
});

test('PoW settings from env, with defaults and format', async () => {
  const config = await loadConfigFromEnv({ INKEEP_ANON_JWT_SECRET: SECRET, INKEEP_POW_HMAC_SECRET: SECRET });
  assert.deepEqual(config.pow, { hmacSecret: SECRET, difficulty: 50_000, ttlSeconds: 3600, format: 'v1' });
  const v2 = await loadConfigFromEnv({
    INKEEP_ANON_JWT_SECRET: SECRET,
    INKEEP_POW_HMAC_SECRET: SECRET,
    INKEEP_POW_DIFFICULTY: '2000',
    INKEEP_POW_CHALLENGE_TTL_SECONDS: '60',
    INK_AUTH_POW_FORMAT: 'v2',
  });
  assert.deepEqual(v2.pow, { hmacSecret: SECRET, difficulty: 2000, ttlSeconds: 60, format: 'v2' });
});

test('out-of-range numbers stop the server naming the variable', async () => {
  const base = { INKEEP_ANON_JWT_SECRET: SECRET };
  await rejects({ ...base, INKEEP_ANON_SESSION_LIFETIME_SECONDS: '59' }, /INKEEP_ANON_SESSION_LIFETIME_SECONDS must be between 60 and 2592000/);
  await rejects({ ...base, INKEEP_ANON_SESSION_LIFETIME_SECONDS: '2592001' }, /INKEEP_ANON_SESSION_LIFETIME_SECONDS/);
  await rejects({ ...base, INKEEP_ANON_SESSION_LIFETIME_SECONDS: '1h' }, /INKEEP_ANON_SESSION_LIFETIME_SECONDS must be a whole number/);
  await rejects({ ...base, INKEEP_POW_CHALLENGE_TTL_SECONDS: '3601' }, /INKEEP_POW_CHALLENGE_TTL_SECONDS/);
  await rejects({ ...base, INKEEP_POW_CHALLENGE_TTL_SECONDS: '59' }, /INKEEP_POW_CHALLENGE_TTL_SECONDS/);
  await rejects({ ...base, INKEEP_POW_DIFFICULTY: '0' }, /INKEEP_POW_DIFFICULTY/);
  await rejects({ ...base, INKEEP_POW_DIFFICULTY: '-5' }, /INKEEP_POW_DIFFICULTY/);
  await rejects({ ...base, INK_AUTH_POW_FORMAT: 'v3' }, /INK_AUTH_POW_FORMAT/);
  const edge = await loadConfigFromEnv({ ...base, INKEEP_ANON_SESSION_LIFETIME_SECONDS: '60' });
  assert.equal(edge.sessionLifetimeSeconds, 60);
});

test('apps are read from INK_AUTH_CONFIG', async () => {
  const file = configFile(
    'good.json',
    JSON.stringify({
      apps: [
        {
          id: 'app_custom1',
          tenantId: 't1',
          projectId: 'p1',
          name: 'Custom',
          defaultAgentId: 'agent_1',
          enabled: false,
          config: { type: 'web_client', webClient: { allowedDomains: ['*.example.com'], allowAnonymous: false } },
        },
      ],
    }),
  );
  const config = await loadConfigFromEnv({ INKEEP_ANON_JWT_SECRET: SECRET, INK_AUTH_CONFIG: file });
  assert.equal(config.apps.length, 1);
  const app = config.apps[0];
  assert.equal(app?.id, 'app_custom1');
  assert.equal(app?.enabled, false);
  assert.equal(app?.type, 'web_client');
  assert.equal(app?.description, null);
  assert.equal(app?.lastUsedAt, null);
  assert.deepEqual(app?.config, { type: 'web_client', webClient: { allowedDomains: ['*.example.com'], allowAnonymous: false, publicKeys: [] } });
});

test('a malformed apps file stops the server naming the file and the field', async () => {
  const base = { INKEEP_ANON_JWT_SECRET: SECRET };
  const app = {
    id: 'app_x',
    projectId: 'p',
    name: 'n',
    config: { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: true } },
  };
  const cases: Array<[string, string, RegExp]> = [
    ['not-json.json', '{"apps": [', /not-json\.json: not valid JSON/],
    ['no-apps.json', '{}', /no-apps\.json: apps must be an array/],
    ['no-id.json', JSON.stringify({ apps: [{ ...app, id: undefined }] }), /no-id\.json: apps\[0\]\.id is required/],
    ['bad-id.json', JSON.stringify({ apps: [{ ...app, id: 'nope' }] }), /bad-id\.json: apps\[0\]\.id must match \^app_/],
    ['no-domains.json', JSON.stringify({ apps: [app, { ...app, id: 'app_y', config: { type: 'web_client', webClient: { allowedDomains: [], allowAnonymous: true } } }] }), /no-domains\.json: apps\[1\]\.config\.webClient\.allowedDomains/],
    ['anon.json', JSON.stringify({ apps: [{ ...app, config: { type: 'web_client', webClient: { allowedDomains: ['x'], allowAnonymous: 'yes' } } }] }), /apps\[0\]\.config\.webClient\.allowAnonymous must be a boolean/],
    ['enabled.json', JSON.stringify({ apps: [{ ...app, enabled: 'true' }] }), /apps\[0\]\.enabled/],
    ['dup.json', JSON.stringify({ apps: [app, app] }), /dup\.json: apps\[1\]\.id duplicates "app_x"/],
    // A private key pasted where the public one goes never starts a server that would list it.
    ['private-key.json', JSON.stringify({ apps: [{ ...app, config: { type: 'web_client', webClient: { allowedDomains: ['x'], publicKeys: [{ kid: 'k', algorithm: 'EdDSA', publicKey: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) }] } } }] }), /apps\[0\]\.config\.webClient\.publicKeys\[0\]\.publicKey is a private key/],
    ['unknown-setting.json', JSON.stringify({ apps: [{ ...app, config: { type: 'web_client', webClient: { allowedDomains: ['x'], allowedOrigin: 'x' } } }] }), /apps\[0\]\.config\.webClient\.allowedOrigin is not a known setting/],
  ];
  for (const [name, content, pattern] of cases) {
    await rejects({ ...base, INK_AUTH_CONFIG: configFile(name, content) }, pattern);
  }
  await rejects({ ...base, INK_AUTH_CONFIG: join(dir, 'missing.json') }, /Cannot read app configuration .*missing\.json: ENOENT/);
});

test('pairing app: INK_AUTH_PAIRING_APP, the file\'s "pairing" section, else the only web app', async () => {
  const demo = await loadConfigFromEnv({ INKEEP_ANON_JWT_SECRET: SECRET });
  // The default (npm start's) config names its pairing app, so a copy with more apps keeps it.
  assert.deepEqual(demo.pairingApp, { appId: 'app_inkauthdemo0000000000', source: 'file' });
  const fromEnv = await loadConfigFromEnv({ INKEEP_ANON_JWT_SECRET: SECRET, INK_AUTH_PAIRING_APP: 'app_elsewhere' });
  assert.deepEqual(fromEnv.pairingApp, { appId: 'app_elsewhere', source: 'env' });
  const app = {
    id: 'app_filepairing',
    projectId: 'p',
    name: 'n',
    config: { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: true } },
  };
  const file = configFile('pairing.json', JSON.stringify({ apps: [app, { ...app, id: 'app_second' }], pairing: { appId: 'app_second' } }));
  const fromFile = await loadConfigFromEnv({ INKEEP_ANON_JWT_SECRET: SECRET, INK_AUTH_CONFIG: file });
  assert.deepEqual(fromFile.pairingApp, { appId: 'app_second', source: 'file' });
  const none = configFile('two.json', JSON.stringify({ apps: [app, { ...app, id: 'app_second' }] }));
  assert.deepEqual((await loadConfigFromEnv({ INKEEP_ANON_JWT_SECRET: SECRET, INK_AUTH_CONFIG: none })).pairingApp, { appId: null, source: 'none' });
  await rejects({ INKEEP_ANON_JWT_SECRET: SECRET, INK_AUTH_PAIRING_APP: 'not an app' }, /INK_AUTH_PAIRING_APP must look like app_/);
  const bad = configFile('bad-pairing.json', JSON.stringify({ apps: [app], pairing: { appId: 42 } }));
  await rejects({ INKEEP_ANON_JWT_SECRET: SECRET, INK_AUTH_CONFIG: bad }, /bad-pairing\.json: pairing\.appId must look like app_/);
});

test('INK_AUTH_TRUSTED_PROXIES: IP addresses of trusted proxies; anything else stops the server naming it', async () => {
  assert.deepEqual((await loadConfigFromEnv({ INKEEP_ANON_JWT_SECRET: SECRET })).trustedProxies, []);
  const config = await loadConfigFromEnv({ INKEEP_ANON_JWT_SECRET: SECRET, INK_AUTH_TRUSTED_PROXIES: '10.0.0.1, ::ffff:10.0.0.2,2001:DB8::1' });
  assert.deepEqual(config.trustedProxies, ['10.0.0.1', '10.0.0.2', '2001:db8::1']);
  await rejects({ INKEEP_ANON_JWT_SECRET: SECRET, INK_AUTH_TRUSTED_PROXIES: '10.0.0.1,proxy.internal' }, /INK_AUTH_TRUSTED_PROXIES .*"proxy\.internal"/);
});
