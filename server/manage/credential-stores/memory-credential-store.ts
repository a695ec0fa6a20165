import type { Scope } from '../../state/app-store.js';
import { assertSecretSize, CredentialStoreError, type CredentialStore, type SecretMetadata, type StoreAvailability } from './credential-store.js';

/** Bounds of a {@link MemoryCredentialStore}: in total, and for each tenant. */
export interface MemoryStoreLimits {
  /** Most secrets held for all tenants together. */
  maxSecrets: number;
  /** Most bytes (keys, values and metadata, UTF-8) held for all tenants together. */
  maxBytes: number;
  /** Most secrets one tenant may hold (all its projects together). */
  maxSecretsPerTenant: number;
  /** Most bytes one tenant may hold. */
  maxBytesPerTenant: number;
}

/**
 * Defaults: 10 000 secrets and 256 MiB in total; 1 000 secrets and 16 MiB per tenant, so one
 * tenant can take at most a sixteenth of the memory and a tenth of the slots.
 */
export const DEFAULT_MEMORY_STORE_LIMITS: MemoryStoreLimits = {
  maxSecrets: 10_000,
  maxBytes: 256 * 1024 * 1024,
  maxSecretsPerTenant: 1_000,
  maxBytesPerTenant: 16 * 1024 * 1024,
};

interface Entry {
  tenantId: string;
  value: string;
  metadata: SecretMetadata | null;
  bytes: number;
}

interface Usage {
  secrets: number;
  bytes: number;
}

/**
 * Secrets in a process-local map: always available, lost on restart by design
 * (only credential references are persisted). Keys are scoped per tenant and project, and
 * memory is bounded in total and per tenant, so no tenant can fill the store for the others.
 */
export class MemoryCredentialStore implements CredentialStore {
  readonly type = 'memory' as const;
  readonly limits: MemoryStoreLimits;
  private readonly entries = new Map<string, Entry>();
  private readonly usageByTenant = new Map<string, Usage>();
  private readonly total: Usage = { secrets: 0, bytes: 0 };

  constructor(
    readonly id: string,
    limits: Partial<MemoryStoreLimits> = {},
  ) {
    this.limits = { ...DEFAULT_MEMORY_STORE_LIMITS, ...limits };
  }

  async availability(): Promise<StoreAvailability> {
    return { available: true, reason: null };
  }

  keyProblem(_key: string): string | null {
    return null; // slots are scoped by tenant and project, so any key stays the caller's
  }

  async set(scope: Scope, key: string, value: string, metadata: SecretMetadata | null): Promise<void> {
    assertSecretSize(value);
    const slot = slotOf(scope, key);
    const previous = this.entries.get(slot);
    const bytes = sizeOf(key, value, metadata);
    const tenant = this.usageByTenant.get(scope.tenantId) ?? { secrets: 0, bytes: 0 };
    const addedSecrets = previous ? 0 : 1;
    const addedBytes = bytes - (previous?.bytes ?? 0);
    if (tenant.secrets + addedSecrets > this.limits.maxSecretsPerTenant || tenant.bytes + addedBytes > this.limits.maxBytesPerTenant) {
      throw new CredentialStoreError(
        'quota_exceeded',
        `Tenant '${scope.tenantId}' has reached its quota in credential store '${this.id}' ` +
          `(${this.limits.maxSecretsPerTenant} secrets, ${this.limits.maxBytesPerTenant} bytes); delete secrets it no longer needs`,
      );
    }
    if (this.total.secrets + addedSecrets > this.limits.maxSecrets || this.total.bytes + addedBytes > this.limits.maxBytes) {
      throw new CredentialStoreError('store_full', `Credential store '${this.id}' is full (${this.limits.maxSecrets} secrets, ${this.limits.maxBytes} bytes)`);
    }
    this.entries.set(slot, { tenantId: scope.tenantId, value, metadata, bytes });
    this.account(scope.tenantId, addedSecrets, addedBytes);
  }

  async has(scope: Scope, key: string): Promise<boolean> {
    return this.entries.has(slotOf(scope, key));
  }

  async delete(scope: Scope, key: string): Promise<boolean> {
    const slot = slotOf(scope, key);
    const entry = this.entries.get(slot);
    if (!entry) return false;
    this.entries.delete(slot);
    this.account(entry.tenantId, -1, -entry.bytes);
    return true;
  }

  /** Number of secrets held (for tests and metrics; never the values). */
  get size(): number {
    return this.entries.size;
  }

  /** What one tenant holds: secrets and bytes (never the values). */
  usageOf(tenantId: string): Usage {
    return { ...(this.usageByTenant.get(tenantId) ?? { secrets: 0, bytes: 0 }) };
  }

  private account(tenantId: string, secrets: number, bytes: number): void {
    const usage = this.usageByTenant.get(tenantId) ?? { secrets: 0, bytes: 0 };
    usage.secrets += secrets;
    usage.bytes += bytes;
    this.total.secrets += secrets;
    this.total.bytes += bytes;
    if (usage.secrets === 0) this.usageByTenant.delete(tenantId);
    else this.usageByTenant.set(tenantId, usage);
  }
}

function slotOf(scope: Scope, key: string): string {
  // JSON keeps the three parts unambiguous whatever characters they contain.
  return JSON.stringify([scope.tenantId, scope.projectId, key]);
}

function sizeOf(key: string, value: string, metadata: SecretMetadata | null): number {
  return Buffer.byteLength(key) + Buffer.byteLength(value) + (metadata ? Buffer.byteLength(JSON.stringify(metadata)) : 0);
}
