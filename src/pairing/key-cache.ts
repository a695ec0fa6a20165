import { memoryRecordStore, persistentRecordStore, recordStoreFor } from '../session/cache.js';
import type { PersistentStoreOptions, RecordStore, StorageSetting } from '../session/cache.js';

/** The only fields ever persisted for a paired key. Times are epoch milliseconds. */
export interface CachedPairedKey {
  apiKey: string;
  /** Key id for revocation (`key_…`), null when the server gave none. */
  keyId: string | null;
  /** null when the key does not expire (or the server did not say). */
  expiresAt: number | null;
  obtainedAt: number;
}

// Shared by every provider of the page, like the session cache's page memory.
const pageMemory = new Map<string, CachedPairedKey>();

/** The cache key of the paired key of one app on one server (never equal to a session's key). */
export function pairedKeyCacheKey(baseUrl: string, appId: string): string {
  return `${baseUrl}|${appId}|pairing`;
}

/** Accepts only a well-formed record, so a corrupted or foreign entry is ignored, not trusted. */
export function asCachedPairedKey(value: unknown): CachedPairedKey | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const ok =
    typeof v.apiKey === 'string' && v.apiKey.length > 0 && !/\s/.test(v.apiKey) &&
    (v.keyId === null || (typeof v.keyId === 'string' && v.keyId.length > 0)) &&
    (v.expiresAt === null || (typeof v.expiresAt === 'number' && Number.isFinite(v.expiresAt))) &&
    typeof v.obtainedAt === 'number' && Number.isFinite(v.obtainedAt);
  if (!ok) return undefined;
  return { apiKey: v.apiKey as string, keyId: v.keyId as string | null, expiresAt: v.expiresAt as number | null, obtainedAt: v.obtainedAt as number };
}

/** Paired keys in page memory only: nothing survives a reload. */
export function memoryPairedKeyStore(map: Map<string, CachedPairedKey> = pageMemory): RecordStore<CachedPairedKey> {
  return memoryRecordStore(map);
}

/**
 * Paired keys in the same IndexedDB database and store as sessions, with the same probe and
 * the same fall-back-to-memory rules.
 */
export function indexedDbPairedKeyStore(options: Omit<PersistentStoreOptions, 'storage'> = {}): RecordStore<CachedPairedKey> {
  return persistentRecordStore(asCachedPairedKey, memoryPairedKeyStore(), options);
}

/** The paired-key store for the element's `storage`: IndexedDB, page memory or the site's own. */
export function pairedKeyStore(storage: StorageSetting): RecordStore<CachedPairedKey> {
  return recordStoreFor(storage, asCachedPairedKey, memoryPairedKeyStore());
}
