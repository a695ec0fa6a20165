import type { Scope } from './app-store.js';
import { assertSecretSize, CredentialStoreError, type CredentialStore, type SecretMetadata, type StoreAvailability } from './credential-store.js';

/** Default bound on secrets held in process memory. */
export const DEFAULT_MEMORY_STORE_CAPACITY = 10_000;

interface Entry {
  value: string;
  metadata: SecretMetadata | null;
}

/**
 * Secrets in a process-local map: always available, lost on restart by design
 * (only credential references are persisted). Bounded so a client cannot grow
 * memory without limit; keys are scoped per tenant and project.
 */
export class MemoryCredentialStore implements CredentialStore {
  readonly type = 'memory' as const;
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly id: string,
    private readonly capacity = DEFAULT_MEMORY_STORE_CAPACITY,
  ) {}

  async availability(): Promise<StoreAvailability> {
    return { available: true, reason: null };
  }

  keyProblem(_key: string): string | null {
    return null; // slots are scoped by tenant and project, so any key stays the caller's
  }

  async set(scope: Scope, key: string, value: string, metadata: SecretMetadata | null): Promise<void> {
    assertSecretSize(value);
    const slot = slotOf(scope, key);
    if (!this.entries.has(slot) && this.entries.size >= this.capacity) {
      throw new CredentialStoreError('store_full', `Credential store '${this.id}' is full (${this.capacity} secrets)`);
    }
    this.entries.set(slot, { value, metadata });
  }

  async has(scope: Scope, key: string): Promise<boolean> {
    return this.entries.has(slotOf(scope, key));
  }

  async delete(scope: Scope, key: string): Promise<boolean> {
    return this.entries.delete(slotOf(scope, key));
  }

  /** Number of secrets held (for tests and metrics; never the values). */
  get size(): number {
    return this.entries.size;
  }
}

function slotOf(scope: Scope, key: string): string {
  // JSON keeps the three parts unambiguous whatever characters they contain.
  return JSON.stringify([scope.tenantId, scope.projectId, key]);
}
