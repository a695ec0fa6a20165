// AuthSession (no DOM) against the real reference server with faults injected into fetch:
// retries with backoff, Retry-After, bounded attempts, malformed responses never cached,
// refused challenges re-solved once.
import type { FetchLike } from '../../src/api/run-auth.js';
import { memoryStore } from '../../src/session/cache.js';
import type { CachedSession } from '../../src/session/cache.js';
import { AuthSession } from '../../src/session/session.js';
import { createTabCoordinator } from '../../src/session/tabs.js';
import { solveChallenge } from '../../src/pow/solve.js';
import { HOSTED_POW_DETAILS, InkAuthError } from '../../src/errors.js';
import type { TestServer } from './helpers/server.js';
import { equal, ok, onCleanup, server } from './helpers/harness.js';

/** A fetch that answers the n-th call to a path kind with a canned response, else the real server. */
type Fault = (call: { kind: 'challenge' | 'session'; n: number }) => Response | Error | null;
function faultyFetch(fault: Fault, log: string[]): FetchLike {
  const counts = { challenge: 0, session: 0 };
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const kind = url.endsWith('/pow/challenge') ? 'challenge' : 'session';
    const n = ++counts[kind];
    const injected = fault({ kind, n });
    log.push(`${kind}#${n}${injected ? (injected instanceof Error ? ':throw' : `:${injected.status}`) : ''}`);
    if (injected instanceof Error) throw injected;
    return injected ?? fetch(input, init);
  };
}

const problem = (status: number, code: string, detail: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ title: code, status, detail, code, requestId: 'req_fault', error: { code, message: detail } }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });

