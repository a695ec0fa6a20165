import type { Page, Scope } from './app-store.js';

/** Credential store kinds the seed API names. */
export type CredentialStoreType = 'memory' | 'keychain' | 'nango';

/**
 * A credential reference: metadata that says where a secret lives (which
 * store, under which retrieval params). It never holds the secret itself.
 */
export interface CredentialReference {
  tenantId: string;
  projectId: string;
  id: string;
  name: string;
  type: CredentialStoreType;
  credentialStoreId: string;
  retrievalParams: Record<string, unknown> | null;
  toolId: string | null;
  userId: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Persistence for credential references, scoped per tenant and project. */
export interface CredentialReferenceStore {
  list(scope: Scope, query: { page: number; limit: number }): Promise<Page<CredentialReference>>;
  get(scope: Scope, id: string): Promise<CredentialReference | undefined>;
  /** Throws `DuplicateIdError` when the id exists in the scope. */
  create(ref: CredentialReference): Promise<CredentialReference>;
  /**
   * Replaces the reference stored under `previousId` (the id itself may change);
   * `undefined` when it does not exist, `DuplicateIdError` when the new id is taken.
   */
  update(previousId: string, ref: CredentialReference): Promise<CredentialReference | undefined>;
  /** Removes and returns the reference, so the caller can delete its secret too. */
  delete(scope: Scope, id: string): Promise<CredentialReference | undefined>;
}

/**
 * The key under which a reference's secret sits in its store: `retrievalParams.key`
 * when it is a string (as the seed's stores look secrets up), otherwise the reference id.
 */
export function secretKeyOf(ref: CredentialReference): string {
  const key = ref.retrievalParams?.key;
  return typeof key === 'string' && key.length > 0 ? key : ref.id;
}
