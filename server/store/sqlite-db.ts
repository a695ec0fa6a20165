import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './sqlite-migrations.js';

/** Default database location, relative to the working directory. */
export const DEFAULT_DB_PATH = './.data/ink-auth.db';

/** Resolves the database path from `INK_AUTH_DB` (default `./.data/ink-auth.db`). */
export function dbPathFromEnv(env: NodeJS.ProcessEnv): string {
  const configured = env.INK_AUTH_DB?.trim();
  return configured ? configured : DEFAULT_DB_PATH;
}

/**
 * Opens (creating the directory and file if needed) and migrates the SQLite
 * database. `:memory:` gives a throwaway database for tests.
 */
export function openDatabase(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // Two servers briefly sharing a file during a restart wait instead of failing.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
