import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolvePairingApp } from '../../../server/pairing/pairing-app.js';
import type { PairingReason } from '../../../server/core/pairing-errors.js';
import { ServerError } from '../../../server/core/errors.js';
import { parseApiKeyRequest, parseChallengeRequest } from '../../../server/pairing/pairing-validation.js';
import { checkPairingVersion, PAIRING_API_VERSION } from '../../../server/pairing/pairing-version.js';
import { assertPairingProblem } from '../state/store-contract/harness.js';
import { InMemoryApiKeyStore } from '../../../server/state/api-keys.js';
import type { AppRecord } from '../../../server/state/app-registry.js';

function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

function throwsCode(fn: () => unknown, code: PairingReason): ServerError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  return assertPairingProblem(caught, code);
}

// Challenge and rate-limit rules are proven on every engine by test/server/store-contract/.

describe('version header', () => {
  it(`accepts ${PAIRING_API_VERSION}, takes a missing version as that default, rejects unknown versions`, () => {
    assert.equal(checkPairingVersion(PAIRING_API_VERSION), null);
    assert.equal(checkPairingVersion(undefined), null);
    assert.equal(checkPairingVersion('  '), null);
    const unknown = checkPairingVersion('2020-01-01');
    assert.equal(unknown?.reason, 'version_unsupported');
    assert.equal(unknown?.code, 'bad_request');
    assert.ok(unknown?.detail.includes(PAIRING_API_VERSION));
  });
});

describe('pairing app', () => {
  const web = (id: string, overrides: Partial<AppRecord> = {}): AppRecord => ({
    id,
    tenantId: null,
    projectId: 'project_x',
    name: id,
    description: null,
    type: 'web_client',
    defaultAgentId: null,
    enabled: true,
    config: { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: true, publicKeys: [] } },
    lastUsedAt: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  });
  const two = [web('app_one'), web('app_two')];

  it('the env var wins over the file, the file over the default', () => {
    assert.deepEqual(resolvePairingApp({ fromEnv: ' app_env ', fromFile: 'app_file', apps: two }), { appId: 'app_env', source: 'env' });
    assert.deepEqual(resolvePairingApp({ fromEnv: '', fromFile: 'app_file', apps: two }), { appId: 'app_file', source: 'file' });
  });

  it('defaults to the one enabled web app, else none', () => {
    assert.deepEqual(resolvePairingApp({ apps: [web('app_one')] }), { appId: 'app_one', source: 'only-web-app' });
    const others = [web('app_one'), web('app_off', { enabled: false }), web('app_api', { type: 'api', config: { type: 'api', api: {} } })];
    assert.deepEqual(resolvePairingApp({ apps: others }), { appId: 'app_one', source: 'only-web-app' });
    assert.deepEqual(resolvePairingApp({ apps: two }), { appId: null, source: 'none' });
    assert.deepEqual(resolvePairingApp({ apps: [] }), { appId: null, source: 'none' });
  });
});

describe('request validation', () => {
  it('app_name: 1…100 printable characters', () => {
    assert.equal(parseChallengeRequest({ app_name: 'Mon Chat 💬' }).appName, 'Mon Chat 💬');
    assert.equal(parseChallengeRequest({ app_name: 'é'.repeat(100) }).appName.length, 100);
    for (const bad of [undefined, 42, '', '   ', 'a'.repeat(101), 'line\nbreak', 'bell\u0007', '\u001b[31mred']) {
      throwsCode(() => parseChallengeRequest({ app_name: bad }), 'invalid_app_name');
    }
    throwsCode(() => parseChallengeRequest(null), 'invalid_body');
    throwsCode(() => parseChallengeRequest(['x']), 'invalid_body');
    assert.equal(parseChallengeRequest({ app_name: 'x', app_id: 'app_abc' }).appId, 'app_abc');
    throwsCode(() => parseChallengeRequest({ app_name: 'x', app_id: 'nope' }), 'invalid_body');
  });

  it('code: exactly 4 ASCII digits; challenge_id: 24 hex', () => {
    const id = 'a'.repeat(24);
    assert.deepEqual(parseApiKeyRequest({ challenge_id: id, code: '0123' }), { challengeId: id, code: '0123', appId: undefined });
    for (const bad of ['123', '12345', '12a4', '١٢٣٤', 1234, ' 1234']) {
      throwsCode(() => parseApiKeyRequest({ challenge_id: id, code: bad }), 'invalid_code_format');
    }
    for (const bad of ['a'.repeat(23), 'g'.repeat(24), 'A'.repeat(24), 5]) {
      throwsCode(() => parseApiKeyRequest({ challenge_id: bad, code: '1234' }), 'invalid_challenge_id');
    }
  });
});

describe('InMemoryApiKeyStore', () => {
  it('issues base64 keys of 32 bytes bound to an app, verifiable until revoked', async () => {
    const store = new InMemoryApiKeyStore();
    const { apiKey, record } = await store.issue({ appId: 'app_a', appName: 'x' });
    assert.equal(Buffer.from(apiKey, 'base64').length, 32);
    assert.match(record.id, /^key_[0-9a-f]{16}$/);
    const verified = await store.verify(apiKey);
    assert.ok(verified.ok);
    assert.equal(verified.record.appId, 'app_a');
    assert.equal(JSON.stringify(verified.record).includes(apiKey), false, 'the record never holds the key');
    const tampered = (apiKey[0] === 'A' ? 'B' : 'A') + apiKey.slice(1);
    assert.deepEqual(await store.verify(tampered), { ok: false, reason: 'invalid' });
    assert.equal(await store.revoke(record.id), true);
    assert.deepEqual(await store.verify(apiKey), { ok: false, reason: 'invalid' });
    assert.equal(await store.revoke(record.id), false);
    assert.equal(await store.get(record.id), undefined);
  });

  it('expires keys after their lifetime', async () => {
    const clock = fakeClock();
    const store = new InMemoryApiKeyStore({ lifetimeSeconds: 60, now: clock.now });
    const { apiKey } = await store.issue({ appId: 'app_a', appName: 'x' });
    clock.advance(60_000);
    assert.deepEqual(await store.verify(apiKey), { ok: false, reason: 'expired' });
  });

  it('is bounded', async () => {
    const store = new InMemoryApiKeyStore({ maxKeys: 2 });
    await store.issue({ appId: 'app_a', appName: 'x' });
    await store.issue({ appId: 'app_a', appName: 'x' });
    await assert.rejects(store.issue({ appId: 'app_a', appName: 'x' }), (e) => e instanceof ServerError && e.reason === 'capacity_exhausted' && e.code === 'service_unavailable');
  });
});
