import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Scope } from '../../state/app-store.js';
import { assertScope } from './credential-scope.js';
import { assertSecretSize, CredentialStoreError, type CredentialStore, type SecretMetadata, type StoreAvailability } from './credential-store.js';
import { runCommand, type RunCommand } from './run-command.js';

/** The reason the hosted platform gives when no OS keyring is reachable. */
export const KEYRING_UNAVAILABLE_REASON = 'Keyring not available - cannot store credentials in system keychain';

const SECRETS_BUS_NAME = 'org.freedesktop.secrets';
const PROBE_TTL_MS = 60_000;

/** Finds an executable on `PATH`, or `undefined`. */
export function findOnPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/**
 * Looks for a Secret Service (GNOME Keyring, KWallet, KeePassXC…) on the session
 * D-Bus, reachable through `secret-tool`. Any missing piece means unavailable.
 */
export async function probeSecretService(env: NodeJS.ProcessEnv, run: RunCommand): Promise<StoreAvailability> {
  const unavailable = { available: false, reason: KEYRING_UNAVAILABLE_REASON };
  if (!env.DBUS_SESSION_BUS_ADDRESS) return unavailable;
  if (!findOnPath('secret-tool', env.PATH)) return unavailable;
  const dbus = (method: string, ...args: string[]) =>
    run('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', `org.freedesktop.DBus.${method}`, ...args]);
  const owned = await dbus('NameHasOwner', `string:${SECRETS_BUS_NAME}`);
  if (owned.exitCode === 0 && /boolean true/.test(owned.stdout)) return { available: true, reason: null };
  const activatable = await dbus('ListActivatableNames');
  if (activatable.exitCode === 0 && activatable.stdout.includes(`"${SECRETS_BUS_NAME}"`)) return { available: true, reason: null };
  return unavailable;
}

/**
 * Secrets in the OS keyring through the freedesktop Secret Service (`secret-tool`).
 * Availability is probed, not assumed, and re-probed at most once a minute.
 */
export class KeychainCredentialStore implements CredentialStore {
  readonly type = 'keychain' as const;
  private probe: { at: number; result: Promise<StoreAvailability> } | undefined;

  constructor(
    readonly id: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly run: RunCommand = runCommand,
    private readonly now: () => number = Date.now,
  ) {}

  availability(): Promise<StoreAvailability> {
    if (!this.probe || this.now() - this.probe.at > PROBE_TTL_MS) {
      this.probe = { at: this.now(), result: probeSecretService(this.env, this.run) };
    }
    return this.probe.result;
  }

  keyProblem(_key: string): string | null {
    return null; // any string is an attribute value, and it always follows `--`
  }

  async set(scope: Scope, key: string, value: string, _metadata: SecretMetadata | null): Promise<void> {
    await this.requireAvailable();
    assertSecretSize(value);
    const result = await this.run('secret-tool', ['store', '--label', `ink-auth ${key}`, ...attributes(scope, key)], {
      input: value,
      timeoutMs: 10_000,
    });
    if (result.exitCode !== 0) throw new CredentialStoreError('store_failed', 'The system keyring refused the secret');
  }

  async has(scope: Scope, key: string): Promise<boolean> {
    if (!(await this.availability()).available) return false;
    // lookup prints the secret; it is read into this process and dropped, never returned.
    const result = await this.run('secret-tool', ['lookup', ...attributes(scope, key)]);
    return result.exitCode === 0 && result.stdout.length > 0;
  }

  async delete(scope: Scope, key: string): Promise<boolean> {
    if (!(await this.has(scope, key))) return false;
    const result = await this.run('secret-tool', ['clear', ...attributes(scope, key)]);
    return result.exitCode === 0;
  }

  private async requireAvailable(): Promise<void> {
    const state = await this.availability();
    if (!state.available) {
      throw new CredentialStoreError('store_unavailable', `Credential store '${this.id}' is not available: ${state.reason}`);
    }
  }
}

// `--` ends secret-tool's options: a key such as `--label=x` or `-h` stays an attribute value.
function attributes(scope: Scope, key: string): string[] {
  assertScope(scope);
  return ['--', 'service', 'ink-auth', 'tenant', scope.tenantId, 'project', scope.projectId, 'key', key];
}
