// <ink-auth-provider> against a real reference server behind the fault proxy: server down then
// back, 5xx, 429 + Retry-After, responses that never end, truncated and non-JSON bodies.
// Every test: the element ends `ready` or `error` (an InkAuthError), retries are bounded (counted
// in the proxy log), nothing invalid is cached, no unhandled rejection.
import '../../src/index.js';
import { cachedEntry, equal, faulty, mountProvider, ok, settled, statusTrail } from './helpers/faults.js';
import type { FaultyServer, ProviderLike } from './helpers/faults.js';
import { onCleanup } from './helpers/harness.js';

/** Attempts of one call, from src/api/retry.ts DEFAULT_RETRY_POLICY. */
const MAX_ATTEMPTS = 4;

function mount(s: FaultyServer, attrs: Record<string, string> = {}): ProviderLike {
  const el = mountProvider({ 'app-id': s.appId, 'base-url': s.url, ...attrs });
  onCleanup(() => el.remove());
  return el;
}
const count = async (s: FaultyServer, route: 'challenge' | 'session') => (await s.calls(route)).length;

describe('faults: server and network', () => {
  it('server down at start, back 700 ms later: recovers on its own within the backoff', async () => {
    const s = await faulty({ pow: 'v1' });
    await s.down(700);
    const mountedAt = Date.now();
    const el = mount(s);
    const trail = statusTrail(el);
    equal(await settled(el), 'ready', 'status');
    const took = Date.now() - mountedAt;
    console.log(`server down 700 ms at start: ready after ${took} ms`);
    ok(took >= 690, `ready only once the server was back (${took} ms)`);
    ok(el.anonId?.startsWith('anon_'), 'an anon_ id');
    const challenges = await count(s, 'challenge');
    ok(challenges >= 1 && challenges <= MAX_ATTEMPTS, `challenge requests reaching the server: ${challenges}`);
    equal(await count(s, 'session'), 1, 'session requests');
    ok(!trail.includes('error'), `no error on the way: ${trail.join(' → ')}`);
    ok(await cachedEntry(s.url, s.appId), 'the session is cached');
  });

  it('server down for good: error network_error after bounded attempts; getToken() recovers once it is back', async () => {
    const s = await faulty({ pow: 'off' });
    await s.down();
    const el = mount(s, { storage: 'memory' });
    equal(await settled(el), 'error', 'status');
    equal(el.error?.code, 'network_error', 'code');
    equal(el.error?.retryable, true, 'retryable');
    await new Promise((r) => setTimeout(r, 1_000));
    equal(el.status, 'error', 'stays in error: no retry loop');
    await s.up();
    const token = await el.getToken();
    ok(token.split('.').length === 3, 'a JWT after the server came back');
    equal(el.status, 'ready', 'status');
    equal(await count(s, 'session'), 1, 'session requests');
  });

  it('500 twice on the challenge: retried, then ready', async () => {
    const s = await faulty({ pow: 'v1' });
    await s.inject('challenge', { kind: 'status', status: 500 }, 2);
    const el = mount(s, { storage: 'memory' });
    equal(await settled(el), 'ready', 'status');
    equal(await count(s, 'challenge'), 3, 'challenge requests (2 × 500, then 200)');
    equal(await count(s, 'session'), 1, 'session requests');
  });

  it('500 on every session request: error internal_server_error after exactly the bounded attempts, nothing cached', async () => {
    const s = await faulty({ pow: 'v1' });
    await s.inject('session', { kind: 'status', status: 500 }, 50);
    const el = mount(s);
    equal(await settled(el), 'error', 'status');
    equal(el.error?.code, 'internal_server_error', 'code');
    equal(el.error?.status, 500, 'HTTP status');
    equal(await count(s, 'session'), MAX_ATTEMPTS, 'session requests');
    equal(await count(s, 'challenge'), 1, 'one challenge: the solution is reused across retries');
    equal(await cachedEntry(s.url, s.appId), undefined, 'nothing cached');
  });

  it('429 with Retry-After: 2 waits at least 2 s before trying again', async () => {
    const s = await faulty({ pow: 'v1' });
    await s.inject('session', { kind: 'status', status: 429, retryAfterSeconds: 2 });
    const el = mount(s, { storage: 'memory' });
    equal(await settled(el), 'ready', 'status');
    const sessions = await s.calls('session');
    equal(sessions.length, 2, 'session requests');
    equal(sessions[0]?.status, 429, 'first answer');
    const waited = sessions[1]!.at - sessions[0]!.at;
    console.log(`429 Retry-After 2 s: next session request after ${waited} ms`);
    // ms clocks on both sides: allow their rounding, never an upper bound.
    ok(waited >= 1_998, `waited ${waited} ms`);
  });

  it('a response whose body never ends: timeout, retried, ready', async () => {
    const s = await faulty({ pow: 'v1' });
    await s.inject('challenge', { kind: 'hang', stage: 'headers' });
    const el = mount(s, { storage: 'memory', 'request-timeout': '1' });
    const errors: string[] = [];
    el.addEventListener('ink-auth-error', (e) => errors.push((e as CustomEvent<{ error: { code: string } }>).detail.error.code));
    equal(await settled(el), 'ready', 'status');
    const challenges = await s.calls('challenge');
    equal(challenges.length, 2, 'challenge requests (hung, then answered)');
    ok(challenges[1]!.at - challenges[0]!.at >= 998, 'the retry came after the 1 s timeout');
    equal(errors.length, 0, 'a timeout that is retried is not reported');
  });

  it('a slow answer past request-timeout is abandoned and retried; a slow one within it is waited for', async () => {
    const s = await faulty({ pow: 'v1' });
    await s.inject('challenge', { kind: 'delay', ms: 1_500 });
    await s.inject('session', { kind: 'delay', ms: 300 });
    const el = mount(s, { storage: 'memory', 'request-timeout': '1' });
    equal(await settled(el), 'ready', 'status');
    equal(await count(s, 'challenge'), 2, 'challenge requests (slow one abandoned)');
    equal(await count(s, 'session'), 1, 'session requests (waited for)');
  });

  it('a server that never answers at all: error timeout after the bounded attempts', async () => {
    const s = await faulty({ pow: 'off' });
    await s.inject('session', { kind: 'hang', stage: 'nothing' }, 50);
    const el = mount(s, { storage: 'memory', 'request-timeout': '0.5' });
    const trail = statusTrail(el);
    equal(await settled(el), 'error', `status (${trail.join(' → ')})`);
    equal(el.error?.code, 'timeout', 'code');
    equal(el.error?.retryable, true, 'retryable');
    equal(await count(s, 'session'), MAX_ATTEMPTS, 'session requests');
  });

  it('a truncated session body: error invalid_response, not retried, nothing cached', async () => {
    const s = await faulty({ pow: 'v1' });
    await s.inject('session', { kind: 'truncate' });
    const el = mount(s);
    equal(await settled(el), 'error', 'status');
    equal(el.error?.code, 'invalid_response', 'code');
    equal(await count(s, 'session'), 1, 'session requests');
    equal(await cachedEntry(s.url, s.appId), undefined, 'nothing cached');
  });

  it('a truncated challenge body: error invalid_response, no session request', async () => {
    const s = await faulty({ pow: 'v1' });
    await s.inject('challenge', { kind: 'truncate' });
    const el = mount(s, { storage: 'memory' });
    equal(await settled(el), 'error', 'status');
    equal(el.error?.code, 'invalid_response', 'code');
    equal(await count(s, 'session'), 0, 'session requests');
  });

  it('an HTML page instead of JSON (200): error invalid_response, nothing cached', async () => {
    const s = await faulty({ pow: 'off' });
    await s.inject('session', { kind: 'non-json' });
    const el = mount(s);
    equal(await settled(el), 'error', 'status');
    equal(el.error?.code, 'invalid_response', 'code');
    equal(await count(s, 'session'), 1, 'session requests');
    equal(await cachedEntry(s.url, s.appId), undefined, 'nothing cached');
  });

  it('an HTML 502 from a gateway: bad_gateway, retried, ready', async () => {
    const s = await faulty({ pow: 'v1' });
    await s.inject('challenge', { kind: 'non-json', status: 502 });
    const el = mount(s, { storage: 'memory' });
    equal(await settled(el), 'ready', 'status');
    equal(await count(s, 'challenge'), 2, 'challenge requests');
  });
});
