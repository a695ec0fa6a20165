// <ink-auth-provider> in hostile page environments, behind the fault proxy: a CSP that forbids
// workers, a clock minutes or hours off (ready, and the renewal armed 59 min ahead for 1 h
// sessions: no loop, no dead token), and a session that expires while a chat request is in flight.
import '../../src/index.js';
import { authFetch } from '../../src/index.js';
import type { InkAuthProvider } from '../../src/index.js';
import { equal, faulty, frameUnhandled, mountProvider, ok, openFaultPage, settled, statusTrail } from './helpers/faults.js';
import { eventually, onCleanup } from './helpers/harness.js';

/**
 * Records the timers `win` arms from now on; returns a reader of the ones still pending, as
 * their delays (ms left when armed), longest first.
 */
function pendingTimers(win: Window & typeof globalThis): () => number[] {
  const pending = new Map<unknown, number>();
  const { setTimeout: arm, clearTimeout: clear } = win;
  win.setTimeout = ((callback: () => void, delay = 0, ...rest: unknown[]) => {
    const handle: unknown = arm(() => {
      pending.delete(handle);
      callback();
    }, delay, ...rest);
    pending.set(handle, delay);
    return handle;
  }) as typeof win.setTimeout;
  win.clearTimeout = ((handle?: number) => {
    pending.delete(handle);
    clear(handle);
  }) as typeof win.clearTimeout;
  onCleanup(() => {
    win.setTimeout = arm;
    win.clearTimeout = clear;
  });
  return () => [...pending.values()].sort((a, b) => b - a);
}

async function frame(options: Parameters<typeof openFaultPage>[0]): Promise<HTMLIFrameElement> {
  const f = await openFaultPage(options);
  onCleanup(() => f.remove());
  return f;
}

describe('faults: page environment', () => {
  it("CSP worker-src 'none': error pow_worker_failed, no session request, never a hang", async () => {
    const s = await faulty({ pow: 'v1', difficulty: 50_000 });
    const f = await frame({ workers: 'none' });
    const el = mountProvider({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory' }, f.contentDocument!);
    const trail = statusTrail(el);
    equal(await settled(el, 15_000), 'error', `status (${trail.join(' → ')})`);
    equal(el.error?.code, 'pow_worker_failed', 'code');
    equal(el.error?.retryable, false, 'not retried');
    equal((await s.calls('challenge')).length, 1, 'challenge requests');
    equal((await s.calls('session')).length, 0, 'session requests');
    equal(frameUnhandled(f).length, 0, `unhandled rejections in the page: ${frameUnhandled(f).join('; ')}`);
  });

  for (const [name, offset] of [['10 minutes ahead', 600_000], ['10 minutes behind', -600_000], ['3 hours ahead', 10_800_000], ['3 hours behind', -10_800_000]] as const) {
    it(`clock ${name} (1 h sessions): ready, and the only timer left is the renewal, 59 min ahead`, async () => {
      const s = await faulty({ pow: 'v1', sessionLifetimeSeconds: 3600 });
      const f = await frame({ clockOffsetMs: offset });
      const skew = (f.contentWindow as Window & typeof globalThis).Date.now() - Date.now();
      ok(Math.abs(skew - offset) < 1_000, `the page's clock is off by ${skew} ms`);
      // A renewal loop starts from a renewal due now: instead of waiting to see whether one comes,
      // read the timers the page still has pending once the element is ready.
      const pending = pendingTimers(f.contentWindow as Window & typeof globalThis);
      const el = mountProvider({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory' }, f.contentDocument!);
      equal(await settled(el), 'ready', 'status');
      // Request and storage timeouts end with their requests; what is left is the renewal.
      await eventually(() => pending().length === 1, () => `one pending timer (pending: ${pending().join(', ')} ms)`, 10_000);
      const [renewalMs = 0] = pending();
      console.log(`clock ${name}: the renewal is due in ${Math.round(renewalMs / 60_000)} min`);
      // 1 h token, 60 s leeway: due 59 min after it arrived whatever the page's clock says (the
      // token lives exp − iat); a loop would be due at once, a clock-bound expiry off by the skew.
      ok(Math.abs(renewalMs - 3_540_000) < 60_000, `the renewal is due in ${renewalMs} ms, expected ~3 540 000`);
      equal((await s.calls('session')).length, 1, 'session requests');
      equal((await s.calls('challenge')).length, 1, 'challenge requests');
      equal(el.status, 'ready', 'still ready');
      equal(frameUnhandled(f).length, 0, 'no unhandled rejection in the page');
    });
  }

  it('the session expires while a chat request is in flight: one renewal, one retry, same identity', async () => {
    const s = await faulty({ pow: 'v1' });
    const el = mountProvider({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory' }) as unknown as InkAuthProvider;
    onCleanup(() => el.remove());
    equal(await settled(el), 'ready', 'status');
    const anonId = el.anonId;
    const oldToken = el.token;
    // The chat call is held for 1.1 s (the renewal then falls in a new second, so a new exp and
    // token), then refused as if the token had expired meanwhile.
    await s.inject('chat', { kind: 'status', status: 401, afterMs: 1_100 });
    const response = await authFetch(`${s.url}/run/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'still there?' }] }),
      provider: el,
    });
    equal(response.status, 200, 'the retried chat call succeeded');
    ok((await response.text()).endsWith('data: [DONE]\n\n'), 'the stream completed');
    const chats = await s.calls('chat');
    equal(chats.length, 2, 'chat requests (401, then the retry)');
    equal(chats[0]?.status, 401, 'first chat answer');
    equal((await s.calls('session')).length, 2, 'session requests (first + exactly one renewal)');
    equal((await s.calls('challenge')).length, 2, 'challenge requests (the renewal solves a new one)');
    equal(el.anonId, anonId, 'the identity is kept');
    ok(el.token !== oldToken, 'a new token');
    equal(el.status, 'ready', 'status');
  });
});
