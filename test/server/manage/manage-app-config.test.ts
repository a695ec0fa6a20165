import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { expectProblem, manageServerPerSuite, webAppBody, type ManageHarness } from './manage-fixture.js';

// Every app setting the hosted API knows is kept as given, and one it does not know, or a value
// that breaks its rule, is a 400 naming the field: never a 201 that silently dropped it.

const spki = (type: 'rsa' | 'ec' | 'ed25519', options: Record<string, unknown> = {}) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (generateKeyPairSync as any)(type, { ...options, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }) as {
    publicKey: string;
    privateKey: string;
  };

const rsa = spki('rsa', { modulusLength: 2048 });
const p256 = spki('ec', { namedCurve: 'P-256' });
const p384 = spki('ec', { namedCurve: 'P-384' });
const ed = spki('ed25519');

function webConfig(webClient: Record<string, unknown>) {
  return { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: true, ...webClient } };
}

async function refusedField(h: ManageHarness, body: Record<string, unknown>, field: string): Promise<void> {
  const { detail } = expectProblem(await h.call('POST', '/apps', body), 400, 'bad_request');
  assert.ok(detail.includes(`'${field}'`), `detail names ${field}: ${detail}`);
}

describe('manage API: app settings are kept or refused, never dropped', () => {
  const h = manageServerPerSuite();

  test('publicKeys (RSA, EC, Ed25519) and audience are kept on create, listed and read back', async () => {
    const publicKeys = [
      { kid: 'rsa-1', publicKey: rsa.publicKey, algorithm: 'RS256' },
      { kid: 'ec-1', publicKey: p256.publicKey, algorithm: 'ES256', addedAt: '2026-01-02T03:04:05.000Z' },
      { kid: 'ec-2', publicKey: p384.publicKey, algorithm: 'ES384' },
      { kid: 'ed-1', publicKey: ed.publicKey, algorithm: 'EdDSA' },
    ];
    const created = await h.call('POST', '/apps', webAppBody({ config: webConfig({ publicKeys, audience: 'https://docs.example.com' }) }));
    assert.equal(created.status, 201, created.text);
    const web = created.body.data.app.config.webClient;
    assert.equal(web.audience, 'https://docs.example.com');
    assert.deepEqual(
      web.publicKeys.map((k: Record<string, string>) => [k.kid, k.algorithm, k.publicKey]),
      publicKeys.map((k) => [k.kid, k.algorithm, k.publicKey]),
    );
    assert.equal(web.publicKeys[1].addedAt, '2026-01-02T03:04:05.000Z', 'a given addedAt is kept');
    for (const key of web.publicKeys) assert.ok(!Number.isNaN(Date.parse(key.addedAt)), 'addedAt defaults to now');
    const read = await h.call('GET', `/apps/${created.body.data.app.id}`);
    assert.deepEqual(read.body.data.config, created.body.data.app.config, 'stored as answered');
  });

  test('PATCH replaces publicKeys; an update with a bad key changes nothing', async () => {
    const app = (await h.call('POST', '/apps', webAppBody())).body.data.app;
    const patched = await h.call('PATCH', `/apps/${app.id}`, { config: webConfig({ publicKeys: [{ kid: 'k', publicKey: ed.publicKey, algorithm: 'EdDSA' }] }) });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.data.config.webClient.publicKeys[0].kid, 'k');
    const bad = await h.call('PATCH', `/apps/${app.id}`, { config: webConfig({ publicKeys: [{ kid: 'k', publicKey: ed.publicKey, algorithm: 'ES256' }] }) });
    expectProblem(bad, 400, 'bad_request');
    assert.equal((await h.call('GET', `/apps/${app.id}`)).body.data.config.webClient.publicKeys[0].algorithm, 'EdDSA');
  });

  test('a key that does not fit its algorithm, a private key, a bad PEM, duplicate kids, too many keys → 400 naming the field', async () => {
    const field = 'config.webClient.publicKeys';
    const cases: Array<[unknown, string]> = [
      [[{ kid: 'a', publicKey: p256.publicKey, algorithm: 'RS256' }], `${field}[0].publicKey`],
      [[{ kid: 'a', publicKey: p256.publicKey, algorithm: 'ES384' }], `${field}[0].publicKey`],
      [[{ kid: 'a', publicKey: rsa.publicKey, algorithm: 'EdDSA' }], `${field}[0].publicKey`],
      [[{ kid: 'a', publicKey: rsa.privateKey, algorithm: 'RS256' }], `${field}[0].publicKey`],
      [[{ kid: 'a', publicKey: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', algorithm: 'RS256' }], `${field}[0].publicKey`],
      [[{ kid: 'a', publicKey: rsa.publicKey, algorithm: 'HS256' }], `${field}[0].algorithm`],
      [[{ kid: 'a', publicKey: rsa.publicKey, algorithm: 'none' }], `${field}[0].algorithm`],
      [[{ kid: '', publicKey: rsa.publicKey, algorithm: 'RS256' }], `${field}[0].kid`],
      [[{ kid: 'a', publicKey: rsa.publicKey, algorithm: 'RS256', addedAt: 'yesterday' }], `${field}[0].addedAt`],
      [[{ kid: 'a', publicKey: ed.publicKey, algorithm: 'EdDSA' }, { kid: 'a', publicKey: p256.publicKey, algorithm: 'ES256' }], `${field}[1].kid`],
      [Array.from({ length: 11 }, (_, i) => ({ kid: `k${i}`, publicKey: ed.publicKey, algorithm: 'EdDSA' })), field],
      ['not-a-list', field],
    ];
    for (const [publicKeys, named] of cases) await refusedField(h, webAppBody({ config: webConfig({ publicKeys }) }), named);
    const weak = spki('rsa', { modulusLength: 1024 });
    await refusedField(h, webAppBody({ config: webConfig({ publicKeys: [{ kid: 'w', publicKey: weak.publicKey, algorithm: 'RS256' }] }) }), `${field}[0].publicKey`);
    await refusedField(h, webAppBody({ config: webConfig({ audience: '' }) }), 'config.webClient.audience');
    await refusedField(h, webAppBody({ config: webConfig({ audience: 42 }) }), 'config.webClient.audience');
  });

  test('a setting the rules do not know is refused, naming it', async () => {
    await refusedField(h, webAppBody({ config: webConfig({ allowedOrigins: ['x'] }) }), 'config.webClient.allowedOrigins');
    await refusedField(h, webAppBody({ config: { ...webConfig({}), supportCopilot: { platform: 'zendesk' } } }), 'config.supportCopilot');
  });

  test('support_copilot settings are kept (the settings are optional); a missing or bad platform → 400 naming it', async () => {
    const supportCopilot = {
      platform: 'zendesk',
      credentialReferenceId: 'cred_zendesk',
      quickActions: [{ group: 'Tone', actions: [{ label: 'Friendlier', prompt: 'Rewrite this reply to sound friendlier.' }] }],
    };
    const body = { name: 'Copilot', type: 'support_copilot', config: { type: 'support_copilot', supportCopilot } };
    const created = await h.call('POST', '/apps', body);
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.body.data.app.config, { type: 'support_copilot', supportCopilot });
    assert.deepEqual((await h.call('GET', `/apps/${created.body.data.app.id}`)).body.data.config.supportCopilot, supportCopilot);
    const bare = await h.call('POST', '/apps', { ...body, config: { type: 'support_copilot' } });
    assert.equal(bare.status, 201, 'supportCopilot is optional, as seed-era clients send it');
    assert.deepEqual(bare.body.data.app.config, { type: 'support_copilot' });
    await refusedField(h, { ...body, config: { type: 'support_copilot', supportCopilot: 'zendesk' } }, 'config.supportCopilot');
    await refusedField(h, { ...body, config: { type: 'support_copilot', supportCopilot: { platform: '' } } }, 'config.supportCopilot.platform');
    await refusedField(h, { ...body, config: { type: 'support_copilot', supportCopilot: { platform: 'zendesk', quickActions: [{ group: 'g', actions: [] }] } } }, 'config.supportCopilot.quickActions[0].actions');
  });

  test("an api app's config is {type:'api', api:{}}; settings inside api are refused", async () => {
    const created = await h.call('POST', '/apps', { name: 'Backend', type: 'api', config: { type: 'api' } });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.body.data.app.config, { type: 'api', api: {} });
    await refusedField(h, { name: 'Backend', type: 'api', config: { type: 'api', api: { rateLimit: 5 } } }, 'config.api.rateLimit');
  });
});

