import type { AppRecord } from '../state/app-registry.js';

/** The environment variable that names the pairing app; it wins over the apps file. */
export const PAIRING_APP_ENV = 'INK_AUTH_PAIRING_APP';

/**
 * Which app a pairing challenge is for when the client names none — seed 004's clients send
 * only `app_name`, like a desktop app that pairs with "this machine's vault". `source` says where
 * the choice came from, for the start-up line and for the error a client gets when there is none.
 */
export interface PairingAppSetting {
  appId: string | null;
  source: 'env' | 'file' | 'only-web-app' | 'none';
}

/**
 * Resolves the pairing app: `INK_AUTH_PAIRING_APP`, else the apps file's `"pairing": {"appId"}`,
 * else the one enabled web-client app when exactly one is configured, else none.
 */
export function resolvePairingApp(input: {
  fromEnv?: string | undefined;
  fromFile?: string | null | undefined;
  apps: readonly AppRecord[];
}): PairingAppSetting {
  const fromEnv = input.fromEnv?.trim();
  if (fromEnv) return { appId: fromEnv, source: 'env' };
  if (input.fromFile) return { appId: input.fromFile, source: 'file' };
  const webApps = input.apps.filter((app) => app.enabled && app.type === 'web_client');
  if (webApps.length === 1) return { appId: webApps[0]!.id, source: 'only-web-app' };
  return { appId: null, source: 'none' };
}

/** The detail of the 400 a client gets when it names no app and the server has no pairing app. */
export function pairingAppUnsetDetail(): string {
  return (
    `This server has no pairing app: set ${PAIRING_APP_ENV}=app_… or "pairing": {"appId": "app_…"} ` +
    'in the apps file (INK_AUTH_CONFIG), or name the app with the x-inkeep-app-id header or "app_id".'
  );
}