function fakeJwt(claims: Record<string, unknown>): string {
  const b64 = (v: unknown) => btoa(JSON.stringify(v)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.c2ln`;
}

function session(s: TestServer, fetchImpl: FetchLike, map = new Map<string, CachedSession>()) {
  const errors: InkAuthError[] = [];
  const auth = new AuthSession({
    appId: s.appId,
    baseUrl: s.url,
    refreshLeewaySeconds: 60,
    store: memoryStore(map),
    tabs: () => createTabCoordinator(`test-${Math.random()}`),
    fetch: fetchImpl,
    solve: solveChallenge,
    retryPolicy: { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, maxRetryAfterMs: 2_000 },
    onError: (e) => errors.push(e),
  });
  onCleanup(() => auth.dispose());
  return { auth, errors, map };
}

describe('AuthSession failures', () => {
  it('retries 503 and network errors, then succeeds', async () => {
    const s = await server({ pow: 'v1' });
    const log: string[] = [];
    const { auth } = session(s, faultyFetch(({ kind, n }) => (kind === 'challenge' && n === 1 ? new TypeError('offline') : kind === 'session' && n === 1 ? problem(503, 'service_unavailable', 'busy') : null), log));
    await auth.start();
    equal(auth.state.status, 'ready', 'recovered');
    equal(log.join(), 'challenge#1:throw,challenge#2,session#1:503,session#2', 'calls');
  });

  it('honours Retry-After on 429', async () => {
    const s = await server({ pow: 'off' });
    const log: string[] = [];
    const { auth } = session(s, faultyFetch(({ kind, n }) => (kind === 'session' && n === 1 ? problem(429, 'too_many_requests', 'slow down', { 'retry-after': '1' }) : null), log));
    const started = performance.now();
    await auth.start();
    equal(auth.state.status, 'ready', 'recovered');
    ok(performance.now() - started >= 900, 'waited for Retry-After before retrying');
    equal(log.filter((l) => l.startsWith('session')).join(), 'session#1:429,session#2', 'calls');
  });

  it('gives up after the bounded attempts with a retryable error', async () => {
    const s = await server({ pow: 'off' });
    const log: string[] = [];
    const { auth, errors } = session(s, faultyFetch(({ kind }) => (kind === 'session' ? problem(500, 'internal_server_error', 'Internal Server Error') : null), log));
    await auth.start();
    equal(auth.state.status, 'error', 'status');
    equal(auth.state.error?.code, 'internal_server_error', 'code');
    equal(auth.state.error?.retryable, true, 'retryable');
    equal(log.filter((l) => l.startsWith('session')).length, 3, 'attempts');
    equal(errors.length, 1, 'one error reported');
    const rejected = await auth.getToken().then(() => null, (e: unknown) => e);
    ok(rejected instanceof InkAuthError && rejected.code === 'internal_server_error', 'getToken rejects with it');
  });

  it('after a transient failure, getToken() tries once more and recovers', async () => {
    const s = await server({ pow: 'off' });
    const log: string[] = [];
    const { auth } = session(s, faultyFetch(({ kind, n }) => (kind === 'challenge' && n <= 3 ? new TypeError('offline') : null), log));
    await auth.start();
    equal(auth.state.error?.code, 'network_error', 'first the network error');
    const token = await auth.getToken();
    equal(token, auth.state.token, 'then a token');
    equal(auth.state.status, 'ready', 'ready');
  });

  it('does not retry a 4xx', async () => {
    const s = await server({ pow: 'off' });
    const log: string[] = [];
    const { auth } = session(s, faultyFetch(({ kind }) => (kind === 'session' ? problem(422, 'unprocessable_entity', 'nope') : null), log));
    await auth.start();
    equal(auth.state.error?.code, 'unprocessable_entity', 'code');
    equal(log.filter((l) => l.startsWith('session')).length, 1, 'attempts');
  });

  it('solves a new challenge once when the server refuses the solution', async () => {
    const s = await server({ pow: 'v1' });
    const log: string[] = [];
    const { auth } = session(s, faultyFetch(({ kind, n }) => (kind === 'session' && n === 1 ? problem(400, 'bad_request', HOSTED_POW_DETAILS.pow_expired) : null), log));
    await auth.start();
    equal(auth.state.status, 'ready', 'recovered');
    equal(log.join(), 'challenge#1,session#1:400,challenge#2,session#2', 'calls');
  });

  it('a second refusal of a fresh solution is final', async () => {
    const s = await server({ pow: 'v1' });
    const log: string[] = [];
    const { auth } = session(s, faultyFetch(({ kind }) => (kind === 'session' ? problem(400, 'bad_request', HOSTED_POW_DETAILS.pow_invalid) : null), log));
    await auth.start();
    equal(auth.state.error?.code, 'bad_request', 'code');
    equal(log.join(), 'challenge#1,session#1:400,challenge#2,session#2:400', 'calls');
  });

  const malformed: Array<[string, () => Response, string]> = [
    ['not JSON', () => new Response('<html>oops</html>', { status: 200 }), 'invalid_response'],
    ['no token', () => Response.json({ expiresAt: new Date().toISOString() }), 'invalid_response'],
    ['token not a JWT', () => Response.json({ token: 'abc', expiresAt: new Date().toISOString() }), 'invalid_token'],
    ['exp in the past', () => Response.json({ token: fakeJwt({ sub: 'anon_x', exp: Math.floor(Date.now() / 1000) - 10 }) }), 'invalid_token'],
  ];
  for (const [name, body, code] of malformed) {
    it(`a malformed session response (${name}) is ${code} and never cached`, async () => {
      const s = await server({ pow: 'off' });
      const { auth, map } = session(s, faultyFetch(({ kind }) => (kind === 'session' ? body() : null), []));
      await auth.start();
      equal(auth.state.status, 'error', 'status');
      equal(auth.state.error?.code, code, 'code');
      equal(map.size, 0, 'cache entries');
    });
  }

  it('a malformed challenge is unsupported_challenge', async () => {
    const s = await server({ pow: 'off' });
    const { auth } = session(s, faultyFetch(({ kind }) => (kind === 'challenge' ? Response.json({ hello: 'world' }) : null), []));
    await auth.start();
    equal(auth.state.error?.code, 'unsupported_challenge', 'code');
  });

  it('a failed background renewal keeps the valid token and reports the error', async () => {
    const s = await server({ pow: 'off' });
    let failSessions = false;
    const { auth, errors } = session(s, faultyFetch(({ kind }) => (failSessions && kind === 'session' ? problem(403, 'forbidden', 'Origin not allowed') : null), []));
    await auth.start();
    const token = auth.state.token;
    failSessions = true;
    const rejected = await auth.refresh().then(() => null, (e: unknown) => e);
    ok(rejected instanceof InkAuthError && rejected.code === 'forbidden', 'refresh rejects');
    equal(auth.state.status, 'ready', 'still ready');
    equal(auth.state.token, token, 'still the old token');
    equal(errors.at(-1)?.code, 'forbidden', 'error reported');
  });
});
