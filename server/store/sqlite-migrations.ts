import type Database from 'better-sqlite3';

/**
 * Ordered schema migrations. Entry i brings the schema from version i to i + 1;
 * the current version lives in SQLite's `user_version` pragma. Never edit a
 * shipped entry: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE apps (
     id               TEXT PRIMARY KEY,
     tenant_id        TEXT,
     project_id       TEXT NOT NULL,
     name             TEXT NOT NULL,
     description      TEXT,
     type             TEXT NOT NULL CHECK (type IN ('web_client', 'api', 'support_copilot')),
     default_agent_id TEXT,
     enabled          INTEGER NOT NULL DEFAULT 1,
     config           TEXT NOT NULL,
     last_used_at     TEXT,
     created_at       TEXT NOT NULL,
     updated_at       TEXT NOT NULL
   );
   CREATE INDEX apps_scope ON apps (tenant_id, project_id, created_at, id);

   CREATE TABLE credential_references (
     tenant_id           TEXT NOT NULL,
     project_id          TEXT NOT NULL,
     id                  TEXT NOT NULL,
     name                TEXT NOT NULL,
     type                TEXT NOT NULL CHECK (type IN ('memory', 'keychain', 'nango')),
     credential_store_id TEXT NOT NULL,
     retrieval_params    TEXT,
     tool_id             TEXT,
     user_id             TEXT,
     created_by          TEXT,
     created_at          TEXT NOT NULL,
     updated_at          TEXT NOT NULL,
     PRIMARY KEY (tenant_id, project_id, id)
   );
   CREATE INDEX credential_references_order ON credential_references (tenant_id, project_id, created_at, id);`,
];

/** Thrown when the database file was written by a newer ink-auth than this one. */
export class SchemaTooNewError extends Error {
  readonly code = 'schema_too_new';
  constructor(found: number, known: number) {
    super(`Database schema version ${found} is newer than this server knows (${known}); upgrade ink-auth.`);
    this.name = 'SchemaTooNewError';
  }
}

/** Applies every pending migration in one transaction; returns the resulting version. */
export function migrate(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) throw new SchemaTooNewError(current, MIGRATIONS.length);
  const apply = db.transaction(() => {
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version] as string);
    }
    // pragma cannot be bound as a parameter; the value is our own integer.
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  });
  apply();
  return MIGRATIONS.length;
}
