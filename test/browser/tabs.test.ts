// Five "tabs" at once: five same-origin iframes, each its own browsing context with its own
// <ink-auth-provider>, sharing Web Locks, BroadcastChannel and IndexedDB as real tabs do.
import { advanceServerClock, serverRequests, startServer, stopServer } from './helpers/server.js';
import { equal, eventually as eventuallyWithin, ok, onCleanup } from './helpers/harness.js';
import { openTab, providerIn } from './helpers/tabs.js';

/** Five tabs solving at once on a shared machine take longer than one: a longer deadline. */
const eventually = (check: () => boolean, what: string) => eventuallyWithin(check, what, 25_000);

async function sessionCalls(id: string) {
  const all = (await serverRequests(id)).filter((r) => r.method !== 'OPTIONS');
  return { challenges: all.filter((r) => r.path.endsWith('/pow/challenge')).length, sessions: all.filter((r) => r.path.endsWith('/anonymous-session')).length };
}

describe('tabs', () => {
  it('five tabs opened at once: one challenge, one session request, one anon_ id', async () => {
    const s = await startServer({ pow: 'v1', difficulty: 50_000 });
    onCleanup(() => stopServer(s.id));
    const frames = Array.from({ length: 5 }, () => openTab(s));
    await eventually(() => frames.every((f) => providerIn(f)?.status === 'ready'), 'all five tabs ready');
    const ids = new Set(frames.map((f) => providerIn(f)?.anonId));
    equal(ids.size, 1, 'distinct anon_ ids');
    ok([...ids][0]?.startsWith('anon_'), 'an anon_ id');
    const calls = await sessionCalls(s.id);
    equal(calls.challenges, 1, 'challenge requests');
    equal(calls.sessions, 1, 'session requests');
  });

  it('reset() in one tab gives every tab the same new identity', async () => {
    const s = await startServer({ pow: 'off' });
    onCleanup(() => stopServer(s.id));
    const frames = Array.from({ length: 3 }, () => openTab(s));
    await eventually(() => frames.every((f) => providerIn(f)?.status === 'ready'), 'tabs ready');
    const before = providerIn(frames[0]!)!.anonId;
    await providerIn(frames[1]!)!.reset();
    await eventually(
      () => frames.every((f) => providerIn(f)?.status === 'ready' && providerIn(f)?.anonId !== before),
      'every tab moved to a new identity',
    );
    const ids = new Set(frames.map((f) => providerIn(f)?.anonId));
    equal(ids.size, 1, 'one identity after reset');
  });

  it('a renewal in one tab reaches the others without their own request', async () => {
    const s = await startServer({ pow: 'off' });
    onCleanup(() => stopServer(s.id));
    const frames = Array.from({ length: 3 }, () => openTab(s));
    await eventually(() => frames.every((f) => providerIn(f)?.status === 'ready'), 'tabs ready');
    const old = providerIn(frames[0]!)!.token;
    await advanceServerClock(s.id, 2_000); // a later exp for the renewed token, with no real wait
    await providerIn(frames[2]!)!.refresh();
    const fresh = providerIn(frames[2]!)!.token;
    ok(fresh !== old, 'refreshed');
    await eventually(() => frames.every((f) => providerIn(f)?.token === fresh), 'every tab has the new token');
    equal((await sessionCalls(s.id)).sessions, 2, 'session requests');
  });
});
