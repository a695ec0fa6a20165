import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryApiKeyStore } from '../../../server/state/api-keys.js';
import { MemoryConversationStore } from '../../../server/state/memory/conversation-store.js';
import { MemoryPairingChallengeStore } from '../../../server/state/memory/pairing-challenge-store.js';
import { MemoryRateLimitStore } from '../../../server/state/memory/rate-limit-store.js';
import { MemoryReplayStore } from '../../../server/state/memory/replay-store.js';
import { MemoryServiceApiKeyStore } from '../../../server/state/memory/service-api-key-store.js';
import { StoreUnavailableError } from '../../../server/state/store-errors.js';
import { storeContract } from './store-contract/index.js';
import { fakeClock, rejectsCode } from './store-contract/harness.js';

describe('memory stores: the contract', () => {
  storeContract(async (clock) => ({
    stores: {
      replay: new MemoryReplayStore({ now: clock.now }),
      rateLimits: new MemoryRateLimitStore({ now: clock.now }),
      challenges: new MemoryPairingChallengeStore({ now: clock.now }),
      pairedKeys: new InMemoryApiKeyStore({ now: clock.now }),
      serviceKeys: new MemoryServiceApiKeyStore({ now: clock.now }),
      conversations: new MemoryConversationStore({ now: clock.now }),
    },
    close: async () => {},
  }));
});

describe('memory stores: their bounds', () => {
  it('the replay store refuses (503) rather than evict a live entry, and has room once entries expire', async () => {
    const clock = fakeClock();
    const replay = new MemoryReplayStore({ maxEntries: 3, now: clock.now });
    for (const key of ['a', 'b', 'c']) assert.equal(await replay.consume(key, clock.now() + 1_000), 'accepted');
    const refusal = await replay.consume('d', clock.now() + 1_000).catch((error: unknown) => error);
    assert.ok(refusal instanceof StoreUnavailableError);
    assert.equal(refusal.retryAfterSeconds, 30);
    assert.equal(await replay.consume('a', clock.now() + 1_000), 'replayed', 'a live entry was never evicted');
    clock.advance(1_001);
    assert.equal(await replay.consume('d', clock.now() + 1_000), 'accepted');
    assert.equal(replay.size, 1);
  });

  it('the replay store frees expired entries that are not at the front', async () => {
    const clock = fakeClock(0);
    const replay = new MemoryReplayStore({ maxEntries: 2, now: clock.now });
    await replay.consume('long', 10_000);
    await replay.consume('short', 500);
    clock.advance(600);
    assert.equal(await replay.consume('new', 10_000), 'accepted');
    assert.equal(replay.size, 2);
  });

  it('the rate-limit store tracks a bounded number of keys, forgetting the least recently seen', async () => {
    const limits = new MemoryRateLimitStore({ maxKeys: 100 });
    const rule = { burst: 1, perMinute: 1 };
    for (let i = 0; i < 1000; i++) await limits.take(`ip:${i}`, rule);
    assert.equal(limits.size, 100);
    assert.equal((await limits.take('ip:999', rule)).allowed, false, 'a recent key is still counted');
  });

  it('the challenge store refuses new challenges when full of live ones, with the delay until one expires', async () => {
    const clock = fakeClock();
    const challenges = new MemoryPairingChallengeStore({ now: clock.now, maxChallenges: 3 });
    for (let i = 0; i < 3; i++) await challenges.create('app_a', `c${i}`);
    const error = await rejectsCode(challenges.create('app_a', 'd'), 'capacity_exhausted');
    assert.equal(error.retryAfterSeconds, 300);
    clock.advance(5 * 60_000);
    await challenges.create('app_a', 'e'); // the expired ones stay as tombstones, which never count
    assert.equal(challenges.size, 4);
    clock.advance(10 * 60_000);
    await challenges.create('app_a', 'f');
    assert.equal(challenges.size, 1, 'tombstones are forgotten one lifetime after expiry');
  });

  it('the challenge store draws codes over the whole 0000…9999 range', async () => {
    const challenges = new MemoryPairingChallengeStore({ maxChallenges: 5000, maxChallengesPerApp: 5000 });
    const codes = new Set<string>();
    for (let i = 0; i < 3000; i++) codes.add((await challenges.create('app_a', 'x')).code);
    assert.ok(codes.size > 2000, `only ${codes.size} distinct codes in 3000 draws`);
    assert.ok([...codes].some((c) => c.startsWith('0')), 'leading zeros are kept');
  });

  it('the service-key store drops expired keys before refusing when full', async () => {
    const clock = fakeClock();
    const keys = new MemoryServiceApiKeyStore({ maxKeys: 2, now: clock.now });
    const input = { tenantId: 't', projectId: 'p', appId: 'a', agentId: 'g', name: 'n' };
    await keys.create({ ...input, expiresAt: new Date(clock.now() + 1_000).toISOString() });
    await keys.create({ ...input, expiresAt: null });
    await assert.rejects(keys.create({ ...input, expiresAt: null }), StoreUnavailableError);
    clock.advance(1_000);
    await keys.create({ ...input, expiresAt: null });
    assert.equal((await keys.list({ tenantId: 't', projectId: 'p' }, { page: 1, limit: 10 })).pagination.total, 2);
  });

  it('the conversation store keeps a bounded number of events', async () => {
    const conversations = new MemoryConversationStore({ maxEvents: 5 });
    const owner = { tenantId: 't', projectId: 'p', appId: 'a', ownerId: 'anon_1' };
    for (let i = 0; i < 20; i++) {
      await conversations.addEvent(owner, { type: 'e', conversationId: null, messageId: null, properties: i });
    }
    assert.equal(conversations.eventCount, 5);
  });
});
