import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withStores, type OpenStores } from './harness.js';

export function replayContract(open: OpenStores): void {
  describe('ReplayStore', () => {
    it('accepts a key once while it lives, including at its expiry instant', () =>
      withStores(open, async ({ replay }, clock) => {
        const expires = clock.now() + 1_000;
        assert.equal(await replay.consume('a', expires), 'accepted');
        assert.equal(await replay.consume('a', expires), 'replayed');
        assert.equal(await replay.consume('b', expires), 'accepted', 'keys are independent');
        clock.advance(1_000);
        assert.equal(await replay.consume('a', expires), 'replayed');
      }));

    it('forgets a key after it expired (its challenge no longer verifies anyway)', () =>
      withStores(open, async ({ replay }, clock) => {
        assert.equal(await replay.consume('a', clock.now() + 1_000), 'accepted');
        clock.advance(1_001);
        assert.equal(await replay.consume('a', clock.now() + 1_000), 'accepted');
        assert.equal(await replay.consume('a', clock.now() + 1_000), 'replayed');
      }));

    it('seen reads a live key without consuming anything; an expired one is not seen', () =>
      withStores(open, async ({ replay }, clock) => {
        assert.equal(await replay.seen('a'), false);
        assert.equal(await replay.seen('a'), false, 'seen consumed nothing');
        assert.equal(await replay.consume('a', clock.now() + 1_000), 'accepted', 'nor did it block a consume');
        assert.equal(await replay.seen('a'), true);
        assert.equal(await replay.seen('b'), false);
        clock.advance(1_000);
        assert.equal(await replay.seen('a'), true, 'live at its expiry instant, as consume says');
        clock.advance(1);
        assert.equal(await replay.seen('a'), false);
      }));

    it('of many concurrent offers of one key exactly one is accepted', () =>
      withStores(open, async ({ replay }, clock) => {
        const results = await Promise.all(Array.from({ length: 20 }, () => replay.consume('race', clock.now() + 60_000)));
        assert.equal(results.filter((r) => r === 'accepted').length, 1);
      }));
  });
}

export function rateLimitContract(open: OpenStores): void {
  describe('RateLimitStore', () => {
    const rule = { burst: 2, perMinute: 6 };

    it('allows a burst, then refuses with the seconds until a token is regained', () =>
      withStores(open, async ({ rateLimits }, clock) => {
        assert.deepEqual(await rateLimits.take('ip:1', rule), { allowed: true, remaining: 1 });
        assert.deepEqual(await rateLimits.take('ip:1', rule), { allowed: true, remaining: 0 });
        assert.deepEqual(await rateLimits.take('ip:1', rule), { allowed: false, remaining: 0, retryAfterSeconds: 10 });
        assert.deepEqual(await rateLimits.take('ip:2', rule), { allowed: true, remaining: 1 }, 'keys are independent');
        clock.advance(4_000);
        assert.deepEqual(await rateLimits.peek('ip:1', rule), { allowed: false, remaining: 0, retryAfterSeconds: 6 });
        clock.advance(6_000);
        assert.deepEqual(await rateLimits.take('ip:1', rule), { allowed: true, remaining: 0 });
      }));

    it('peek never spends, and a refused take spends nothing', () =>
      withStores(open, async ({ rateLimits }) => {
        for (let i = 0; i < 5; i++) assert.equal((await rateLimits.peek('k', rule)).allowed, true);
        await rateLimits.take('k', rule, 2);
        assert.equal((await rateLimits.take('k', rule)).allowed, false);
        assert.equal((await rateLimits.take('k', rule)).allowed, false);
      }));

    it('spends a cost of several tokens at once, never partially', () =>
      withStores(open, async ({ rateLimits }, clock) => {
        const big = { burst: 10, perMinute: 60 };
        assert.deepEqual(await rateLimits.take('k', big, 7), { allowed: true, remaining: 3 });
        assert.deepEqual(await rateLimits.take('k', big, 4), { allowed: false, remaining: 0, retryAfterSeconds: 1 });
        clock.advance(1_000);
        assert.deepEqual(await rateLimits.take('k', big, 4), { allowed: true, remaining: 0 });
        clock.advance(60_000);
        assert.deepEqual(await rateLimits.peek('k', big), { allowed: true, remaining: 9 }, 'refills up to burst only');
      }));

    it('concurrent takes never spend more than the bucket holds', () =>
      withStores(open, async ({ rateLimits }) => {
        const results = await Promise.all(Array.from({ length: 12 }, () => rateLimits.take('shared', { burst: 3, perMinute: 1 })));
        assert.equal(results.filter((r) => r.allowed).length, 3);
      }));

    it('rejects nonsensical rules and costs', () =>
      withStores(open, async ({ rateLimits }) => {
        await assert.rejects(rateLimits.take('k', { burst: 0, perMinute: 1 }), RangeError);
        await assert.rejects(rateLimits.take('k', { burst: 2, perMinute: 1 }, 3), RangeError);
      }));
  });
}
