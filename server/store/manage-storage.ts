import type Database from 'better-sqlite3';
import { ConfigError } from '../config-error.js';
import { AdminKeyConfigError, parseAdminKeys, type AdminKey } from '../domain/admin-auth.js';
import type { AppRecord } from './app-registry.js';
import type { CredentialStoreRegistry } from './credential-store.js';
import { defaultCredentialStores } from './default-credential-stores.js';
import { SqliteAppStore } from './sqlite-app-store.js';
import { SqliteCredentialReferenceStore } from './sqlite-credential-references.js';
import { dbPathFromEnv, openDatabase } from './sqlite-db.js';

/** Persistence and access settings of the manage API (`ServerConfig.manage`). */
export interface ManageSettings {
  /** SQLite file (`INK_AUTH_DB`, default `./.data/ink-auth.db`); `:memory:` for a throwaway database. */
  dbPath: string;
  /** Parsed `INK_AUTH_ADMIN_KEYS` (digests only). */
  adminKeys: AdminKey[];
  /** Credential stores to offer; default `memory-default`, `keychain-default`, `nango-default` from the environment. */
  stores?: CredentialStoreRegistry;
}

/**
 * Reads `INK_AUTH_DB` and `INK_AUTH_ADMIN_KEYS`.
 * @throws ConfigError naming the variable (never quoting a key).
 */
export function manageSettingsFromEnv(env: NodeJS.ProcessEnv): ManageSettings {
  try {
    return { dbPath: dbPathFromEnv(env), adminKeys: parseAdminKeys(env.INK_AUTH_ADMIN_KEYS) };
  } catch (err) {
    if (err instanceof AdminKeyConfigError) throw new ConfigError(err.message);
    throw err;
  }
}

/** The opened stores behind the manage API and the app registry. */
export interface ManageStorage {
  apps: SqliteAppStore;
  credentials: SqliteCredentialReferenceStore;
  stores: CredentialStoreRegistry;
  close(): void;
}

/**
 * Opens and migrates the database, then upserts the configured apps so the
 * config file stays authoritative for the apps it names.
 */
export async function openManageStorage(
  settings: Pick<ManageSettings, 'dbPath' | 'stores'>,
  seedApps: readonly AppRecord[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ManageStorage> {
  const { dbPath } = settings;
  let db: Database.Database;
  try {
    db = openDatabase(dbPath);
  } catch (err) {
    throw new ConfigError(`INK_AUTH_DB: cannot open the database at '${dbPath}' (${(err as Error).message})`);
  }
  const apps = new SqliteAppStore(db);
  for (const app of seedApps) await apps.upsert(app);
  return {
    apps,
    credentials: new SqliteCredentialReferenceStore(db),
    stores: settings.stores ?? defaultCredentialStores(env),
    close: () => db.close(),
  };
}
