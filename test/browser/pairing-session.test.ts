// PairingSession without the element: a scripted pairing server (injected fetch) drives the
// waits, timeouts, expiry, refused keys and the sharing of a key between tabs.
import { InkAuthError } from '../../src/errors.js';
import type { CachedPairedKey } from '../../src/pairing/key-cache.js';
import { memoryPairedKeyStore, pairedKeyCacheKey } from '../../src/pairing/key-cache.js';
import { PairingRequestError } from '../../src/pairing/pairing-error.js';
import { PairingSession } from '../../src/pairing/pairing-session.js';
import type { PairingSessionOptions } from '../../src/pairing/pairing-session.js';
import type { AuthStatus } from '../../src/session/state.js';
import { createTabCoordinator } from '../../src/session/tabs.js';
import { equal, ok } from './helpers/harness.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const BASE = 'https://pairing.test';
const APP = 'app_pairingsession';

/** A scripted pairing server: one code per challenge, keys that expire after `keyLifetimeMs`. */
function fakeServer(options: { keyLifetimeMs?: number; hang?: boolean } = {}) {
  const codes = new Map<string, string>();
  const calls: string[] = [];
  let keys = 0;
  let challenges = 0;
  const reply = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } });
  const fetchImpl = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    calls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    if (options.hang) {
      return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    }
    const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, string>;
    if (url.pathname === '/v1/auth/challenges') {
      challenges++;
      const id = challenges.toString(16).padStart(24, '0');
      codes.set(id, String(1000 + challenges));
      return Promise.resolve(reply(201, { challenge_id: id }));
    }
    if (url.pathname === '/v1/auth/api_keys') {
      if (codes.get(body['challenge_id'] ?? '') !== body['code']) {
        return Promise.resolve(reply(401, { status: 401, code: 'unauthorized', reason: 'code_incorrect', detail: 'wrong', attemptsRemaining: 4 }));
      }
      codes.delete(body['challenge_id'] ?? '');
      keys++;
      const expires = options.keyLifetimeMs === undefined ? null : new Date(Date.now() + options.keyLifetimeMs).toISOString();
      return Promise.resolve(reply(201, { api_key: `k${keys}${'x'.repeat(40)}`, key_id: `key_${keys}`, expires_at: expires }));
    }
    return Promise.resolve(reply(404, { status: 404, code: 'not_found', detail: 'no route' }));
  };
  const lastCode = () => [...codes.values()].at(-1)!;
  return { fetch: fetchImpl as typeof fetch, calls, codes, lastCode };
}

function pairing(server: ReturnType<typeof fakeServer>, extra: Partial<PairingSessionOptions> = {}, map = new Map<string, CachedPairedKey>(), channelKey = `test-${Math.random()}`) {
  const errors: InkAuthError[] = [];
  const session = new PairingSession({
    appId: APP,
    baseUrl: BASE,
    appName: 'Session test',
    store: memoryPairedKeyStore(map),
    tabs: () => createTabCoordinator<CachedPairedKey>(channelKey),
    fetch: server.fetch,
    onError: (e) => errors.push(e),
    ...extra,
  });
  cleanups.push(() => session.dispose());
  return { session, errors, map };
}

function until(session: PairingSession, status: AuthStatus, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (session.state.status === status) return resolve();
      if (Date.now() > deadline) return reject(new Error(`stuck in ${session.state.status}, waiting for ${status}`));
      setTimeout(poll, 10);
    };
    poll();
  });
}

