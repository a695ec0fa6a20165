import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { pairingProblem } from '../core/pairing-errors.js';

/** What the server remembers about an issued API key — never the key itself. */
export interface ApiKeyRecord {
  /** Public handle used to revoke the key: `key_` + 16 hex characters. */
  id: string;
  /** The app the key was paired for; it authenticates requests for this app only. */
  appId: string;
  /** The name the client gave when it asked for a challenge. */
  appName: string;
  createdAt: string;
  /** ISO-8601, or `null` for a key that does not expire. */
  expiresAt: string | null;
}

/** Result of {@link ApiKeyStore.verify}. */
export type ApiKeyVerification =
  | { ok: true; record: ApiKeyRecord }
  | { ok: false; reason: 'invalid' | 'expired' };

/** Issues, verifies and revokes pairing API keys: `InMemoryApiKeyStore` (below, unit tests) or `SqlPairedApiKeyStore` (SQLite, PostgreSQL). */
export interface ApiKeyStore {
  /** Creates a key for `appId`; the plaintext `apiKey` is returned once and never stored. */
  issue(input: { appId: string; appName: string }): Promise<{ apiKey: string; record: ApiKeyRecord }>;
  /** Looks a presented key up. Unknown and revoked keys are both `invalid`. */
  verify(apiKey: string): Promise<ApiKeyVerification>;
  /** Looks a key's record up by id (for revocation checks). */
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** Revokes a key by id; `false` when no such key exists. */
  revoke(id: string): Promise<boolean>;
}

/** Tunables of {@link InMemoryApiKeyStore}. */
export interface InMemoryApiKeyStoreOptions {
  /** Key lifetime in seconds; `null` = keys never expire. Default 30 days. */
  lifetimeSeconds?: number | null;
  /** Most keys held at once. Default 10 000. */
  maxKeys?: number;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

interface Stored {
  record: ApiKeyRecord;
  digest: Buffer;
  expiresAtMs: number;
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * In-memory key store: keys are 32 random bytes in base64; only their SHA-256 digest is kept,
 * indexed by its hex form. Keys are lost on restart; the server itself keeps them in the SQL state.
 */
export class InMemoryApiKeyStore implements ApiKeyStore {
  readonly #byDigest = new Map<string, Stored>();
  readonly #digestById = new Map<string, string>();
  readonly #lifetimeMs: number | null;
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: InMemoryApiKeyStoreOptions = {}) {
    const lifetime = options.lifetimeSeconds === undefined ? 30 * 24 * 3600 : options.lifetimeSeconds;
    this.#lifetimeMs = lifetime === null ? null : lifetime * 1000;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Number of keys held. */
  get size(): number {
    return this.#byDigest.size;
  }

  async issue(input: { appId: string; appName: string }): Promise<{ apiKey: string; record: ApiKeyRecord }> {
    const now = this.#now();
    if (this.#byDigest.size >= this.#maxKeys) this.#dropExpired(now);
    if (this.#byDigest.size >= this.#maxKeys) {
      throw pairingProblem('capacity_exhausted', 'The server holds too many API keys; revoke unused ones.', {
        retryAfterSeconds: 3600,
      });
    }
    const apiKey = randomBytes(32).toString('base64');
    const digest = sha256(apiKey);
    const expiresAtMs = this.#lifetimeMs === null ? Infinity : now + this.#lifetimeMs;
    const record: ApiKeyRecord = {
      id: `key_${randomBytes(8).toString('hex')}`,
      appId: input.appId,
      appName: input.appName,
      createdAt: new Date(now).toISOString(),
      expiresAt: Number.isFinite(expiresAtMs) ? new Date(expiresAtMs).toISOString() : null,
    };
    const hex = digest.toString('hex');
    this.#byDigest.set(hex, { record, digest, expiresAtMs });
    this.#digestById.set(record.id, hex);
    return { apiKey, record: { ...record } };
  }

  async verify(apiKey: string): Promise<ApiKeyVerification> {
    // Bounded before hashing: a real key is 44 characters.
    if (typeof apiKey !== 'string' || apiKey.length === 0 || apiKey.length > 256) return { ok: false, reason: 'invalid' };
    const digest = sha256(apiKey);
    const stored = this.#byDigest.get(digest.toString('hex'));
    // The map is indexed by the digest; the explicit constant-time check guards the final answer.
    if (!stored || !timingSafeEqual(stored.digest, digest)) return { ok: false, reason: 'invalid' };
    if (this.#now() >= stored.expiresAtMs) return { ok: false, reason: 'expired' };
    return { ok: true, record: { ...stored.record } };
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const hex = this.#digestById.get(id);
    const stored = hex === undefined ? undefined : this.#byDigest.get(hex);
    return stored ? { ...stored.record } : undefined;
  }

  async revoke(id: string): Promise<boolean> {
    const hex = this.#digestById.get(id);
    if (hex === undefined) return false;
    this.#digestById.delete(id);
    this.#byDigest.delete(hex);
    return true;
  }

  #dropExpired(now: number): void {
    for (const [hex, stored] of this.#byDigest) {
      if (now >= stored.expiresAtMs) {
        this.#byDigest.delete(hex);
        this.#digestById.delete(stored.record.id);
      }
    }
  }
}
