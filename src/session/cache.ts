import { promisifyRequest } from 'idb-keyval';
import type { UseStore } from 'idb-keyval';

/** The only fields ever persisted for a session. Times are epoch milliseconds. */
export interface CachedSession {
  token: string;
  anonId: string;
  expiresAt: number;
  obtainedAt: number;
}

/**
 * A key-value storage of the site's own for the element's cache (its `storage` property): the
 * verbs of idb-keyval, so `{ get: (k) => get(k, myStore), set: (k, v) => set(k, v, myStore),
 * del: (k) => del(k, myStore) }` keeps sessions in a `createStore()` of the site's. Values are
 * plain objects; what `get` returns is checked before it is trusted. A method that throws,
 * rejects or takes over 3 s makes the element fall back to memory for good (`storageFallback`).
 */
export interface InkAuthStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
}

/** Where a cache keeps its records: IndexedDB, page memory, or the site's {@link InkAuthStorage}. */
export type StorageKind = 'indexeddb' | 'memory' | 'custom';

/** The element's `storage` setting: a kind by name, or the site's own storage. */
export type StorageSetting = 'indexeddb' | 'memory' | InkAuthStorage;

/** The kind a setting keeps its records in (before any fallback). */
export const storageKindOf = (setting: StorageSetting): StorageKind => (typeof setting === 'string' ? setting : 'custom');

/** Where records are kept. Implementations never throw: failures degrade, they do not crash. */
export interface RecordStore<T> {
  /** Where records currently live; a store that failed reports `memory`. */
  readonly kind: StorageKind;
  read(key: string): Promise<T | undefined>;
  write(key: string, record: T): Promise<void>;
  remove(key: string): Promise<void>;
}

/** Where sessions are kept (see {@link RecordStore}). */
export type SessionStore = RecordStore<CachedSession>;

/** Options of a persistent store. */
export interface PersistentStoreOptions {
  /** The site's own storage instead of IndexedDB (the element's `storage` property). */
  storage?: InkAuthStorage;
  /** The IndexedDB database and object store (defaults below). */
  dbName?: string;
  storeName?: string;
  onFallback?: (reason: string) => void;
}

/** Default IndexedDB database and object store (ours alone, never shared with the host page). */
export const DEFAULT_DB_NAME = 'ink-auth';
export const DEFAULT_STORE_NAME = 'sessions';
const MEMORY_LIMIT = 64;
const IDB_TIMEOUT_MS = 3_000;

// Shared by every provider of the page so a re-connected element finds its session again.
const pageMemory = new Map<string, CachedSession>();

/** The cache key of one app on one server. */
export function sessionKey(baseUrl: string, appId: string): string {
  return `${baseUrl}|${appId}`;
}

/** Accepts only a well-formed record, so a corrupted or foreign entry is ignored, not trusted. */
export function asCachedSession(value: unknown): CachedSession | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const ok =
    typeof v.token === 'string' && v.token.length > 0 &&
    typeof v.anonId === 'string' && v.anonId.length > 0 &&
    typeof v.expiresAt === 'number' && Number.isFinite(v.expiresAt) &&
    typeof v.obtainedAt === 'number' && Number.isFinite(v.obtainedAt);
  return ok ? { token: v.token as string, anonId: v.anonId as string, expiresAt: v.expiresAt as number, obtainedAt: v.obtainedAt as number } : undefined;
}

/** A store in page memory: nothing survives a reload. Bounded to a few dozen entries. */
export function memoryStore(map: Map<string, CachedSession> = pageMemory): SessionStore {
  return memoryRecordStore(map);
}

/** {@link memoryStore} for any record type; `map` is where the records live. */
export function memoryRecordStore<T extends object>(map: Map<string, T>): RecordStore<T> {
  return {
    kind: 'memory',
    async read(key) {
      return map.get(key);
    },
    async write(key, record) {
      map.delete(key);
      map.set(key, { ...record });
      while (map.size > MEMORY_LIMIT) map.delete(map.keys().next().value as string);
    },
    async remove(key) {
      map.delete(key);
    },
  };
}

// One connection per database for the whole page, shared by every store and provider restart.
const connections = new Map<string, Promise<IDBDatabase>>();

/**
 * This page's connection to `dbName`, opened (and `storeName` created) on first use. It is
 * closed and forgotten when another page asks for a new version (`versionchange`: otherwise that
 * upgrade stays blocked) or when the browser closes it; the next use opens it again.
 */
function connection(dbName: string, storeName: string): Promise<IDBDatabase> {
  const existing = connections.get(dbName);
  if (existing) return existing;
  const opening = openWithStore(dbName, storeName).then((db) => {
    const forget = () => {
      if (connections.get(dbName) === opening) connections.delete(dbName);
    };
    db.onversionchange = () => {
      db.close();
      forget();
    };
    db.onclose = forget;
    return db;
  });
  connections.set(dbName, opening);
  opening.catch(() => {
    if (connections.get(dbName) === opening) connections.delete(dbName);
  });
  return opening;
}

