import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerError } from '../../../../server/core/errors.js';
import { rejectsCode, withStores, type OpenStores } from './harness.js';

const wrong = (code: string) => (code === '0000' ? '0001' : '0000');
const TTL = 5 * 60_000;

export function pairingChallengeContract(open: OpenStores): void {
  describe('PairingChallengeStore', () => {
    it('issues a 24-hex id and a 4-digit code, redeemable once', () =>
      withStores(open, async ({ challenges }, clock) => {
        const created = await challenges.create('app_a', 'My Chat');
        assert.match(created.challengeId, /^[0-9a-f]{24}$/);
        assert.match(created.code, /^[0-9]{4}$/);
        assert.equal(created.expiresAt.getTime(), clock.now() + TTL);
        assert.deepEqual(await challenges.redeem(created.challengeId, created.code), { appId: 'app_a', appName: 'My Chat' });
        await rejectsCode(challenges.redeem(created.challengeId, created.code), 'challenge_used');
      }));

    it('keeps the challenge after a wrong code, then locks it after 5: the right one no longer works', () =>
      withStores(open, async ({ challenges }) => {
        const { challengeId, code } = await challenges.create('app_a', 'x');
        const first = await rejectsCode(challenges.redeem(challengeId, wrong(code)), 'code_incorrect');
        assert.equal(first.extensions['attemptsRemaining'], 4);
        for (let i = 0; i < 3; i++) await rejectsCode(challenges.redeem(challengeId, wrong(code)), 'code_incorrect');
        await rejectsCode(challenges.redeem(challengeId, wrong(code)), 'challenge_locked');
        await rejectsCode(challenges.redeem(challengeId, code), 'challenge_locked');
        const retry = await challenges.create('app_a', 'y');
        await rejectsCode(challenges.redeem(retry.challengeId, wrong(retry.code)), 'code_incorrect');
        assert.equal((await challenges.redeem(retry.challengeId, retry.code)).appName, 'y');
      }));

    it('expires after its lifetime, then is forgotten after another lifetime', () =>
      withStores(open, async ({ challenges }, clock) => {
        const { challengeId, code } = await challenges.create('app_a', 'x');
        clock.advance(TTL - 1);
        const early = await challenges.create('app_a', 'y');
        clock.advance(1);
        await rejectsCode(challenges.redeem(challengeId, code), 'challenge_expired');
        assert.equal((await challenges.redeem(early.challengeId, early.code)).appName, 'y');
        clock.advance(TTL);
        await rejectsCode(challenges.redeem(challengeId, code), 'challenge_not_found');
      }));

    it('answers not found for an unknown challenge', () =>
      withStores(open, async ({ challenges }) => {
        await rejectsCode(challenges.redeem('0'.repeat(24), '1234'), 'challenge_not_found');
      }));

    it('of concurrent redeems with the right code exactly one succeeds', () =>
      withStores(open, async ({ challenges }) => {
        const { challengeId, code } = await challenges.create('app_a', 'x');
        const results = await Promise.allSettled(Array.from({ length: 8 }, () => challenges.redeem(challengeId, code)));
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        for (const r of results) {
          if (r.status === 'rejected') assert.equal((r.reason as ServerError).reason, 'challenge_used');
        }
      }));

    it('counts every one of concurrent wrong codes', () =>
      withStores(open, async ({ challenges }) => {
        const { challengeId, code } = await challenges.create('app_a', 'x');
        await Promise.allSettled(Array.from({ length: 5 }, () => challenges.redeem(challengeId, wrong(code))));
        await rejectsCode(challenges.redeem(challengeId, code), 'challenge_locked');
      }));

    it('bounds live challenges per app (default 100); tombstones never count against a newcomer', () =>
      withStores(open, async ({ challenges }) => {
        const opened = [];
        for (let i = 0; i < 100; i++) opened.push(await challenges.create('app_a', 'x'));
        const full = await rejectsCode(challenges.create('app_a', 'x'), 'capacity_exhausted');
        const wait = full.retryAfterSeconds ?? NaN;
        assert.ok(wait >= 1 && wait <= TTL / 1000, `Retry-After ${wait}`);
        assert.equal((await challenges.create('app_b', 'y')).code.length, 4, 'another app still opens challenges');
        for (const { challengeId, code } of opened) await challenges.redeem(challengeId, code);
        assert.equal((await challenges.create('app_a', 'x')).code.length, 4, 'used challenges no longer count');
      }));

    it('tells a challenge’s app, and refuses an attempt for another app before its code', () =>
      withStores(open, async ({ challenges }) => {
        const { challengeId, code } = await challenges.create('app_a', 'x');
        assert.equal(await challenges.appOf(challengeId), 'app_a');
        assert.equal(await challenges.appOf('0'.repeat(24)), undefined);
        for (let i = 0; i < 6; i++) await rejectsCode(challenges.redeem(challengeId, wrong(code), { appId: 'app_b' }), 'app_mismatch');
        await rejectsCode(challenges.redeem(challengeId, code, { appId: 'app_b' }), 'app_mismatch');
        assert.equal((await challenges.redeem(challengeId, code, { appId: 'app_a' })).appId, 'app_a');
      }));

    it('uses a requested id, and never counts a wrong code of someone other than the creator', () =>
      withStores(open, async ({ challenges }) => {
        const requested = 'ab'.repeat(12);
        const { challengeId, code } = await challenges.create('app_a', 'x', requested);
        assert.equal(challengeId, requested);
        for (let i = 0; i < 8; i++) {
          const refused = await rejectsCode(challenges.redeem(challengeId, wrong(code), { byCreator: false }), 'code_incorrect');
          assert.equal(refused.extensions['attemptsRemaining'], 5);
        }
        assert.equal((await challenges.redeem(challengeId, code, { byCreator: false })).appId, 'app_a', 'the right code works from anywhere');
      }));
  });
}

