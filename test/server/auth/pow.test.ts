import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createChallenge as createV2Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { RunningServer } from '../../../server/index.js';
import { ProofOfWork } from '../../../server/auth/pow.js';
import { ServerError } from '../../../server/core/errors.js';
import { MemoryReplayStore } from '../../../server/state/memory/replay-store.js';
import { StoreUnavailableError } from '../../../server/state/store-errors.js';
import {
  POW_SECRET,
  encodePayload,
  expectProblem,
  expiredV1Payload,
  powSettings,
  requestSession,
  solveV1Payload,
  solveV2Payload,
  solvedV1Payload,
  solvedV2Payload,
  startTestServer,
} from '../helpers.js';

const solutionHeader = (payload: unknown) => ({ 'x-inkeep-challenge-solution': encodePayload(payload) });

test('PoW off: challenge endpoint is 404 "PoW is not enabled" and sessions need no solution', async () => {
  const server = await startTestServer({ pow: null });
  try {
    const body = await expectProblem(await fetch(`${server.url}/run/auth/pow/challenge`), 404, 'not_found');
    assert.equal(body.detail, 'PoW is not enabled');
    assert.equal((await requestSession(server)).status, 200);
  } finally {
    await server.close();
  }
});

describe('PoW v1 (altcha-lib/v1)', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({ pow: powSettings('v1') });
  });
  after(() => server.close());

  test('challenge has the ALTCHA v1 shape, maxnumber = difficulty, expiry in the salt and as expiresAt (ms)', async () => {
    const res = await fetch(`${server.url}/run/auth/pow/challenge`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const ch = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(ch).sort(), ['algorithm', 'challenge', 'expiresAt', 'maxnumber', 'salt', 'signature']);
    assert.equal(ch.algorithm, 'SHA-256');
    assert.equal(ch.maxnumber, 1000);
    assert.match(String(ch.challenge), /^[0-9a-f]{64}$/);
    assert.match(String(ch.signature), /^[0-9a-f]{64}$/);
    const expires = Number(/\?expires=(\d+)/.exec(String(ch.salt))?.[1]);
    const expected = Math.floor(Date.now() / 1000) + 600;
    assert.ok(Math.abs(expires - expected) <= 2, `expires ${expires} vs ${expected}`);
    // The hosted server's `expiresAt`: the salt's instant in milliseconds, never later than it.
    assert.equal(ch.expiresAt, expires * 1000);
  });

  test('a solution from the library solver is accepted once, then refused as replayed', async () => {
    const payload = await solvedV1Payload(server);
    assert.equal((await requestSession(server, solutionHeader(payload))).status, 200);
    const body = await expectProblem(await requestSession(server, solutionHeader(payload)), 400, 'bad_request', { reason: 'pow_replayed' });
    assert.match(body.detail, /already been used/);
  });

  test('the same solution sent concurrently is accepted exactly once', async () => {
    const payload = await solvedV1Payload(server);
    const statuses = await Promise.all(Array.from({ length: 5 }, () => requestSession(server, solutionHeader(payload)).then((r) => r.status)));
    assert.deepEqual(statuses.sort(), [200, 400, 400, 400, 400]);
  });

  test('missing solution → 400 "…is required."', async () => {
    const body = await expectProblem(await requestSession(server), 400, 'bad_request', { reason: 'pow_required' });
    assert.equal(body.detail, 'Proof-of-work challenge solution is required.');
  });

  test('malformed base64 or JSON → 400 invalid', async () => {
    for (const header of ['%%%not-base64%%%', Buffer.from('{not json').toString('base64'), Buffer.from('"a string"').toString('base64'), Buffer.from('{}').toString('base64')]) {
      const body = await expectProblem(await requestSession(server, { 'x-inkeep-challenge-solution': header }), 400, 'bad_request', { reason: 'pow_invalid' });
      assert.match(body.detail, /^Proof-of-work challenge solution is invalid/);
    }
  });

  test('tampered signature, wrong number, tampered challenge or extended expiry → 400 invalid', async () => {
    const payload = await solvedV1Payload(server);
    const flip = (hex: string) => (hex[0] === 'a' ? 'b' : 'a') + hex.slice(1);
    const salt = String(payload.salt);
    const variants = [
      { ...payload, signature: flip(String(payload.signature)) },
      { ...payload, number: Number(payload.number) + 1 },
      { ...payload, challenge: flip(String(payload.challenge)) },
      { ...payload, salt: salt.replace(/expires=\d+/, `expires=${Math.floor(Date.now() / 1000) + 86_400}`) },
    ];
    for (const variant of variants) {
      const body = await expectProblem(await requestSession(server, solutionHeader(variant)), 400, 'bad_request', { reason: 'pow_invalid' });
      assert.equal(body.detail, 'Proof-of-work challenge solution is invalid.');
    }
    // The untouched payload still works: the refusals above did not consume it.
    assert.equal((await requestSession(server, solutionHeader(payload))).status, 200);
  });

  test('expired challenge → 400 "…has expired. Please request a new challenge."', async () => {
    const body = await expectProblem(await requestSession(server, solutionHeader(await expiredV1Payload())), 400, 'bad_request', { reason: 'pow_expired' });
    assert.equal(body.detail, 'Proof-of-work challenge has expired. Please request a new challenge.');
  });

  test('a challenge signed with another secret is invalid', async () => {
    const other = await startTestServer({ pow: powSettings('v1', { hmacSecret: 'z'.repeat(40) }) });
    try {
      const payload = await solvedV1Payload(other);
      await expectProblem(await requestSession(server, solutionHeader(payload)), 400, 'bad_request', { reason: 'pow_invalid' });
    } finally {
      await other.close();
    }
  });

  test('PoW runs after the origin check', async () => {
    await expectProblem(await requestSession(server, { origin: 'https://evil.test' }), 403, 'forbidden');
  });
});

