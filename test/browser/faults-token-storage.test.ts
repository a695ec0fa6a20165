// <ink-auth-provider> behind the fault proxy: session tokens that are not JWTs or already
// expired (error, nothing cached), and IndexedDB that throws on read or on write (ready anyway,
// in memory, and nothing half-written in the database).
import '../../src/index.js';
import { cachedEntry, equal, faulty, mountProvider, ok, settled } from './helpers/faults.js';
import type { FaultyServer, ProviderLike } from './helpers/faults.js';
import { onCleanup } from './helpers/harness.js';

function mount(s: FaultyServer, attrs: Record<string, string> = {}): ProviderLike {
  const el = mountProvider({ 'app-id': s.appId, 'base-url': s.url, ...attrs });
  onCleanup(() => el.remove());
  return el;
}

/** Replaces `proto[name]` for one test. */
function patch<T extends object, K extends keyof T>(proto: T, name: K, replacement: T[K]): void {
  const original = proto[name];
  proto[name] = replacement;
  onCleanup(() => {
    proto[name] = original;
  });
}

describe('faults: tokens', () => {
  for (const fault of ['token-not-jwt', 'token-expired'] as const) {
    it(`${fault}: error invalid_token, not retried, nothing cached, getToken() rejects`, async () => {
      const s = await faulty({ pow: 'v1' });
      await s.inject('session', { kind: fault });
      const el = mount(s);
      equal(await settled(el), 'error', 'status');
      equal(el.error?.code, 'invalid_token', 'code');
      equal(el.token, null, 'no token published');
      equal(await cachedEntry(s.url, s.appId), undefined, 'nothing cached in IndexedDB');
      const rejected = await el.getToken().then(() => null, (e: { code?: string }) => e);
      equal(rejected?.code, 'invalid_token', 'getToken rejects with the error');
      equal((await s.calls('session')).length, 1, 'session requests');
      // A new element (a reload) finds nothing in the cache and asks the server again.
      el.remove();
      const again = mount(s);
      equal(await settled(again), 'ready', 'a fresh start gets a real token');
      equal((await s.calls('session')).length, 2, 'session requests after the reload');
    });
  }
});

describe('faults: IndexedDB', () => {
  it('IDBObjectStore.get throws: ready in memory, said in the state', async () => {
    const s = await faulty({ pow: 'off' });
    let reads = 0;
    patch(IDBObjectStore.prototype, 'get', function (): IDBRequest {
      reads++;
      throw new DOMException('read refused for the test', 'UnknownError');
    });
    const el = mount(s);
    equal(await settled(el), 'ready', 'status');
    ok(reads >= 1, 'the library tried to read');
    equal(el.authState.storage, 'memory', 'storage');
    equal(el.authState.storageFallback, true, 'storageFallback');
    equal((await s.calls('session')).length, 1, 'session requests');
  });

  it('IDBObjectStore.put throws after the probe: ready in memory, nothing in the database', async () => {
    const s = await faulty({ pow: 'off' });
    const original = IDBObjectStore.prototype.put;
    let refused = 0;
    patch(IDBObjectStore.prototype, 'put', function (this: IDBObjectStore, value: unknown, key?: IDBValidKey): IDBRequest<IDBValidKey> {
      // Let the library's probe key through so the failure hits the real write.
      if (typeof key === 'string' && key.startsWith('probe:')) return original.call(this, value, key);
      refused++;
      throw new DOMException('quota exceeded for the test', 'QuotaExceededError');
    });
    const el = mount(s);
    equal(await settled(el), 'ready', 'status');
    ok(refused >= 1, 'the session write was attempted');
    equal(el.authState.storage, 'memory', 'storage');
    equal(el.authState.storageFallback, true, 'storageFallback');
    equal(await cachedEntry(s.url, s.appId), undefined, 'nothing in IndexedDB');
  });

  it('IDBDatabase.transaction throws: ready in memory', async () => {
    const s = await faulty({ pow: 'off' });
    patch(IDBDatabase.prototype, 'transaction', function (): IDBTransaction {
      throw new DOMException('no transactions for the test', 'InvalidStateError');
    });
    const el = mount(s);
    equal(await settled(el), 'ready', 'status');
    equal(el.authState.storage, 'memory', 'storage');
    equal(el.authState.storageFallback, true, 'storageFallback');
  });
});
