import type { AppRecord } from './app-registry.js';
import { DuplicateIdError, UnavailableIdError, type AppStore } from './app-store.js';
import type { ConfigMode } from './state-settings.js';

/**
 * Applies the config file's apps to the store at start. `seed` inserts only new ids, so edits
 * made through the manage API survive restarts; `overwrite` also replaces apps of the same
 * tenant and project. An id held or once held by another tenant is never taken over: it is
 * skipped with one log line (which names only the id).
 */
export async function seedConfigApps(
  apps: AppStore,
  configApps: readonly AppRecord[],
  mode: ConfigMode,
  log: (line: string) => void,
): Promise<void> {
  for (const app of configApps) {
    if (mode === 'overwrite') {
      if ((await apps.upsert(app)) === 'refused') {
        log(`[ink-auth] config app ${app.id} not applied: the id belongs to another tenant or project, or was deleted.`);
      }
      continue;
    }
    try {
      await apps.create(app);
    } catch (error) {
      if (error instanceof UnavailableIdError) {
        log(`[ink-auth] config app ${app.id} not seeded: the id belongs to another tenant.`);
      } else if (!(error instanceof DuplicateIdError)) {
        throw error;
      }
    }
  }
}
