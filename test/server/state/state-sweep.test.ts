import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { MAX_BATCHES_PER_PASS, sweepOnce } from '../../../server/state/sql/sweeper.js';
import { SWEEP_BATCH } from '../../../server/state/sql/dialect-helpers.js';
import { openState } from '../../../server/state/state.js';
import { fakeClock } from './store-contract/harness.js';
import { sql } from 'kysely';
import { openPostgres } from '../../../server/state/sql/connect.js';
import { postgresSkipReason, startPostgresCluster } from '../../../scripts/postgres-cluster.js';

const dir = mkdtempSync(join(tmpdir(), 'ink-auth-sweep-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function count(file: string, table: string): number {
  const reader = new Database(file, { readonly: true });
  try {
    return (reader.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    reader.close();
  }
}

test('the sweep deletes expired replay entries, challenges, full buckets and long-expired keys, keeping live rows', async () => {
  const file = join(dir, 'sweep.db');
  const clock = fakeClock();
  const state = await openState({ sqlitePath: file }, { now: clock.now, log: () => {} });
  try {
    for (let i = 0; i < SWEEP_BATCH * 2 + 7; i++) await state.replay.consume(`old${i}`, clock.now() + 1_000);
    await state.replay.consume('live', clock.now() + 40 * 24 * 3600_000);
    await state.rateLimits.take('ip:old', { burst: 5, perMinute: 60 });
    await state.rateLimits.take('ip:slow', { burst: 5, perMinute: 0.00001 });
    await state.challenges.create('app_a', 'old');
    const { apiKey } = await state.pairedKeys.issue({ appId: 'app_a', appName: 'old' });

    clock.advance(31 * 24 * 3600_000 + 60_000);
    await state.replay.consume('fresh', clock.now() + 1_000);
    await state.sweep();

    assert.equal(count(file, 'replay_entries'), 2, 'only the live and the fresh entry are left');
    assert.equal(count(file, 'rate_buckets'), 1, 'a bucket still refilling is kept');
    assert.equal(count(file, 'pairing_challenges'), 0);
    assert.equal(count(file, 'paired_api_keys'), 0, 'a key expired for over a day is gone');
    assert.deepEqual(await state.pairedKeys.verify(apiKey), { ok: false, reason: 'invalid' });
    assert.equal(await state.replay.consume('live', clock.now() + 1_000), 'replayed');
  } finally {
    await state.close();
  }
});

test('one pass does bounded work per table, and a failing table does not stop the others', async () => {
  let calls = 0;
  const lines: string[] = [];
  let other = 0;
  await sweepOnce(
    [
      { name: 'endless', sweep: async () => (calls++, SWEEP_BATCH) },
      { name: 'broken', sweep: async () => Promise.reject(new Error('connection string postgres://u:secret@h/db')) },
      { name: 'other', sweep: async () => (other++, 0) },
    ],
    (line) => lines.push(line),
  );
  assert.equal(calls, MAX_BATCHES_PER_PASS);
  assert.equal(other, 1);
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? '', /sweep of broken failed \(Error\)/);
  assert.ok(!lines[0]?.includes('secret'));
});

const pgSkip = postgresSkipReason();

test('on PostgreSQL the sweep deletes expired rows batch by batch as well', { skip: pgSkip ?? false }, async () => {
  const cluster = await startPostgresCluster();
  const clock = fakeClock();
  try {
    const url = await cluster.createDatabase();
    const state = await openState({ databaseUrl: url, sqlitePath: ':memory:' }, { now: clock.now, log: () => {} });
    const probe = await openPostgres(url);
    try {
      for (let i = 0; i < SWEEP_BATCH * 2 + 7; i++) await state.replay.consume(`old${i}`, clock.now() + 1_000);
      await state.replay.consume('live', clock.now() + 40 * 24 * 3600_000);
      await state.rateLimits.take('ip:old', { burst: 5, perMinute: 60 });
      await state.challenges.create('app_a', 'old');
      clock.advance(31 * 24 * 3600_000 + 60_000);
      await state.sweep();
      const rows = async (table: string) =>
        Number((await sql<{ n: string }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(probe.db)).rows[0]?.n);
      assert.equal(await rows('replay_entries'), 1, 'only the live entry is left, past two full batches');
      assert.equal(await rows('rate_buckets'), 0);
      assert.equal(await rows('pairing_challenges'), 0);
    } finally {
      await probe.close();
      await state.close();
    }
  } finally {
    await cluster.destroy();
  }
});