describe('PoW v2 (altcha-lib v2)', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({ pow: powSettings('v2') });
  });
  after(() => server.close());

  test('challenge is a signed v2 challenge with an expiry', async () => {
    const ch = (await (await fetch(`${server.url}/run/auth/pow/challenge`)).json()) as { parameters: Record<string, unknown>; signature: string };
    assert.equal(ch.parameters.algorithm, 'SHA-256');
    assert.match(ch.signature, /^[0-9a-f]{64}$/);
    const expected = Math.floor(Date.now() / 1000) + 600;
    assert.ok(Math.abs(Number(ch.parameters.expiresAt) - expected) <= 2);
  });

  test('the library v2 solver solution is accepted once', async () => {
    const payload = await solvedV2Payload(server);
    assert.equal((await requestSession(server, solutionHeader(payload))).status, 200);
    const body = await expectProblem(await requestSession(server, solutionHeader(payload)), 400, 'bad_request', { reason: 'pow_replayed' });
    assert.match(body.detail, /already been used/);
  });

  test('wrong counter, tampered key, tampered parameters or signature → 400 invalid', async () => {
    const payload = await solvedV2Payload(server);
    const { challenge, solution } = payload;
    const variants = [
      { challenge, solution: { ...solution, counter: solution.counter + 1 } },
      { challenge, solution: { ...solution, derivedKey: '00'.repeat(32) } },
      { challenge: { ...challenge, parameters: { ...challenge.parameters, expiresAt: Number(challenge.parameters.expiresAt) + 86_400 } }, solution },
      { challenge: { ...challenge, signature: '0'.repeat(64) }, solution },
      { challenge: { ...challenge, parameters: { ...challenge.parameters, nonce: 'zz' } }, solution },
    ];
    for (const variant of variants) {
      const body = await expectProblem(await requestSession(server, solutionHeader(variant)), 400, 'bad_request', { reason: 'pow_invalid' });
      assert.equal(body.detail, 'Proof-of-work challenge solution is invalid.');
    }
    assert.equal((await requestSession(server, solutionHeader(payload))).status, 200);
  });

  test('expired v2 challenge → 400 expired', async () => {
    const challenge = await createV2Challenge({
      algorithm: 'SHA-256',
      cost: 1,
      counter: 10,
      deriveKey,
      expiresAt: Math.floor(Date.now() / 1000) - 60,
      hmacSignatureSecret: POW_SECRET,
    });
    const body = await expectProblem(await requestSession(server, solutionHeader(await solveV2Payload(challenge))), 400, 'bad_request', { reason: 'pow_expired' });
    assert.match(body.detail, /has expired/);
  });

  test('a v1 payload is not accepted by a v2 server', async () => {
    const v1 = await expiredV1Payload();
    await expectProblem(await requestSession(server, solutionHeader(v1)), 400, 'bad_request', { reason: 'pow_invalid' });
  });
});

test('in-memory replay store full of live entries → unavailable (503, Retry-After 30), no eviction', async () => {
  const pow = new ProofOfWork(powSettings('v1'), { replay: new MemoryReplayStore({ maxEntries: 1 }) });
  const solve = async () => encodePayload(await solveV1Payload((await pow.issue()) as Parameters<typeof solveV1Payload>[0]));
  const first = await solve();
  await pow.redeem(first);
  await assert.rejects(pow.redeem(await solve()), (e: unknown) => e instanceof StoreUnavailableError && e.retryAfterSeconds === 30);
  await assert.rejects(pow.redeem(first), (e: unknown) => e instanceof ServerError && e.code === 'bad_request' && e.reason === 'pow_replayed' && /already been used/.test(e.detail));
});

test('every refusal names its reason; a budget refusal (429) carries none', async () => {
  const pow = new ProofOfWork(powSettings('v1', { sessionsPerAddress: { burst: 1, perMinute: 1 } }));
  const reasonOf = (e: unknown) => (e instanceof ServerError ? e.reason : 'not a ServerError');
  const solve = async () => encodePayload(await solveV1Payload((await pow.issue()) as Parameters<typeof solveV1Payload>[0]));
  await assert.rejects(pow.redeem(undefined), (e) => reasonOf(e) === 'pow_required');
  await assert.rejects(pow.redeem('%%%'), (e) => reasonOf(e) === 'pow_invalid');
  await assert.rejects(pow.redeem(encodePayload(await expiredV1Payload())), (e) => reasonOf(e) === 'pow_expired');
  await pow.redeem(await solve());
  await assert.rejects(
    pow.redeem(await solve()),
    (e: unknown) => e instanceof ServerError && e.code === 'too_many_requests' && e.reason === undefined,
  );
});