/**
 * Opens `dbName` at its current version; when that version lacks `storeName` (a database someone
 * else created), once more at the next version, creating it.
 */
function openWithStore(dbName: string, storeName: string, version?: number): Promise<IDBDatabase> {
  return new Promise<IDBDatabase>((resolve, reject) => {
    const request = version === undefined ? indexedDB.open(dbName) : indexedDB.open(dbName, version);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(storeName)) request.result.createObjectStore(storeName);
    };
    request.onerror = () => reject(request.error ?? new Error('IndexedDB did not open'));
    request.onsuccess = () => {
      const db = request.result;
      if (db.objectStoreNames.contains(storeName)) return resolve(db);
      db.close();
      if (version !== undefined) return reject(new Error(`IndexedDB ${dbName} has no store ${storeName}`));
      resolve(openWithStore(dbName, storeName, db.version + 1));
    };
  });
}

/** An idb-keyval store on the page's shared connection (idb-keyval's own opens one per store). */
function sharedStore(dbName: string, storeName: string): UseStore {
  return (mode, callback) => connection(dbName, storeName).then((db) => callback(db.transaction(storeName, mode).objectStore(storeName)));
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The storage did not answer')), IDB_TIMEOUT_MS);
    Promise.resolve(promise).then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

/**
 * The store of `setting` for one record type: `memory` itself, or a {@link persistentRecordStore}
 * on IndexedDB or on the site's own storage, falling back to `memory`.
 */
export function recordStoreFor<T extends object>(setting: StorageSetting, validate: (value: unknown) => T | undefined, memory: RecordStore<T>): RecordStore<T> {
  return setting === 'memory' ? memory : persistentRecordStore(validate, memory, setting === 'indexeddb' ? {} : { storage: setting });
}

/**
 * A store in IndexedDB (idb-keyval), or in the site's own `storage` when given, that falls back to
 * `memory` for good the first time the storage throws, blocks, does not answer or is missing
 * (private modes, quota, disabled storage), calling `onFallback` once; `validate` accepts a stored
 * value or returns `undefined`. IndexedDB is opened lazily and probed with a write + delete before
 * it is trusted with a write; a read needs no probe (a failing read falls back like any other
 * failure), so a warm start costs one read transaction, not two write transactions first. The
 * site's own storage is used as it is, without a probe.
 */
export function persistentRecordStore<T extends object>(
  validate: (value: unknown) => T | undefined,
  memory: RecordStore<T>,
  options: PersistentStoreOptions = {},
): RecordStore<T> {
  const own = options.storage;
  let store = own;
  let probed: Promise<InkAuthStorage> | undefined;
  let fallen = false;
  const open = (): InkAuthStorage => {
    if (!store) {
      if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available');
      // idb-keyval's get/set/del, on our store: theirs default to the library's own database in a
      // default parameter, which no bundler can drop from the eager file (≈ 100 bytes gzip).
      const db = sharedStore(options.dbName ?? DEFAULT_DB_NAME, options.storeName ?? DEFAULT_STORE_NAME);
      store = {
        get: (key) => db('readonly', (objects) => promisifyRequest(objects.get(key))),
        set: (key, value) => db('readwrite', (objects) => (objects.put(value, key), promisifyRequest(objects.transaction))),
        del: (key) => db('readwrite', (objects) => (objects.delete(key), promisifyRequest(objects.transaction))),
      };
    }
    return store;
  };
  const writable = (): InkAuthStorage | Promise<InkAuthStorage> =>
    own ??
    (probed ??= (async () => {
      const opened = open();
      const key = `probe:${Math.random().toString(36).slice(2)}`;
      await withTimeout(opened.set(key, 1));
      await withTimeout(opened.del(key));
      return opened;
    })());
  const attempt = async <R>(opened: () => InkAuthStorage | Promise<InkAuthStorage>, run: (storage: InkAuthStorage) => Promise<R>, fallback: () => Promise<R>): Promise<R> => {
    if (!fallen) {
      try {
        return await withTimeout(run(await opened()));
      } catch (error) {
        if (!fallen) options.onFallback?.(error instanceof Error ? error.message : String(error));
        fallen = true;
      }
    }
    return fallback();
  };
  return {
    get kind() {
      return fallen ? 'memory' : own ? 'custom' : 'indexeddb';
    },
    read: (key) => attempt(open, async (storage) => validate(await storage.get(key)), () => memory.read(key)),
    write: (key, record) => attempt(writable, (storage) => storage.set(key, { ...record }), () => memory.write(key, record)),
    remove: (key) => attempt(writable, (storage) => storage.del(key), () => memory.remove(key)),
  };
}
