import { slicePage, type Page, type Scope } from '../app-store.js';
import { digestsEqual, plausibleSecret, secretDigest } from '../key-digest.js';
import { LAST_USED_PRECISION_MS, newServiceApiKey, serviceKeyExpired } from '../service-api-key-material.js';
import type { NewServiceApiKey, ServiceApiKeyRecord, ServiceApiKeyStore } from '../service-api-key-store.js';
import { StoreUnavailableError } from '../store-errors.js';

/** Tunables of {@link MemoryServiceApiKeyStore}. */
export interface MemoryServiceApiKeyStoreOptions {
  /** Most keys held at once; expired ones are dropped first. Default 10 000. */
  maxKeys?: number;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

interface Stored {
  record: ServiceApiKeyRecord;
  digest: Buffer;
}

const inScope = (record: ServiceApiKeyRecord, scope: Scope): boolean =>
  record.tenantId === scope.tenantId && record.projectId === scope.projectId;

/** {@link ServiceApiKeyStore} in one process's memory (unit tests). Keeps only digests. */
export class MemoryServiceApiKeyStore implements ServiceApiKeyStore {
  readonly #byDigest = new Map<string, Stored>();
  readonly #digestById = new Map<string, string>();
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: MemoryServiceApiKeyStoreOptions = {}) {
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  async create(input: NewServiceApiKey): Promise<{ secret: string; record: ServiceApiKeyRecord }> {
    const now = this.#now();
    if (this.#byDigest.size >= this.#maxKeys) this.#dropExpired(now);
    if (this.#byDigest.size >= this.#maxKeys) {
      throw new StoreUnavailableError('The server holds too many API keys; revoke unused ones.', 3600);
    }
    const { secret, record } = newServiceApiKey(input, now);
    const digest = secretDigest(secret);
    const hex = digest.toString('hex');
    this.#byDigest.set(hex, { record, digest });
    this.#digestById.set(record.id, hex);
    return { secret, record: { ...record } };
  }

  async list(scope: Scope, query: { page: number; limit: number }): Promise<Page<ServiceApiKeyRecord>> {
    const all = [...this.#byDigest.values()]
      .map((stored) => stored.record)
      .filter((record) => inScope(record, scope))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    const page = slicePage(all, query);
    return { ...page, data: page.data.map((record) => ({ ...record })) };
  }

  async get(scope: Scope, id: string): Promise<ServiceApiKeyRecord | undefined> {
    const record = this.#stored(id)?.record;
    return record && inScope(record, scope) ? { ...record } : undefined;
  }

  async revoke(scope: Scope, id: string): Promise<boolean> {
    const stored = this.#stored(id);
    if (!stored || !inScope(stored.record, scope)) return false;
    this.#forget(stored.record.id);
    return true;
  }

  async verify(secret: string): Promise<ServiceApiKeyRecord | undefined> {
    if (!plausibleSecret(secret)) return undefined;
    const digest = secretDigest(secret);
    const stored = this.#byDigest.get(digest.toString('hex'));
    // The map is indexed by the digest; the constant-time check guards the final answer.
    if (!stored || !digestsEqual(stored.digest, digest)) return undefined;
    const now = this.#now();
    if (serviceKeyExpired(stored.record, now)) return undefined;
    const lastUsed = stored.record.lastUsedAt === null ? -Infinity : Date.parse(stored.record.lastUsedAt);
    if (now - lastUsed >= LAST_USED_PRECISION_MS) stored.record.lastUsedAt = new Date(now).toISOString();
    return { ...stored.record };
  }

  #stored(id: string): Stored | undefined {
    const hex = this.#digestById.get(id);
    return hex === undefined ? undefined : this.#byDigest.get(hex);
  }

  #forget(id: string): void {
    const hex = this.#digestById.get(id);
    this.#digestById.delete(id);
    if (hex !== undefined) this.#byDigest.delete(hex);
  }

  #dropExpired(now: number): void {
    for (const stored of [...this.#byDigest.values()]) {
      if (serviceKeyExpired(stored.record, now)) this.#forget(stored.record.id);
    }
  }
}
