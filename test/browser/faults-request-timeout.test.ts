// The per-request timeout of the API calls (src/api/http.ts), with fake fetches:
// a server that never answers, or answers headers and never ends the body, is a retryable
// `timeout` InkAuthError within the bound, and the underlying fetch is aborted.
import { fetchChallenge, requestAnonymousSession } from '../../src/api/run-auth.js';
import type { FetchLike } from '../../src/api/run-auth.js';
import { withRetry } from '../../src/api/retry.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, MAX_REQUEST_TIMEOUT_MS, requestTimeoutMs } from '../../src/api/endpoint.js';
import { InkAuthError } from '../../src/errors.js';
import { equal, ok, rejection } from './helpers/harness.js';

const unhandled: unknown[] = [];
window.addEventListener('unhandledrejection', (event) => unhandled.push(event.reason));
afterEach(async () => {
  await new Promise((r) => setTimeout(r, 50));
  if (unhandled.length) throw new Error(`unhandled promise rejections: ${unhandled.splice(0).map(String).join('; ')}`);
});

const BASE = 'https://api.example.test';

/** A fetch that records its signals and answers with `respond` (which may never settle). */
function fakeFetch(respond: (signal: AbortSignal) => Promise<Response>): { fetch: FetchLike; signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  return {
    signals,
    fetch: (_input, init) => {
      const signal = init?.signal ?? new AbortController().signal;
      signals.push(signal);
      return respond(signal);
    },
  };
}
const never = () => new Promise<Response>(() => {});
/** 200 with headers and the first bytes of a JSON body that never ends (errors when aborted). */
function endlessBody(signal: AbortSignal): Promise<Response> {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"token":"'));
      signal.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
    },
  });
  return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }));
}

describe('request timeout', () => {
  it('a fetch that never settles (and ignores its signal) fails with a retryable timeout', async () => {
    const { fetch, signals } = fakeFetch(never);
    const error = await rejection(fetchChallenge(fetch, BASE, { timeoutMs: 100 }));
    ok(error instanceof InkAuthError, 'an InkAuthError');
    equal(error.code, 'timeout', 'code');
    equal(error.retryable, true, 'retryable');
    ok(error.detail.includes('/run/auth/pow/challenge'), `detail names the path: ${error.detail}`);
    ok(!error.detail.includes(BASE), 'detail does not repeat the origin');
    equal(signals[0]?.aborted, true, 'the fetch was aborted');
  });

  it('headers sent, body never ends: the challenge and the session calls time out', async () => {
    const challenge = fakeFetch(endlessBody);
    const a = await rejection(fetchChallenge(challenge.fetch, BASE, { timeoutMs: 100 }));
    ok(a instanceof InkAuthError && a.code === 'timeout', `challenge: timeout, got ${String(a)}`);
    equal(challenge.signals[0]?.aborted, true, 'challenge fetch aborted');

    const session = fakeFetch(endlessBody);
    const b = await rejection(requestAnonymousSession(session.fetch, BASE, 'app_x', { timeoutMs: 100 }));
    ok(b instanceof InkAuthError && b.code === 'timeout', `session: timeout, got ${String(b)}`);
    ok(b.detail.startsWith('POST /run/auth/apps/app_x/anonymous-session'), b.detail);
    equal(session.signals[0]?.aborted, true, 'session fetch aborted');
  });

  it('a timely answer resolves and leaves no timer behind (no late rejection)', async () => {
    const { fetch, signals } = fakeFetch(() => Promise.resolve(new Response(null, { status: 404 })));
    equal(await fetchChallenge(fetch, BASE, { timeoutMs: 50 }), null, 'PoW off');
    await new Promise((r) => setTimeout(r, 120));
    equal(signals[0]?.aborted, false, 'not aborted after completing');
  });

  it('an error response read within the bound keeps its own code', async () => {
    const { fetch } = fakeFetch(() => Promise.resolve(new Response('{"code":"forbidden","detail":"no"}', { status: 403 })));
    const error = await rejection(requestAnonymousSession(fetch, BASE, 'app_x', { timeoutMs: 1_000 }));
    ok(error instanceof InkAuthError && error.code === 'forbidden', `forbidden, got ${String(error)}`);
  });

  it('a rejected fetch is a retryable network_error; a TypeError while reading the answer is not', async () => {
    const offline: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    const down = (await rejection(fetchChallenge(offline, 'https://api.test'))) as InkAuthError;
    equal(down.code, 'network_error', 'fetch rejected');
    equal(down.retryable, true, 'retryable');
    // A body whose reader throws a TypeError (a bug, not the network): reported, never retried as offline.
    const broken: FetchLike = async () => ({ ok: true, status: 200, headers: new Headers(), text: () => Promise.reject(new TypeError('x is not a function')) }) as unknown as Response;
    const bug = (await rejection(fetchChallenge(broken, 'https://api.test'))) as InkAuthError;
    ok(bug instanceof InkAuthError && bug.code !== 'network_error', `not a network error: ${bug.code}`);
    equal(bug.retryable, false, 'not retryable');
  });

  it("the caller's abort wins over the timeout: aborted, not timeout", async () => {
    const { fetch, signals } = fakeFetch(never);
    const controller = new AbortController();
    const pending = rejection(fetchChallenge(fetch, BASE, { signal: controller.signal, timeoutMs: 5_000 }));
    controller.abort();
    const error = await pending;
    ok(error instanceof InkAuthError && error.code === 'aborted', `aborted, got ${String(error)}`);
    equal(signals[0]?.aborted, true, 'the fetch was aborted');
    const already = await rejection(fetchChallenge(fetch, BASE, { signal: controller.signal }));
    ok(already instanceof InkAuthError && already.code === 'aborted', 'an aborted signal rejects at once');
    equal(signals.length, 1, 'no request with an aborted signal');
  });

  it('timeouts are retried a bounded number of times, then reported', async () => {
    const { fetch, signals } = fakeFetch(endlessBody);
    const policy = { attempts: 3, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 1_000 };
    const error = await rejection(withRetry(() => fetchChallenge(fetch, BASE, { timeoutMs: 50 }), { policy }));
    ok(error instanceof InkAuthError && error.code === 'timeout', `timeout, got ${String(error)}`);
    equal(signals.length, 3, 'attempts');
    ok(signals.every((s) => s.aborted), 'every attempt aborted');
  });

  it('requestTimeoutMs: invalid values mean the default, huge ones are clamped', () => {
    for (const bad of [undefined, null, 0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      equal(requestTimeoutMs(bad), DEFAULT_REQUEST_TIMEOUT_MS, `requestTimeoutMs(${String(bad)})`);
    }
    equal(DEFAULT_REQUEST_TIMEOUT_MS, 15_000, 'documented default');
    equal(requestTimeoutMs(250), 250, 'a valid value');
    equal(requestTimeoutMs(1e12), MAX_REQUEST_TIMEOUT_MS, 'clamped');
  });
});
