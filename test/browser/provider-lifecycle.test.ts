// <ink-auth-provider> lifecycle against a real reference server: refresh, renewal, reset,
// configuration errors, HTTP refusals, IndexedDB fallback and worker termination.
import '../../src/index.js';
import { InkAuthError, configurePowWorker } from '../../src/index.js';
import type { InkAuthProvider } from '../../src/index.js';
import { advanceServerClock, serverRequests } from './helpers/server.js';
import type { TestServerOptions } from './helpers/server.js';
import { DEFAULT_DB_NAME } from '../../src/session/cache.js';
import { apiCalls, equal, mount, ok, onCleanup, server, until, upgradeDatabase } from './helpers/harness.js';

const settled = (el: InkAuthProvider) => until(el, (s) => s.status === 'ready' || s.status === 'error');

const posts = async (id: string) => (await apiCalls(id)).filter((r) => r.method === 'POST');

describe('<ink-auth-provider> lifecycle', () => {
  it('refresh() renews the token and keeps the anon_ identity', async () => {
    const s = await server({ pow: 'off' });
    const el = mount({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory' });
    const first = await settled(el);
    await advanceServerClock(s.id, 2_000); // a later second on the server → a later exp
    await el.refresh();
    equal(el.anonId, first.anonId, 'anonId after refresh');
    ok(el.token !== first.token, 'a new token');
    ok(el.expiresAt!.getTime() > first.expiresAt!.getTime(), 'a later expiry');
    equal((await posts(s.id)).length, 2, 'session requests');
  });

  it('renews before expiry (refresh-leeway) and keeps the identity', async () => {
    const s = await server({ pow: 'v1', sessionLifetimeSeconds: 60 });
    const el = mount({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory', 'refresh-leeway': '57' });
    const first = await settled(el);
    equal(first.status, 'ready', 'ready');
    const renewed = await until(el, (st) => st.status === 'ready' && st.token !== first.token, 15_000);
    equal(renewed.anonId, first.anonId, 'anonId after the automatic renewal');
    equal((await posts(s.id)).length, 2, 'session requests');
  });

  it('reset() forgets the session: the next token is a new identity', async () => {
    const s = await server({ pow: 'off' });
    const el = mount({ 'app-id': s.appId, 'base-url': s.url });
    const first = await settled(el);
    await el.reset();
    equal(el.status, 'ready', 'ready after reset');
    ok(el.anonId && el.anonId !== first.anonId, 'a new anon_ id');
    el.remove();
    const again = mount({ 'app-id': s.appId, 'base-url': s.url });
    const cached = await settled(again);
    equal(cached.anonId, el.anonId, 'the cache holds the new identity, not the old one');
  });

  it('a missing app-id is an error without any network request', async () => {
    const s = await server();
    const errors: InkAuthError[] = [];
    const el = document.createElement('ink-auth-provider');
    el.addEventListener('ink-auth-error', (e) => errors.push(e.detail.error));
    el.setAttribute('base-url', s.url);
    document.body.append(el);
    onCleanup(() => el.remove());
    const state = await settled(el);
    equal(state.status, 'error', 'status');
    equal(state.error?.code, 'missing_app_id', 'code');
    equal(errors[0]?.code, 'missing_app_id', 'error event');
    const rejected = await el.getToken().then(() => null, (e: unknown) => e);
    ok(rejected instanceof InkAuthError && rejected.code === 'missing_app_id', 'getToken rejects with the error');
    equal((await serverRequests(s.id)).length, 0, 'requests');
  });

  it('a malformed base-url is an error', async () => {
    const el = mount({ 'app-id': 'app_x', 'base-url': 'not a url' });
    const state = await settled(el);
    equal(state.error?.code, 'invalid_base_url', 'code');
  });

  it('app-id set later starts the session; base-url changed at run time starts again', async () => {
    const a = await server({ pow: 'off' });
    const b = await server({ pow: 'off', appId: a.appId }); // the same app on a second server
    const el = mount({ 'base-url': a.url, storage: 'memory' });
    equal((await settled(el)).error?.code, 'missing_app_id', 'first without app-id');
    el.appId = a.appId;
    const onA = await until(el, (st) => st.status === 'ready');
    equal(onA.baseUrl, a.url, 'state names server a');
    el.baseUrl = b.url;
    const onB = await until(el, (st) => st.status === 'ready');
    equal(onB.baseUrl, b.url, 'state names server b');
    equal((await posts(b.id)).length, 1, 'server b issued a session');
  });

  const refusals: Array<[string, TestServerOptions, string, number]> = [
    ['origin not allowed', { pow: 'off', allowedDomains: ['example.com'] }, 'forbidden', 403],
    ['app disabled', { pow: 'off', enabled: false }, 'not_found', 404],
    ['anonymous sessions off', { pow: 'off', allowAnonymous: false }, 'sign_in_required', 401],
  ];
  for (const [name, options, code, status] of refusals) {
    it(`${name} → error ${code}, not retried`, async () => {
      const s = await server(options);
      const el = mount({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory' });
      const state = await settled(el);
      equal(state.status, 'error', 'status');
      equal(state.error?.code, code, 'code');
      equal(state.error?.status, status, 'HTTP status');
      ok(state.error?.requestId?.startsWith('req_'), 'request id carried');
      equal(state.error?.retryable, false, 'retryable');
      equal((await posts(s.id)).length, 1, 'session requests');
    });
  }

  it('falls back to memory when IndexedDB throws, and says so in the state', async () => {
    const s = await server({ pow: 'off' });
    // The page's connection from earlier tests closes, so the library has to open one again.
    await upgradeDatabase(DEFAULT_DB_NAME);
    const original = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function () {
      throw new DOMException('blocked for the test', 'InvalidStateError');
    };
    onCleanup(() => {
      IDBFactory.prototype.open = original;
    });
    const el = mount({ 'app-id': s.appId, 'base-url': s.url });
    const state = await settled(el);
    equal(state.status, 'ready', 'ready anyway');
    equal(state.storage, 'memory', 'storage');
    equal(state.storageFallback, true, 'storageFallback');
  });

  it('terminates every worker when solved, and when disconnected mid-solve', async () => {
    const created: Worker[] = [];
    const terminated = new Set<Worker>();
    configurePowWorker({
      factory: () => {
        const worker = new Worker(new URL('../../src/pow/pow.worker.js', import.meta.url), { type: 'module' });
        const terminate = worker.terminate.bind(worker);
        worker.terminate = () => {
          terminated.add(worker);
          terminate();
        };
        created.push(worker);
        return worker;
      },
    });
    onCleanup(() => configurePowWorker({ factory: null }));

    const easy = await server({ pow: 'v1', difficulty: 5_000 });
    const el = mount({ 'app-id': easy.appId, 'base-url': easy.url, storage: 'memory' });
    equal((await settled(el)).status, 'ready', 'solved');
    ok(created.length >= 1, 'workers were created');
    equal(terminated.size, created.length, 'terminated after solving');

    created.length = 0;
    terminated.clear();
    const hard = await server({ pow: 'v1', difficulty: 50_000_000 });
    const el2 = mount({ 'app-id': hard.appId, 'base-url': hard.url, storage: 'memory' });
    await new Promise<void>((resolve) => el2.addEventListener('ink-auth-progress', () => resolve(), { once: true }));
    el2.remove();
    ok(created.length >= 1, 'workers were created for the hard challenge');
    equal(terminated.size, created.length, 'terminated on disconnect');
    await new Promise((r) => setTimeout(r, 200));
    equal((await posts(hard.id)).length, 0, 'no session request after disconnect');
  });
});
