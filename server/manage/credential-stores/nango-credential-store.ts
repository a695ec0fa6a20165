import type { Scope } from '../../state/app-store.js';
import { scopedSecretName } from './credential-scope.js';
import { assertSecretSize, CredentialStoreError, type CredentialStore, type SecretMetadata, type StoreAvailability } from './credential-store.js';

/** The reason the hosted platform gives when Nango is not configured. */
export const NANGO_UNAVAILABLE_REASON = 'Nango secret key not configured';

/** Default Nango API base (overridden by `NANGO_SERVER_URL`). */
export const DEFAULT_NANGO_URL = 'https://api.nango.dev';

interface NangoKey {
  connectionId: string;
  providerConfigKey: string;
}

/**
 * What a connection id or provider config key may contain: no `:` (the scope separator of
 * {@link scopedSecretName}), no `/`, `?` or `%` (path syntax), no spaces or controls.
 */
const NANGO_NAME = /^[A-Za-z0-9._@+-]{1,200}$/;
const KEY_FORMAT =
  'key must be JSON {"connectionId": string, "providerConfigKey": string} for a nango store, each 1 to 200 of [A-Za-z0-9._@+-]';

/**
 * A nango store's key names a Nango connection: JSON `{"connectionId","providerConfigKey"}`,
 * as the seed platform's Nango store expects. The connection id is the caller's own name; the
 * connection in Nango is {@link nangoConnectionId} of it, inside the caller's scope.
 */
export function parseNangoKey(key: string): NangoKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(key);
  } catch {
    parsed = undefined;
  }
  const candidate = parsed as Partial<NangoKey> | undefined;
  if (
    typeof candidate?.connectionId !== 'string' || !NANGO_NAME.test(candidate.connectionId) ||
    typeof candidate.providerConfigKey !== 'string' || !NANGO_NAME.test(candidate.providerConfigKey)
  ) {
    throw new CredentialStoreError('invalid_key', KEY_FORMAT);
  }
  return { connectionId: candidate.connectionId, providerConfigKey: candidate.providerConfigKey };
}

/**
 * The Nango connection that holds a caller's `connectionId`: `<tenantId>:<projectId>:<connectionId>`.
 * One Nango account serves every tenant, so the scope is part of the name: two tenants using the
 * same key get two connections, and no key of one scope can name another scope's connection.
 */
export function nangoConnectionId(scope: Scope, connectionId: string): string {
  return scopedSecretName(scope, connectionId);
}

/**
 * Secrets imported into Nango as API-key connections (`POST /connections`), one connection per
 * tenant, project and key. Available iff `NANGO_SECRET_KEY` is set. One attempt per call, 10 s timeout.
 */
export class NangoCredentialStore implements CredentialStore {
  readonly type = 'nango' as const;

  constructor(
    readonly id: string,
    private readonly settings: { secretKey: string | undefined; apiUrl?: string },
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** Builds the store from `NANGO_SECRET_KEY` and `NANGO_SERVER_URL`. */
  static fromEnv(id: string, env: NodeJS.ProcessEnv, fetchImpl: typeof fetch = fetch): NangoCredentialStore {
    const secretKey = env.NANGO_SECRET_KEY?.trim() || undefined;
    const apiUrl = env.NANGO_SERVER_URL?.trim() || DEFAULT_NANGO_URL;
    return new NangoCredentialStore(id, { secretKey, apiUrl }, fetchImpl);
  }

  async availability(): Promise<StoreAvailability> {
    return this.settings.secretKey ? { available: true, reason: null } : { available: false, reason: NANGO_UNAVAILABLE_REASON };
  }

  keyProblem(key: string): string | null {
    try {
      parseNangoKey(key);
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  }

  async set(scope: Scope, key: string, value: string, metadata: SecretMetadata | null): Promise<void> {
    const secretKey = this.requireSecretKey();
    assertSecretSize(value);
    const target = scoped(scope, key);
    const response = await this.call('/connections', secretKey, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        provider_config_key: target.providerConfigKey,
        connection_id: target.connectionId,
        credentials: { type: 'API_KEY', apiKey: value },
        ...(metadata ? { metadata } : {}),
      }),
    });
    if (!response.ok) throw new CredentialStoreError('store_failed', `Nango refused the secret (HTTP ${response.status})`);
  }

  async has(scope: Scope, key: string): Promise<boolean> {
    const secretKey = this.settings.secretKey;
    if (!secretKey) return false;
    const target = scoped(scope, key);
    const response = await this.call(connectionPath(target), secretKey, { method: 'GET' });
    return response.ok;
  }

  async delete(scope: Scope, key: string): Promise<boolean> {
    const secretKey = this.settings.secretKey;
    if (!secretKey) return false;
    const target = scoped(scope, key);
    const response = await this.call(connectionPath(target), secretKey, { method: 'DELETE' });
    if (response.status === 404) return false;
    if (!response.ok) throw new CredentialStoreError('store_failed', `Nango did not delete the connection (HTTP ${response.status})`);
    return true;
  }

  private requireSecretKey(): string {
    if (!this.settings.secretKey) {
      throw new CredentialStoreError('store_unavailable', `Credential store '${this.id}' is not available: ${NANGO_UNAVAILABLE_REASON}`);
    }
    return this.settings.secretKey;
  }

  private async call(path: string, secretKey: string, init: RequestInit): Promise<Response> {
    const base = (this.settings.apiUrl ?? DEFAULT_NANGO_URL).replace(/\/+$/, '');
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${secretKey}`);
    try {
      const response = await this.fetchImpl(`${base}${path}`, { ...init, headers, signal: AbortSignal.timeout(10_000) });
      await response.body?.cancel(); // the answer may echo credentials; never read or keep it
      return response;
    } catch {
      throw new CredentialStoreError('store_failed', 'Nango could not be reached');
    }
  }
}

/** The caller's key, with the connection id Nango knows it by. */
function scoped(scope: Scope, key: string): NangoKey {
  const target = parseNangoKey(key);
  return { ...target, connectionId: nangoConnectionId(scope, target.connectionId) };
}

function connectionPath(target: NangoKey): string {
  return `/connection/${encodeURIComponent(target.connectionId)}?provider_config_key=${encodeURIComponent(target.providerConfigKey)}`;
}
