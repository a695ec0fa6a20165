import { ConfigError } from '../core/config-error.js';
import { AdminKeyConfigError, parseAdminKeys, type AdminKey } from './admin-auth.js';
import type { CredentialStoreRegistry } from './credential-stores/credential-store.js';
import { dbPathFromEnv } from '../state/state-settings.js';

/** Access settings of the manage API (`ServerConfig.manage`). */
export interface ManageSettings {
  /** SQLite file used when `ServerConfig.state` is absent (`INK_AUTH_DB`); `:memory:` for a throwaway database. */
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