export function pairedKeyContract(open: OpenStores): void {
  describe('ApiKeyStore (paired keys)', () => {
    it('issues a base64 key of 32 bytes that verifies, and revokes it', () =>
      withStores(open, async ({ pairedKeys }) => {
        const { apiKey, record } = await pairedKeys.issue({ appId: 'app_a', appName: 'Chat' });
        assert.equal(Buffer.from(apiKey, 'base64').length, 32);
        assert.match(record.id, /^key_[0-9a-f]{16}$/);
        assert.ok(!JSON.stringify(record).includes(apiKey), 'the record never carries the key');
        assert.deepEqual(await pairedKeys.verify(apiKey), { ok: true, record });
        assert.deepEqual(await pairedKeys.get(record.id), record);
        assert.deepEqual(await pairedKeys.verify(`${apiKey.slice(0, -2)}==`), { ok: false, reason: 'invalid' });
        assert.equal(await pairedKeys.revoke(record.id), true);
        assert.equal(await pairedKeys.revoke(record.id), false);
        assert.deepEqual(await pairedKeys.verify(apiKey), { ok: false, reason: 'invalid' });
        assert.equal(await pairedKeys.get(record.id), undefined);
      }));

    it('refuses a key as expired after its lifetime (30 days)', () =>
      withStores(open, async ({ pairedKeys }, clock) => {
        const { apiKey } = await pairedKeys.issue({ appId: 'app_a', appName: 'Chat' });
        clock.advance(30 * 24 * 3600_000 - 1);
        assert.equal((await pairedKeys.verify(apiKey)).ok, true);
        clock.advance(1);
        assert.deepEqual(await pairedKeys.verify(apiKey), { ok: false, reason: 'expired' });
      }));

    it('answers invalid for empty, oversized and unknown keys', () =>
      withStores(open, async ({ pairedKeys }) => {
        for (const key of ['', 'x'.repeat(1000), Buffer.alloc(32).toString('base64')]) {
          assert.deepEqual(await pairedKeys.verify(key), { ok: false, reason: 'invalid' });
        }
      }));
  });
}
