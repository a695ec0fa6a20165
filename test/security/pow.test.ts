import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createChallenge as createV1Challenge } from 'altcha-lib/v1';
import type { Challenge as V2Challenge } from 'altcha-lib';
import type { PowRefusalReason } from '../../server/auth/pow.js';
import { encodePayload, expectProblem, solveV1Payload, solveV2Payload } from '../server/helpers.js';
import { ALLOWED_ORIGIN, APP_ID, POW_SECRET, smallPow, startSecurityServer, type SecurityServer } from './harness.js';

type V1Payload = Awaited<ReturnType<typeof solveV1Payload>>;

function session(h: SecurityServer, solution: string): Promise<Response> {
  return fetch(`${h.url}/run/auth/apps/${APP_ID}/anonymous-session`, {
    method: 'POST',
    headers: { origin: ALLOWED_ORIGIN, 'x-inkeep-challenge-solution': solution },
  });
}

/** What each refusal reason's detail says (the reason, not the text, is what clients branch on). */
const DETAIL_OF_REASON: Record<PowRefusalReason, RegExp> = {
  pow_required: /is required/,
  pow_invalid: /is invalid/,
  pow_expired: /has expired/,
  pow_replayed: /already been used/,
};

async function expectRefused(res: Response, detail: RegExp): Promise<void> {
  const { reason } = (await res.clone().json()) as { reason?: unknown };
  assert.ok(Object.hasOwn(DETAIL_OF_REASON, String(reason)), `reason ${String(reason)}`);
  const body = await expectProblem(res, 400, 'bad_request', { reason: String(reason) });
  assert.match(body.detail, detail);
  assert.match(body.detail, DETAIL_OF_REASON[reason as PowRefusalReason]);
}

/** Replaces `expires=<n>` in a v1 salt. */
const withExpires = (salt: string, expires: number) => salt.replace(/expires=\d+/, `expires=${expires}`);

describe('proof of work, v1 (hosted format)', () => {
  let h: SecurityServer;
  before(async () => {
    h = await startSecurityServer({ pow: smallPow() });
  });
  after(() => h.close());

  async function solved(): Promise<V1Payload> {
    const res = await fetch(`${h.url}/run/auth/pow/challenge`);
    assert.equal(res.status, 200);
    return solveV1Payload((await res.json()) as Parameters<typeof solveV1Payload>[0]);
  }

  test('control: a fresh solution is accepted once', async () => {
    const res = await session(h, encodePayload(await solved()));
    assert.equal(res.status, 200);
    await res.body?.cancel();
  });

  test('replay: the same solution again → 400, also when sent concurrently (exactly one wins)', async () => {
    const header = encodePayload(await solved());
    assert.equal((await session(h, header)).status, 200);
    await expectRefused(await session(h, header), /already been used/);
    // Re-encoded with reordered keys and `took` dropped: still the same challenge.
    const { took: _took, ...rest } = JSON.parse(Buffer.from(header, 'base64').toString()) as V1Payload;
    await expectRefused(await session(h, encodePayload(Object.fromEntries(Object.entries(rest).reverse()))), /already been used/);

    const concurrent = encodePayload(await solved());
    const statuses = await Promise.all(Array.from({ length: 10 }, async () => {
      const res = await session(h, concurrent);
      await res.body?.cancel();
      return res.status;
    }));
    assert.deepEqual(statuses.filter((s) => s === 200).length, 1, statuses.join(','));
    assert.ok(statuses.every((s) => s === 200 || s === 400));
  });

  test('tampered salt or expiry (signature kept) → 400 invalid', async () => {
    const payload = await solved();
    const expires = Number(/expires=(\d+)/.exec(payload.salt)?.[1]);
    assert.ok(expires > 0);
    const later = withExpires(payload.salt, expires + 86_400);
    const tamperedSalts = [later, `${payload.salt}x`, payload.salt.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))];
    for (const salt of tamperedSalts) await expectRefused(await session(h, encodePayload({ ...payload, salt })), /invalid/);
    // Even with the challenge recomputed for the new salt, the HMAC no longer matches.
    const challenge = createHash('sha256').update(`${later}${payload.number}`).digest('hex');
    await expectRefused(await session(h, encodePayload({ ...payload, salt: later, challenge })), /invalid/);
  });

  test('tampered number / maxnumber: a zero-work challenge for a chosen number keeps the old signature → 400', async () => {
    const payload = await solved();
    const number = 0;
    const challenge = createHash('sha256').update(`${payload.salt}${number}`).digest('hex');
    await expectRefused(await session(h, encodePayload({ ...payload, number, challenge })), /invalid/);
    await expectRefused(await session(h, encodePayload({ ...payload, number: payload.number + 1 })), /invalid/);
    // A client-side maxnumber is not part of what the server trusts: adding one changes nothing.
    await expectRefused(await session(h, encodePayload({ ...payload, number: 10 ** 12, maxnumber: 10 ** 13 })), /invalid/);
  });

  test('expired challenge, genuinely signed → 400 expired', async () => {
    const ch = await createV1Challenge({ hmacKey: POW_SECRET, maxnumber: 200, expires: new Date(Date.now() - 60_000) });
    await expectRefused(await session(h, encodePayload(await solveV1Payload(ch))), /expired/);
  });

  test('challenge signed under another secret → 400 invalid', async () => {
    const ch = await createV1Challenge({ hmacKey: 'another-pow-secret-0123456789abcdef0123', maxnumber: 200, expires: new Date(Date.now() + 600_000) });
    await expectRefused(await session(h, encodePayload(await solveV1Payload(ch))), /invalid/);
  });

  test('missing or non-base64 solution → 400', async () => {
    await expectRefused(await fetch(`${h.url}/run/auth/apps/${APP_ID}/anonymous-session`, { method: 'POST', headers: { origin: ALLOWED_ORIGIN } }), /required/);
    await expectRefused(await session(h, 'not base64!'), /invalid/);
  });
});

describe('proof of work, v2 (altcha-lib v2 format)', () => {
  let h: SecurityServer;
  before(async () => {
    h = await startSecurityServer({ pow: smallPow({ format: 'v2', difficulty: 50 }) });
  });
  after(() => h.close());

  async function solved() {
    const res = await fetch(`${h.url}/run/auth/pow/challenge`);
    return solveV2Payload((await res.json()) as V2Challenge);
  }

  test('control, then replay → 400', async () => {
    const header = encodePayload(await solved());
    assert.equal((await session(h, header)).status, 200);
    await expectRefused(await session(h, header), /already been used/);
  });

  test('each signed parameter tampered (expiry, salt, nonce, key prefix, cost) → 400', async () => {
    const payload = await solved();
    const p = payload.challenge.parameters as unknown as Record<string, unknown>;
    const flip = (s: unknown) => String(s).replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const changes: Array<Record<string, unknown>> = [
      { expiresAt: Number(p.expiresAt) + 86_400 },
      { salt: flip(p.salt) },
      { nonce: flip(p.nonce) },
      { keyPrefix: flip(p.keyPrefix) },
      { cost: Number(p.cost ?? 1) + 1 },
    ];
    for (const change of changes) {
      const tampered = { ...payload, challenge: { ...payload.challenge, parameters: { ...p, ...change } } };
      await expectRefused(await session(h, encodePayload(tampered)), /invalid|expired/);
    }
    await expectRefused(await session(h, encodePayload({ ...payload, challenge: { ...payload.challenge, signature: flip(payload.challenge.signature) } })), /invalid/);
  });
});
