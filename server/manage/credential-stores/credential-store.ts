import { ServerError, type ErrorCode } from '../../core/errors.js';
import type { Scope } from '../../state/app-store.js';
import type { CredentialStoreType } from '../../state/credential-references.js';

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

/** Stable reasons a store refuses a write; each answers with one generic code (below). */
export type CredentialStoreErrorCode =
  | 'store_unavailable' // the store cannot be used on this server
  | 'invalid_key' // the key is not in the form this store needs
  | 'invalid_scope' // the tenant or project id is not a valid resource id
  | 'value_too_large'
  | 'store_full' // the bounded in-memory store has no room
  | 'quota_exceeded' // the caller's tenant holds as much as it may
  | 'store_failed'; // the backing service refused or failed

// An unavailable or full store is the caller's situation to fix, so its code is a 4xx one whose
// detail explains why; a failing backend is `bad_gateway` (whose detail stays generic).
const ERROR_CODE_OF: Readonly<Record<CredentialStoreErrorCode, ErrorCode>> = {
  store_unavailable: 'unprocessable_entity',
  invalid_key: 'unprocessable_entity',
  invalid_scope: 'bad_request',
  value_too_large: 'unprocessable_entity',
  store_full: 'unprocessable_entity',
  quota_exceeded: 'unprocessable_entity',
  store_failed: 'bad_gateway',
};

/**
 * A credential store refused an operation: its store-level code is the `reason`, beside the
 * generic code it answers with. `message` never contains the secret.
 */
export class CredentialStoreError extends ServerError {
  declare readonly reason: CredentialStoreErrorCode;

  constructor(reason: CredentialStoreErrorCode, message: string) {
    super(ERROR_CODE_OF[reason], message, { reason });
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
