import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplayGuard } from '../../server/domain/replay-guard.js';

test('a key is accepted once while it lives', () => {
  let now = 1_000;
  const guard = new ReplayGuard({ now: () => now });
  assert.equal(guard.consume('a', 2_000), 'accepted');
  assert.equal(guard.consume('a', 2_000), 'replayed');
  now = 2_000;
  assert.equal(guard.consume('a', 2_000), 'replayed', 'still live at its expiry instant');
});

test('expired entries are dropped, so memory follows live challenges only', () => {
  let now = 0;
  const guard = new ReplayGuard({ now: () => now });
  for (let i = 0; i < 100; i++) guard.consume(`k${i}`, 1_000);
  assert.equal(guard.size, 100);
  now = 1_001;
  guard.consume('fresh', 5_000);
  assert.equal(guard.size, 1);
});

test('when full of live entries it refuses instead of evicting (no replay window)', () => {
  let now = 0;
  const guard = new ReplayGuard({ maxEntries: 3, now: () => now });
  assert.equal(guard.consume('a', 1_000), 'accepted');
  assert.equal(guard.consume('b', 1_000), 'accepted');
  assert.equal(guard.consume('c', 1_000), 'accepted');
  assert.equal(guard.consume('d', 1_000), 'full');
  assert.equal(guard.consume('a', 1_000), 'replayed', 'a live entry was never evicted');
  assert.equal(guard.size, 3);
  now = 1_001;
  assert.equal(guard.consume('d', 2_000), 'accepted', 'room again once entries expire');
});

test('a full sweep frees expired entries that are not at the front', () => {
  let now = 0;
  const guard = new ReplayGuard({ maxEntries: 2, now: () => now });
  guard.consume('long', 10_000);
  guard.consume('short', 500);
  now = 600;
  assert.equal(guard.consume('new', 10_000), 'accepted');
  assert.equal(guard.size, 2);
});
