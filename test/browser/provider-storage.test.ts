// <ink-auth-provider storage=…> given a storage of the site's own (the `storage` property): the
// session lives there and nowhere else, a new provider on it starts warm, an idb-keyval
// `createStore()` of the site's works through its get/set/del, a foreign record is not trusted,
// and a storage that fails leaves the element ready in memory, saying so in its state.
import { createStore, del, get, set } from 'idb-keyval';
import '../../src/index.js';
import type { InkAuthProvider, InkAuthStorage } from '../../src/index.js';
import { DEFAULT_DB_NAME, DEFAULT_STORE_NAME, sessionKey } from '../../src/session/cache.js';
import type { TestServer } from './helpers/server.js';
import { clearServerRequests, serverRequests } from './helpers/server.js';
import { equal, ok, onCleanup, server, settled } from './helpers/harness.js';

/** A storage in a Map that records every call. */
function mapStorage(): InkAuthStorage & { entries: Map<string, unknown>; calls: string[] } {
  const entries = new Map<string, unknown>();
  const calls: string[] = [];
  return {
    entries,
    calls,
    async get(key) {
      calls.push(`get ${key}`);
      return entries.get(key);
    },
    async set(key, value) {
      calls.push(`set ${key}`);
      entries.set(key, structuredClone(value));
    },
    async del(key) {
      calls.push(`del ${key}`);
      entries.delete(key);
    },
  };
}

/** A provider whose `storage` property is set before it connects. */
function mountWith(s: TestServer, storage: InkAuthStorage): InkAuthProvider {
  const el = document.createElement('ink-auth-provider');
  el.setAttribute('app-id', s.appId);
  el.setAttribute('base-url', s.url);
  el.storage = storage;
  document.body.append(el);
  onCleanup(() => el.remove());
  return el;
}

const inIndexedDb = (s: TestServer) => get(sessionKey(s.url, s.appId), createStore(DEFAULT_DB_NAME, DEFAULT_STORE_NAME));

describe('<ink-auth-provider> with a storage of the site\'s own', () => {
  it('keeps the session there and not in IndexedDB; a new provider on it is ready with zero requests', async () => {
    const s = await server({ pow: 'off' });
    const storage = mapStorage();
    const first = mountWith(s, storage);
    const acquired = await settled(first);
    equal(acquired.status, 'ready', 'status');
    equal(acquired.storage, 'custom', 'state.storage');
    equal(acquired.storageFallback, false, 'no fallback');
    const key = sessionKey(s.url, s.appId);
    const stored = storage.entries.get(key) as { token?: string; anonId?: string } | undefined;
    equal(stored?.token, acquired.token, 'the token is in the storage');
    equal(stored?.anonId, acquired.anonId, 'and its identity');
    ok(!storage.calls.some((call) => call.startsWith('set probe:')), 'no probe write in the site\'s storage');
    equal(await inIndexedDb(s), undefined, 'nothing in IndexedDB');
    first.remove();

    await clearServerRequests(s.id);
    const second = mountWith(s, storage);
    const warm = await settled(second);
    equal(warm.token, acquired.token, 'the same token, from the storage');
    equal(warm.storage, 'custom', 'state.storage');
    equal((await serverRequests(s.id)).length, 0, 'requests of the warm start');

    await second.reset();
    ok(storage.calls.includes(`del ${key}`), 'reset deletes the record from the storage');
    ok(storage.entries.get(key) !== undefined && (storage.entries.get(key) as { token: string }).token !== acquired.token, 'and the new session replaces it');
  });

  it('an idb-keyval createStore() of the site\'s, through its get/set/del', async () => {
    const s = await server({ pow: 'off' });
    const siteStore = createStore(`site-db-${s.appId}`, 'site-sessions');
    const storage: InkAuthStorage = { get: (key) => get(key, siteStore), set: (key, value) => set(key, value, siteStore), del: (key) => del(key, siteStore) };
    const el = mountWith(s, storage);
    const state = await settled(el);
    equal(state.status, 'ready', 'status');
    const stored = await get<{ token: string }>(sessionKey(s.url, s.appId), siteStore);
    equal(stored?.token, state.token, 'the session is in the site\'s own database');
    equal(await inIndexedDb(s), undefined, 'not in the library\'s');
    await el.reset();
  });

  it('a record that is not a session is ignored, and a real one written over it', async () => {
    const s = await server({ pow: 'off' });
    const storage = mapStorage();
    const key = sessionKey(s.url, s.appId);
    storage.entries.set(key, { token: 42, anonId: 'anon_forged' });
    const el = mountWith(s, storage);
    const state = await settled(el);
    equal(state.status, 'ready', 'status');
    ok(state.anonId !== 'anon_forged' && state.anonId?.startsWith('anon_'), `a real identity (${state.anonId})`);
    equal((storage.entries.get(key) as { token?: unknown }).token, state.token, 'the real session replaced the foreign record');
    equal((await serverRequests(s.id)).filter((r) => r.method === 'POST').length, 1, 'session requests');
  });

  for (const [name, failing] of [
    ['get rejects', { get: () => Promise.reject(new Error('read refused for the test')) }],
    ['set throws', { set: () => { throw new Error('write refused for the test'); } }],
    ['a method is missing', { del: undefined }],
  ] as const) {
    it(`${name}: ready in memory, and the state says so`, async () => {
      const s = await server({ pow: 'off' });
      const storage = { ...mapStorage(), ...failing } as unknown as InkAuthStorage;
      const el = mountWith(s, storage);
      const state = await settled(el);
      equal(state.status, 'ready', 'status');
      if (name === 'a method is missing') {
        // A storage without `del` only fails when something is deleted: reset does.
        await el.reset();
        equal((await settled(el)).status, 'ready', 'ready again after reset');
      }
      equal(el.authState.storage, 'memory', 'state.storage');
      equal(el.authState.storageFallback, true, 'storageFallback');
      equal(el.error, null, 'no error');
    });
  }
});
