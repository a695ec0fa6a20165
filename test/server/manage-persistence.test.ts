import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openDatabase } from '../../server/store/sqlite-db.js';
import { MIGRATIONS, SchemaTooNewError, migrate } from '../../server/store/sqlite-migrations.js';
import { startManageServer, tempDbPath, webAppBody } from './manage-fixture.js';

describe('manage API: persistence', () => {
  test('apps and credentials survive a restart on the same database file', async () => {
    const { dbPath, cleanup } = tempDbPath();
    try {
      const first = await startManageServer(dbPath);
      assert.ok(existsSync(dbPath), 'database file and its directory created');
      const app = (await first.call('POST', '/apps', webAppBody({ name: 'Persistent' }))).body.data.app;
      await first.call('PATCH', '/apps/app_inkauthdemo0000000000', { name: 'Demo renamed' });
      const cred = (await first.call('POST', '/credentials', { id: 'kept', name: 'Kept', type: 'memory', credentialStoreId: 'memory-default', retrievalParams: { key: 'k' } })).body.data;
      await first.call('POST', '/credentials', { id: 'gone', name: 'Gone', type: 'memory', credentialStoreId: 'memory-default' });
      await first.call('DELETE', '/credentials/gone');
      await first.server.close();

      const second = await startManageServer(dbPath);
      try {
        assert.deepEqual((await second.call('GET', `/apps/${app.id}`)).body.data, app);
        assert.deepEqual((await second.call('GET', '/credentials/kept')).body.data, cred);
        assert.equal((await second.call('GET', '/credentials/gone')).status, 404);
        // Seeded apps are upserted from config at start: the config name wins again.
        assert.equal((await second.call('GET', '/apps/app_inkauthdemo0000000000')).body.data.name, 'ink-auth demo');
        const session = await fetch(`${second.server.url}/run/auth/apps/${app.id}/anonymous-session`, { method: 'POST', headers: { origin: 'http://localhost' } });
        assert.equal(session.status, 200, 'an app created before the restart still issues sessions');
        await session.body?.cancel();
      } finally {
        await second.server.close();
      }
    } finally {
      cleanup();
    }
  });

  test('lastUsedAt is recorded by session issue and persisted', async () => {
    const { dbPath, cleanup } = tempDbPath();
    try {
      const h = await startManageServer(dbPath);
      const app = (await h.call('POST', '/apps', webAppBody())).body.data.app;
      const res = await fetch(`${h.server.url}/run/auth/apps/${app.id}/anonymous-session`, { method: 'POST', headers: { origin: 'http://localhost' } });
      await res.body?.cancel();
      await h.server.close();
      const restarted = await startManageServer(dbPath);
      const stored = (await restarted.call('GET', `/apps/${app.id}`)).body.data;
      await restarted.server.close();
      assert.equal(app.lastUsedAt, null);
      assert.ok(Date.parse(stored.lastUsedAt) >= Date.parse(app.createdAt), String(stored.lastUsedAt));
    } finally {
      cleanup();
    }
  });
});

describe('schema migrations', () => {
  test('a fresh database reaches the latest version; migrating again is a no-op', () => {
    const db = openDatabase(':memory:');
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.equal(migrate(db), MIGRATIONS.length);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
    assert.deepEqual(tables.map((t) => t.name), ['apps', 'credential_references']);
    db.close();
  });

  test('a database from a newer version is refused, not damaged', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    assert.throws(() => migrate(db), SchemaTooNewError);
    db.close();
  });
});
