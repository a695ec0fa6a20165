import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChallengeStore } from '../../server/domain/pairing-challenges.js';
import { resolvePairingApp } from '../../server/domain/pairing-app.js';
import { PairingError, type PairingErrorCode } from '../../server/domain/pairing-errors.js';
import { RateLimiter } from '../../server/domain/pairing-rate-limit.js';
import { parseApiKeyRequest, parseChallengeRequest } from '../../server/domain/pairing-validation.js';
import { checkPairingVersion, PAIRING_API_VERSION } from '../../server/domain/pairing-version.js';
import { InMemoryApiKeyStore } from '../../server/store/api-keys.js';
import type { AppRecord } from '../../server/store/app-registry.js';

function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

function throwsCode(fn: () => unknown, code: PairingErrorCode): PairingError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof PairingError, `expected PairingError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code);
  return caught;
}

const wrong = (code: string) => (code === '0000' ? '0001' : '0000');

describe('ChallengeStore', () => {
  it('issues a 24-hex id and a 4-digit code, redeemable once', () => {
    const store = new ChallengeStore();
    const { challengeId, code } = store.create('app_a', 'My Chat');
    assert.match(challengeId, /^[0-9a-f]{24}$/);
    assert.match(code, /^[0-9]{4}$/);
    assert.deepEqual(store.redeem(challengeId, code), { appId: 'app_a', appName: 'My Chat' });
    throwsCode(() => store.redeem(challengeId, code), 'challenge_used');
  });

  it('keeps the challenge after a wrong code so the user can retry', () => {
    const store = new ChallengeStore();
    const { challengeId, code } = store.create('app_a', 'x');
    const error = throwsCode(() => store.redeem(challengeId, wrong(code)), 'code_incorrect');
    assert.equal(error.status, 401);
    assert.equal(error.extensions['attemptsRemaining'], 4);
    assert.equal(store.redeem(challengeId, code).appId, 'app_a');
  });

  it('kills the challenge after 5 wrong codes: the right one no longer works', () => {
    const store = new ChallengeStore();
    const { challengeId, code } = store.create('app_a', 'x');
    for (let i = 0; i < 4; i++) throwsCode(() => store.redeem(challengeId, wrong(code)), 'code_incorrect');
    throwsCode(() => store.redeem(challengeId, wrong(code)), 'challenge_locked');
    const error = throwsCode(() => store.redeem(challengeId, code), 'challenge_locked');
    assert.equal(error.status, 403);
  });

  it('expires after 5 minutes, then forgets the challenge after another lifetime', () => {
    const clock = fakeClock();
    const store = new ChallengeStore({ now: clock.now });
    const { challengeId, code } = store.create('app_a', 'x');
    clock.advance(5 * 60_000 - 1);
    const early = store.create('app_a', 'y');
    clock.advance(1);
    assert.equal(throwsCode(() => store.redeem(challengeId, code), 'challenge_expired').status, 410);
    assert.equal(store.redeem(early.challengeId, early.code).appName, 'y');
    clock.advance(5 * 60_000);
    throwsCode(() => store.redeem(challengeId, code), 'challenge_not_found');
    assert.equal(store.size, 1);
  });

  it('answers not found for an unknown challenge', () => {
    throwsCode(() => new ChallengeStore().redeem('0'.repeat(24), '1234'), 'challenge_not_found');
  });

  it('is bounded: refuses new challenges when full, with a retry delay', () => {
    const clock = fakeClock();
    const store = new ChallengeStore({ now: clock.now, maxChallenges: 3 });
    for (let i = 0; i < 3; i++) store.create('app_a', `c${i}`);
    const error = throwsCode(() => store.create('app_a', 'd'), 'capacity_exhausted');
    assert.equal(error.status, 503);
    assert.equal(error.retryAfterSeconds, 600);
    clock.advance(10 * 60_000);
    store.create('app_a', 'e');
    assert.equal(store.size, 1);
  });

  it('draws codes that cover the whole 0000…9999 range (CSPRNG, zero padded)', () => {
    const store = new ChallengeStore({ maxChallenges: 5000 });
    const codes = new Set<string>();
    for (let i = 0; i < 3000; i++) codes.add(store.create('app_a', 'x').code);
    assert.ok(codes.size > 2000, `only ${codes.size} distinct codes in 3000 draws`);
    assert.ok([...codes].some((c) => c.startsWith('0')), 'leading zeros are kept');
  });
});

describe('RateLimiter', () => {
  it('allows a burst, then refuses with Retry-After until a token is regained', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ burst: 2, perMinute: 6, now: clock.now });
    assert.deepEqual(limiter.take('1.2.3.4'), { allowed: true });
    assert.deepEqual(limiter.take('1.2.3.4'), { allowed: true });
    assert.deepEqual(limiter.take('1.2.3.4'), { allowed: false, retryAfterSeconds: 10 });
    assert.deepEqual(limiter.take('5.6.7.8'), { allowed: true }, 'other addresses are not affected');
    clock.advance(4_000);
    assert.deepEqual(limiter.peek('1.2.3.4'), { allowed: false, retryAfterSeconds: 6 });
    clock.advance(6_000);
    assert.deepEqual(limiter.take('1.2.3.4'), { allowed: true });
  });

  it('tracks a bounded number of addresses', () => {
    const limiter = new RateLimiter({ burst: 1, perMinute: 1, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`);
    assert.equal(limiter.size, 100);
  });

  it('rejects nonsensical settings', () => {
    assert.throws(() => new RateLimiter({ burst: 0, perMinute: 1 }), RangeError);
  });
});

describe('version header', () => {
  it(`accepts ${PAIRING_API_VERSION}, takes a missing version as that default, rejects unknown versions`, () => {
    assert.equal(checkPairingVersion(PAIRING_API_VERSION), null);
    assert.equal(checkPairingVersion(undefined), null);
    assert.equal(checkPairingVersion('  '), null);
    const unknown = checkPairingVersion('2020-01-01');
    assert.equal(unknown?.code, 'version_unsupported');
    assert.equal(unknown?.status, 400);
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
    config: { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: true } },
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
    const others = [web('app_one'), web('app_off', { enabled: false }), web('app_api', { type: 'api', config: { type: 'api' } })];
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
    await assert.rejects(store.issue({ appId: 'app_a', appName: 'x' }), (e) => e instanceof PairingError && e.code === 'capacity_exhausted');
  });
});