describe('PairingSession', () => {
  it('getToken waits while awaiting the code and resolves once it was entered', async () => {
    const server = fakeServer();
    const { session, map } = pairing(server);
    await session.start();
    equal(session.state.status, 'awaiting-code', 'awaiting the code');
    let resolved: string | null = null;
    const token = session.getToken().then((t) => (resolved = t));
    await new Promise((r) => setTimeout(r, 50));
    equal(resolved, null, 'still waiting for the user');
    await session.submitCode(server.lastCode());
    equal(await token, session.state.token, 'resolved with the key');
    equal(session.state.anonId, 'key_1', 'anonId is the key id');
    equal(session.state.expiresAt, null, 'a key without expiry');
    equal(map.get(pairedKeyCacheKey(BASE, APP))?.apiKey, session.state.token, 'cached under the pairing key');
  });

  it('a wrong code rejects with code_incorrect and keeps the challenge', async () => {
    const server = fakeServer();
    const { session, errors } = pairing(server);
    await session.start();
    const wrong = await session.submitCode('9999').then(() => null, (e: unknown) => e);
    ok(wrong instanceof PairingRequestError && wrong.reason === 'code_incorrect', 'code_incorrect');
    equal(session.state.status, 'awaiting-code', 'still awaiting');
    equal(errors.length, 1, 'reported');
    await session.submitCode(server.lastCode());
    equal(session.state.status, 'ready', 'the same challenge then works');
    equal(server.calls.filter((c) => c.endsWith('/challenges')).length, 1, 'one challenge');
  });

  it('a server that never answers becomes a network_error, not an endless wait', async () => {
    const { session } = pairing(fakeServer({ hang: true }), { requestTimeoutMs: 200 });
    await session.start();
    equal(session.state.status, 'error', 'error state');
    equal(session.state.error?.code, 'network_error', 'network_error');
    ok(/not reachable/.test(session.state.error?.detail ?? ''), 'says the server is not reachable');
    const rejected = await session.getToken().then(() => null, (e: unknown) => e);
    equal(rejected, session.state.error, 'getToken rejects with it');
  });

  it('an expiring key sends the session back to awaiting-code', async () => {
    const server = fakeServer({ keyLifetimeMs: 1_500 });
    const { session, map } = pairing(server);
    await session.start();
    await session.submitCode(server.lastCode());
    ok(session.state.expiresAt instanceof Date, 'expiry known');
    await until(session, 'awaiting-code');
    equal(session.state.token, null, 'key dropped');
    equal(map.size, 0, 'and removed from the cache');
  });

  it('refresh() after a refused key forgets it, opens one new challenge and rejects with unauthorized', async () => {
    const server = fakeServer();
    const { session, map } = pairing(server);
    await session.start();
    await session.submitCode(server.lastCode());
    const results = await Promise.all([session.refresh(), session.refresh()].map((p) => p.then(() => null, (e: unknown) => e)));
    for (const result of results) ok(result instanceof InkAuthError && result.code === 'unauthorized', 'rejects with unauthorized');
    equal(session.state.status, 'awaiting-code', 'awaiting a new code');
    equal(map.size, 0, 'cache emptied');
    equal(server.calls.filter((c) => c.endsWith('/challenges')).length, 2, 'exactly one new challenge');
  });

  it('a key paired in one tab is adopted by the other; a reset there reaches it too', async () => {
    const server = fakeServer();
    const channel = `tabs-${Math.random()}`;
    const a = pairing(server, {}, new Map(), channel);
    const b = pairing(server, {}, new Map(), channel);
    await Promise.all([a.session.start(), b.session.start()]);
    await a.session.submitCode([...server.codes.values()][0]!);
    await until(b.session, 'ready');
    equal(b.session.state.token, a.session.state.token, 'same key');
    await a.session.reset();
    await until(b.session, 'awaiting-code');
    equal(b.session.state.token, null, 'the other tab forgot it too');
    ok(server.calls.includes('DELETE /v1/auth/api_keys/key_1'), 'reset revoked the key on the server');
  });

  it('dispose stops a waiting getToken', async () => {
    const { session } = pairing(fakeServer());
    await session.start();
    const pending = session.getToken().then(() => null, (e: unknown) => e);
    session.dispose();
    const error = await pending;
    ok(error instanceof InkAuthError && error.code === 'aborted', 'aborted');
  });
});
