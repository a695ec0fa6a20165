import { ConfigError } from '../core/config-error.js';

/** Default SQLite location, relative to the working directory. */
export const DEFAULT_DB_PATH = './.data/ink-auth.db';

/** How apps from `INK_AUTH_CONFIG` meet the stored ones at start. */
export type ConfigMode = 'seed' | 'overwrite';

/** Where the server keeps its state, and how config-file apps are applied. */
export interface StateSettings {
  /** `postgres://…` (`DATABASE_URL`): PostgreSQL, shared by every instance. Wins over `sqlitePath`. */
  databaseUrl?: string;
  /** SQLite file (`INK_AUTH_DB`, default `./.data/ink-auth.db`); `:memory:` for a throwaway database. */
  sqlitePath: string;
  /**
   * `seed` (default): config apps are inserted only when their id is new. `overwrite`: they also
   * replace stored apps of the same tenant and project. Neither ever moves an app to another
   * tenant or revives a deleted id.
   */
  configMode?: ConfigMode;
}

/** Resolves the SQLite path from `INK_AUTH_DB` (default `./.data/ink-auth.db`). */
export function dbPathFromEnv(env: NodeJS.ProcessEnv): string {
  const configured = env.INK_AUTH_DB?.trim();
  return configured ? configured : DEFAULT_DB_PATH;
}

/**
 * Reads `DATABASE_URL`, `INK_AUTH_DB` and `INK_AUTH_CONFIG_MODE`.
 * @throws ConfigError naming the variable (never quoting a password).
 */
export function stateSettingsFromEnv(env: NodeJS.ProcessEnv): StateSettings {
  const url = env.DATABASE_URL?.trim();
  if (url) describeDatabaseUrl(url);
  const mode = env.INK_AUTH_CONFIG_MODE?.trim() || 'seed';
  if (mode !== 'seed' && mode !== 'overwrite') {
    throw new ConfigError(`INK_AUTH_CONFIG_MODE must be "seed" or "overwrite", got "${mode}".`);
  }
  return { ...(url ? { databaseUrl: url } : {}), sqlitePath: dbPathFromEnv(env), configMode: mode };
}

/**
 * `postgres://user@host:port/database` without the password, for messages and logs.
 * @throws ConfigError when the value is not a PostgreSQL URL.
 */
export function describeDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('DATABASE_URL must be a URL like postgres://user:password@host:5432/database.');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got "${parsed.protocol}//…".`);
  }
  const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
  return `postgres://${user}${parsed.host}${parsed.pathname}`;
}
