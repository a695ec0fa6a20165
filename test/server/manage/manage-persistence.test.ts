import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { openSqlite } from '../../../server/state/sql/connect.js';
import { MIGRATION_NAMES, SchemaTooNewError, migrateToLatest } from '../../../server/state/sql/migrations.js';
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
        // Config apps are only seeded when new (INK_AUTH_CONFIG_MODE=seed): the manage edit survives.
        assert.equal((await second.call('GET', '/apps/app_inkauthdemo0000000000')).body.data.name, 'Demo renamed');
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
  const applied = async (db: Kysely<unknown>) =>
    (await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db)).rows.map((r) => r.name);

  test('a fresh database reaches the latest version; migrating again is a no-op', async () => {
    const { db, close } = await openSqlite(':memory:');
    try {
      assert.deepEqual(await applied(db as Kysely<unknown>), [...MIGRATION_NAMES]);
      await migrateToLatest(db as Kysely<unknown>);
      assert.deepEqual(await applied(db as Kysely<unknown>), [...MIGRATION_NAMES]);
    } finally {
      await close();
    }
  });

  test('a database migrated by a newer version is refused, not damaged', async () => {
    const { db, close } = await openSqlite(':memory:');
    try {
      await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', '2030-01-01')`.execute(db);
      await assert.rejects(migrateToLatest(db as Kysely<unknown>), SchemaTooNewError);
      assert.equal((await applied(db as Kysely<unknown>)).length, MIGRATION_NAMES.length + 1);
    } finally {
      await close();
    }
  });

  test('a database written before the Kysely layer is adopted with its rows', async () => {
    const { dbPath, cleanup } = tempDbPath();
    try {
      mkdirSync(dirname(dbPath), { recursive: true });
      const raw = new Database(dbPath);
      // The schema and version marker the SQLite store wrote before the Kysely layer.
      raw.exec(`CREATE TABLE apps (id TEXT PRIMARY KEY, tenant_id TEXT, project_id TEXT NOT NULL, name TEXT NOT NULL,
          description TEXT, type TEXT NOT NULL, default_agent_id TEXT, enabled INTEGER NOT NULL DEFAULT 1,
          config TEXT NOT NULL, last_used_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
        CREATE INDEX apps_scope ON apps (tenant_id, project_id, created_at, id);
        CREATE TABLE credential_references (tenant_id TEXT NOT NULL, project_id TEXT NOT NULL, id TEXT NOT NULL,
          name TEXT NOT NULL, type TEXT NOT NULL, credential_store_id TEXT NOT NULL, retrieval_params TEXT, tool_id TEXT,
          user_id TEXT, created_by TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (tenant_id, project_id, id));
        CREATE INDEX credential_references_order ON credential_references (tenant_id, project_id, created_at, id);
        INSERT INTO credential_references VALUES ('t', 'p', 'old', 'Old', 'memory', 'memory-default', NULL, NULL, NULL, NULL, 'x', 'x');`);
      raw.pragma('user_version = 1');
      raw.close();
      const adopted = await openSqlite(dbPath);
      try {
        assert.deepEqual(await applied(adopted.db as Kysely<unknown>), [...MIGRATION_NAMES]);
        assert.equal((await adopted.db.selectFrom('credential_references').select('id').execute())[0]?.id, 'old');
      } finally {
        await adopted.close();
      }
    } finally {
      cleanup();
    }
  });
});
