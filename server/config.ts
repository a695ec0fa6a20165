import { randomBytes } from 'node:crypto';
import { ConfigError } from './core/config-error.js';
import { DEFAULT_CONFIG_PATH, readConfigFile } from './config-file.js';
import { APP_ID_PATTERN } from './apps/app-rules.js';
import { PAIRING_APP_ENV, resolvePairingApp } from './pairing/pairing-app.js';
import { parseTrustedProxies } from './core/client-address.js';
import { manageSettingsFromEnv } from './manage/manage-settings.js';
import { stateSettingsFromEnv } from './state/state-settings.js';
import type { PowSettings, ServerConfig } from './types.js';

export { ConfigError } from './core/config-error.js';

const MIN_SECRET_LENGTH = 32;
export const DEFAULT_SESSION_LIFETIME_SECONDS = 2_592_000;
const DEFAULT_POW_DIFFICULTY = 50_000;
const DEFAULT_POW_TTL_SECONDS = 3600;

/** Reads an integer env var within bounds, or its default when unset. @throws ConfigError */
function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number between ${min} and ${max}, got "${raw}".`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}.`);
  return value;
}

/** Reads a secret env var; its value is never put into a message. @throws ConfigError */
function secretFromEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (value.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`${name} must be at least ${MIN_SECRET_LENGTH} characters long (it has ${value.length}).`);
  }
  return value;
}

function powFromEnv(env: NodeJS.ProcessEnv): PowSettings | null {
  const hmacSecret = secretFromEnv(env, 'INKEEP_POW_HMAC_SECRET');
  const difficulty = intFromEnv(env, 'INKEEP_POW_DIFFICULTY', DEFAULT_POW_DIFFICULTY, 1, 10_000_000);
  const ttlSeconds = intFromEnv(env, 'INKEEP_POW_CHALLENGE_TTL_SECONDS', DEFAULT_POW_TTL_SECONDS, 60, 3600);
  const format = env.INK_AUTH_POW_FORMAT?.trim() || 'v1';
  if (format !== 'v1' && format !== 'v2') throw new ConfigError(`INK_AUTH_POW_FORMAT must be "v1" or "v2", got "${format}".`);
  return hmacSecret ? { hmacSecret, difficulty, ttlSeconds, format } : null;
}

function trustedProxiesFromEnv(env: NodeJS.ProcessEnv): string[] {
  const parsed = parseTrustedProxies(env.INK_AUTH_TRUSTED_PROXIES);
  if ('invalid' in parsed) throw new ConfigError(`INK_AUTH_TRUSTED_PROXIES must be comma-separated IP addresses, got "${parsed.invalid}".`);
  return parsed.proxies;
}

/** A random per-process signing secret (development and tests only). */
export function randomSecret(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Resolves the server configuration from environment variables:
 * `INKEEP_ANON_JWT_SECRET`, `INKEEP_ANON_SESSION_LIFETIME_SECONDS`,
 * `INKEEP_POW_HMAC_SECRET`, `INKEEP_POW_DIFFICULTY`, `INKEEP_POW_CHALLENGE_TTL_SECONDS`,
 * `INK_AUTH_POW_FORMAT`, `INK_AUTH_CONFIG` (apps file; default: the demo app), `INK_AUTH_PAIRING_APP`,
 * `DATABASE_URL`, `INK_AUTH_DB`, `INK_AUTH_CONFIG_MODE` (state), `INK_AUTH_ADMIN_KEYS`.
 * Nothing is half-configured: any bad value throws.
 * @throws ConfigError with a message naming the variable, file or field.
 */
export async function loadConfigFromEnv(env: NodeJS.ProcessEnv): Promise<ServerConfig> {
  const configured = secretFromEnv(env, 'INKEEP_ANON_JWT_SECRET');
  const mode = env.NODE_ENV;
  if (!configured && mode !== 'development' && mode !== 'test') {
    throw new ConfigError(
      'INKEEP_ANON_JWT_SECRET is not set. Set it to a secret of at least 32 characters, ' +
        'or set NODE_ENV=development to use a random per-process secret.',
    );
  }
  const sessionLifetimeSeconds = intFromEnv(
    env,
    'INKEEP_ANON_SESSION_LIFETIME_SECONDS',
    DEFAULT_SESSION_LIFETIME_SECONDS,
    60,
    DEFAULT_SESSION_LIFETIME_SECONDS,
  );
  const pow = powFromEnv(env);
  const file = env.INK_AUTH_CONFIG?.trim() || DEFAULT_CONFIG_PATH;
  const { apps, pairingAppId } = readConfigFile(file);
  const fromEnv = env[PAIRING_APP_ENV]?.trim();
  if (fromEnv && !APP_ID_PATTERN.test(fromEnv)) {
    throw new ConfigError(`${PAIRING_APP_ENV} must look like app_<letters/digits>, got "${fromEnv.slice(0, 80)}".`);
  }
  return {
    jwtSecret: configured ?? randomSecret(),
    jwtSecretGenerated: !configured,
    sessionLifetimeSeconds,
    pow,
    apps,
    pairingApp: resolvePairingApp({ fromEnv, fromFile: pairingAppId, apps }),
    manage: manageSettingsFromEnv(env),
    trustedProxies: trustedProxiesFromEnv(env),
    state: stateSettingsFromEnv(env),
  };
}