describe('manage API: …/apps/{id}/auth-keys, one public key at a time', () => {
  const h = manageServerPerSuite();

  async function userChat(appId: string, token: string): Promise<Response> {
    return fetch(`${h.server.url}/run/api/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'x-inkeep-app-id': appId, origin: 'http://localhost', 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
    });
  }

  test('a key added here signs users in at once; listed whole; removed, its tokens are refused', async () => {
    const created = await h.call('POST', '/apps', webAppBody({ config: webConfig({ allowAnonymous: false }) }));
    assert.equal(created.status, 201, created.text);
    const id = created.body.data.app.id as string;
    const added = await h.call('POST', `/apps/${id}/auth-keys`, { kid: 'site-1', publicKey: p256.publicKey, algorithm: 'ES256' });
    assert.equal(added.status, 201, added.text);
    assert.equal(added.body.data.kid, 'site-1');
    assert.match(added.body.data.addedAt, /^\d{4}-\d\d-\d\dT/);
    const listed = await h.call('GET', `/apps/${id}/auth-keys`);
    assert.deepEqual(listed.body.data, [added.body.data]);
    assert.deepEqual((await h.call('GET', `/apps/${id}`)).body.data.config.webClient.publicKeys, [added.body.data], 'the app shows it too');

    const token = await new SignJWT({ sub: 'user_1' })
      .setProtectedHeader({ alg: 'ES256', kid: 'site-1' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(createPrivateKey(p256.privateKey));
    const chat = await userChat(id, token);
    assert.equal(chat.status, 200, await chat.clone().text());
    await chat.text();

    expectProblem(await h.call('POST', `/apps/${id}/auth-keys`, { kid: 'site-1', publicKey: ed.publicKey, algorithm: 'EdDSA' }), 409, 'conflict');
    assert.equal((await h.call('DELETE', `/apps/${id}/auth-keys/site-1`)).status, 204);
    assert.deepEqual((await h.call('GET', `/apps/${id}/auth-keys`)).body.data, []);
    const refused = await userChat(id, token);
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as { reason: string }).reason, 'user_unknown_kid');
    expectProblem(await h.call('DELETE', `/apps/${id}/auth-keys/site-1`), 404, 'not_found');
  });

  test('a bad key is a 400 naming the field; at most 10 keys; api apps and unknown apps are refused', async () => {
    const id = (await h.call('POST', '/apps', webAppBody())).body.data.app.id as string;
    const bad = (body: Record<string, unknown>, field: string) => {
      return h.call('POST', `/apps/${id}/auth-keys`, body).then((reply) => {
        const { detail } = expectProblem(reply, 400, 'bad_request');
        assert.ok(detail.includes(`'${field}'`), `${field}: ${detail}`);
      });
    };
    await bad({ kid: 'k', publicKey: 'not a pem', algorithm: 'ES256' }, 'publicKey');
    await bad({ kid: 'k', publicKey: p256.privateKey, algorithm: 'ES256' }, 'publicKey');
    await bad({ kid: 'k', publicKey: rsa.publicKey, algorithm: 'ES256' }, 'publicKey');
    await bad({ kid: '', publicKey: p256.publicKey, algorithm: 'ES256' }, 'kid');
    await bad({ kid: 'k', publicKey: p256.publicKey, algorithm: 'HS256' }, 'algorithm');
    for (let i = 0; i < 10; i++) {
      assert.equal((await h.call('POST', `/apps/${id}/auth-keys`, { kid: `k${i}`, publicKey: ed.publicKey, algorithm: 'EdDSA' })).status, 201);
    }
    await bad({ kid: 'k10', publicKey: ed.publicKey, algorithm: 'EdDSA' }, 'kid');
    const api = (await h.call('POST', '/apps', { name: 'Backend', type: 'api', config: { type: 'api' } })).body.data.app.id as string;
    expectProblem(await h.call('POST', `/apps/${api}/auth-keys`, { kid: 'k', publicKey: ed.publicKey, algorithm: 'EdDSA' }), 400, 'bad_request');
    expectProblem(await h.call('GET', '/apps/app_nosuchapp000000000000/auth-keys'), 404, 'not_found');
  });
});
