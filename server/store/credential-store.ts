import type { Scope } from './app-store.js';
import type { CredentialStoreType } from './credential-references.js';

/** Whether a store can be written to on this machine, and if not, why. */
export interface StoreAvailability {
  available: boolean;
  reason: string | null;
}

/** Non-secret data that travels with a secret. */
export type SecretMetadata = Record<string, string>;

/**
 * A place secrets are written to. Write-only by design: there is no method that
 * returns a stored value, so no route can leak one by mistake.
 */
export interface CredentialStore {
  readonly id: string;
  readonly type: CredentialStoreType;
  availability(): Promise<StoreAvailability>;
  /** Stores (or replaces) a secret. Throws `CredentialStoreError`. */
  set(scope: Scope, key: string, value: string, metadata: SecretMetadata | null): Promise<void>;
  /** Whether a secret exists under the key (never its value). */
  has(scope: Scope, key: string): Promise<boolean>;
  /** Removes a secret; `false` when there was none. */
  delete(scope: Scope, key: string): Promise<boolean>;
  /**
   * Why this store can never hold a secret under `key` (e.g. not the form its backend needs,
   * or it names something outside the caller's scope), or `null` when the key is acceptable.
   * Checked when a credential reference names the key, so a bad reference is refused up front.
   */
  keyProblem(key: string): string | null;
}

/** Stable reasons a store refuses a write; each maps to one HTTP status. */
export type CredentialStoreErrorCode =
  | 'store_unavailable' // 503: the store cannot be used on this server
  | 'invalid_key' // 422: the key is not in the form this store needs
  | 'invalid_scope' // 400: the tenant or project id is not a valid resource id
  | 'value_too_large' // 422
  | 'store_full' // 422: the bounded in-memory store has no room
  | 'quota_exceeded' // 422: the caller's tenant holds as much as it may
  | 'store_failed'; // 502: the backing service refused or failed

/** A credential store refused an operation; `message` never contains the secret. */
export class CredentialStoreError extends Error {
  constructor(
    readonly code: CredentialStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CredentialStoreError';
  }
}

/** Largest secret value any store accepts (bytes of UTF-8). */
export const MAX_SECRET_BYTES = 64 * 1024;

/** Rejects values over `MAX_SECRET_BYTES`. */
export function assertSecretSize(value: string): void {
  if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_BYTES) {
    throw new CredentialStoreError('value_too_large', `value must be at most ${MAX_SECRET_BYTES} bytes`);
  }
}

/** The stores a server offers, looked up by id. */
export class CredentialStoreRegistry {
  private readonly byId: Map<string, CredentialStore>;

  constructor(stores: CredentialStore[]) {
    this.byId = new Map(stores.map((store) => [store.id, store]));
  }

  get(id: string): CredentialStore | undefined {
    return this.byId.get(id);
  }

  all(): CredentialStore[] {
    return [...this.byId.values()];
  }
}
