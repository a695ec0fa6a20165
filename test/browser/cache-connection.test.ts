// The session cache's IndexedDB use across provider restarts: one connection per page and
// database, reused; a cold start reads the cache twice (on start, and again under the cross-tab
// lock), a warm start once; the connection closes when another page upgrades the database
// (`versionchange`), and the next start opens it again.
import '../../src/index.js';
import type { InkAuthProvider } from '../../src/index.js';
import { DEFAULT_DB_NAME, asCachedSession, memoryStore, recordStoreFor, sessionKey } from '../../src/session/cache.js';
import type { TestServer } from './helpers/server.js';
import { equal, mount, onCleanup, server, settled, upgradeDatabase } from './helpers/harness.js';

/** Counts `indexedDB.open` and object-store reads of the library's database until the test ends. */
function countIndexedDb(): { opens: number; reads: number } {
  const counts = { opens: 0, reads: 0 };
  const { open } = IDBFactory.prototype;
  const { get } = IDBObjectStore.prototype;
  IDBFactory.prototype.open = function (this: IDBFactory, ...args: Parameters<IDBFactory['open']>) {
    if (args[0] === DEFAULT_DB_NAME) counts.opens++;
    return open.apply(this, args);
  };
  IDBObjectStore.prototype.get = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['get']>) {
    if (this.transaction.db.name === DEFAULT_DB_NAME) counts.reads++;
    return get.apply(this, args);
  };
  onCleanup(() => {
    IDBFactory.prototype.open = open;
    IDBObjectStore.prototype.get = get;
  });
  return counts;
}

/** Starts a provider and waits until it is ready; returns it. */
async function start(s: TestServer): Promise<InkAuthProvider> {
  const el = mount({ 'app-id': s.appId, 'base-url': s.url });
  const state = await settled(el);
  equal(state.status, 'ready', 'status');
  equal(state.storage, 'indexeddb', 'storage');
  return el;
}

describe('session cache: IndexedDB connection and reads', () => {
  it('five provider starts open one connection; the cold one reads twice, each warm one once', async () => {
    const s = await server({ pow: 'off' });
    // A cold start even on a reused port, and no connection left open in this page.
    await recordStoreFor('indexeddb', asCachedSession, memoryStore()).remove(sessionKey(s.url, s.appId));
    await upgradeDatabase(DEFAULT_DB_NAME);
    const counts = countIndexedDb();
    const first = await start(s);
    equal(counts.reads, 2, 'reads of a cold start (on start, under the lock)');
    first.remove();
    for (let restart = 1; restart <= 4; restart++) {
      const el = await start(s);
      equal(el.anonId, first.anonId, `restart ${restart} found the cached session`);
      el.remove();
    }
    equal(counts.opens, 1, 'connections opened');
    equal(counts.reads, 2 + 4, 'reads after four warm starts');
  });

  it('closes its connection when another page upgrades the database, and opens it again on the next start', async () => {
    const s = await server({ pow: 'off' });
    const first = await start(s);
    // Rejects when the upgrade is blocked, i.e. when the library kept its connection open.
    await upgradeDatabase(DEFAULT_DB_NAME);
    const counts = countIndexedDb();
    first.remove();
    const again = await start(s);
    equal(again.anonId, first.anonId, 'the session is still in the database');
    equal(counts.opens, 1, 'connections opened after the upgrade');
    equal(counts.reads, 1, 'reads of the warm start');
  });
});
