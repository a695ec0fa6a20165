import type { Page, Scope } from './app-store.js';

/**
 * A server-to-server API key (seed 001: secret, no domain restriction, no per-user identity,
 * one agent per key), created through the manage API. Only a hash of the secret is stored.
 */
export interface ServiceApiKeyRecord {
  /** Public handle: `sk_` + 16 hex characters. */
  id: string;
  tenantId: string;
  projectId: string;
  /** The app whose chat API the key may call. */
  appId: string;
  /** The one agent this key may talk to. */
  agentId: string;
  name: string;
  /** The first characters of the secret, for recognising it in a list (never enough to use it). */
  prefix: string;
  createdAt: string;
  /** ISO-8601, or `null` for a key that does not expire. */
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** What a caller gives to create a key. */
export interface NewServiceApiKey {
  tenantId: string;
  projectId: string;
  appId: string;
  agentId: string;
  name: string;
  expiresAt: string | null;
}

/**
 * Issues, lists, verifies and revokes server-to-server API keys. In memory (tests), SQLite or
 * PostgreSQL. `verify` compares digests in constant time and refuses expired keys.
 */
export interface ServiceApiKeyStore {
  /** Creates a key; the plaintext `secret` is returned once and never stored. */
  create(input: NewServiceApiKey): Promise<{ secret: string; record: ServiceApiKeyRecord }>;
  list(scope: Scope, query: { page: number; limit: number }): Promise<Page<ServiceApiKeyRecord>>;
  get(scope: Scope, id: string): Promise<ServiceApiKeyRecord | undefined>;
  /** Deletes inside the scope; `false` when nothing was deleted. */
  revoke(scope: Scope, id: string): Promise<boolean>;
  /** The record of a valid (known, unexpired) key, else `undefined`. */
  verify(secret: string): Promise<ServiceApiKeyRecord | undefined>;
}
