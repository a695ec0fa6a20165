// CredentialLifecycle without any mode: the start, the trust rules for cached entries and
// broadcasts, the due timer, and that the tab channel it opened is the one it closes.
import { memoryRecordStore } from '../../src/session/cache.js';
import { CredentialLifecycle } from '../../src/session/lifecycle.js';
import type { CredentialRules, LifecycleHooks } from '../../src/session/lifecycle.js';
import type { TimerSource, VisibilitySource } from '../../src/session/renew.js';
import type { AuthState } from '../../src/session/state.js';
import type { TabCoordinator, TabMessage } from '../../src/session/tabs.js';
import { equal, ok, onCleanup } from './helpers/harness.js';

interface Card {
  id: string;
  expiresAt: number;
}

/** A tab channel in memory: what the lifecycle sends, and a way to deliver another tab's message. */
function spyTabs() {
  const sent: TabMessage<Card>[] = [];
  const listeners = new Set<(message: TabMessage<Card>) => void>();
  let opened: string | null = null;
  let closed = 0;
  const open = (key: string): TabCoordinator<Card> => {
    opened = key;
    return {
      crossTab: false,
      withLock: (task) => task(),
      publish: (message) => void sent.push(message),
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close: () => {
        closed++;
        listeners.clear();
      },
    };
  };
  const deliver = (message: TabMessage<unknown>) => {
    for (const listener of [...listeners]) listener(message as TabMessage<Card>);
  };
  return { open, sent, deliver, opened: () => opened, closed: () => closed, listening: () => listeners.size };
}

const asCard = (value: unknown): Card | undefined => {
  const v = value as Partial<Card> | null;
  return v && typeof v.id === 'string' && typeof v.expiresAt === 'number' ? { id: v.id, expiresAt: v.expiresAt } : undefined;
};

const noVisibility: VisibilitySource = { onVisible: () => () => {} };

/** Timers that fire only when the test says so. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  const timers: TimerSource = {
    setTimeout: (callback) => {
      pending.set(++next, callback);
      return next;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  const fireAll = () => {
    const due = [...pending.values()];
    pending.clear();
    for (const callback of due) callback();
  };
  return { timers, fireAll, pending: () => pending.size };
}

function lifecycle(options: { now?: () => number; timers?: TimerSource; cached?: Card; hooks?: Partial<LifecycleHooks<Card>> } = {}) {
  const now = options.now ?? Date.now;
  const tabs = spyTabs();
  const map = new Map<string, Card>();
  if (options.cached) map.set('k', options.cached);
  const calls: string[] = [];
  const states: AuthState[] = [];
  const rules: CredentialRules<Card> = {
    trust: asCard,
    usable: (card) => card.expiresAt > now(),
    view: (card) => ({ token: card.id, anonId: `anon_${card.id}`, identity: `anon_${card.id}`, expiresAt: new Date(card.expiresAt) }),
    dueAt: (card) => card.expiresAt,
    supersedes: (incoming, held) => !held || incoming.expiresAt > held.expiresAt,
  };
  const life = new CredentialLifecycle<Card>({
    appId: 'app_x',
    baseUrl: 'https://lifecycle.test',
    key: 'k',
    store: memoryRecordStore(map),
    tabs: tabs.open,
    now,
    ...(options.timers ? { timers: options.timers } : {}),
    visibility: noVisibility,
    onChange: (state) => states.push(state),
    rules,
    hooks: {
      acquire: async (cached) => void calls.push(`acquire:${cached?.id ?? '-'}`),
      due: () => void calls.push('due'),
      forgotten: () => void calls.push('forgotten'),
      ...options.hooks,
    },
  });
  onCleanup(() => life.dispose());
  return { life, tabs, map, calls, states };
}

describe('CredentialLifecycle', () => {
  it('opens the tab channel of its key and closes exactly that one on dispose', () => {
    const { life, tabs } = lifecycle();
    equal(tabs.opened(), 'k', 'channel opened for the cache key');
    equal(tabs.listening(), 1, 'listening once');
    life.dispose();
    life.dispose();
    equal(tabs.closed(), 1, 'closed once, however often disposed');
    equal(tabs.listening(), 0, 'no listener left');
    ok(life.signal.aborted, 'requests are aborted');
  });

  it('adopts a usable cached record on start without acquiring, and runs one start only', async () => {
    const card = { id: 'c1', expiresAt: Date.now() + 60_000 };
    const { life, calls } = lifecycle({ cached: card });
    await Promise.all([life.start(), life.start()]);
    equal(calls.join(), '', 'nothing acquired');
    equal(life.state.status, 'ready', 'ready');
    equal(life.state.token, 'c1', 'the cached token');
    equal(life.held?.id, 'c1', 'held');
  });

  it('hands an expired or malformed cached record to acquire', async () => {
    const expired = lifecycle({ cached: { id: 'old', expiresAt: Date.now() - 1 } });
    await expired.life.start();
    equal(expired.calls.join(), 'acquire:old', 'expired: acquire sees what was cached');
    const malformed = lifecycle();
    malformed.map.set('k', { id: 42 } as unknown as Card);
    await malformed.life.start();
    equal(malformed.life.held, null, 'a malformed entry is never adopted');
    equal(malformed.calls.length, 1, 'acquire ran');
  });

  it('adopts a broadcast only when trusted, usable and newer than what it holds', async () => {
    const { life, tabs } = lifecycle();
    const later = Date.now() + 120_000;
    tabs.deliver({ type: 'session', session: { id: 'bad' } });
    equal(life.held, null, 'malformed broadcast ignored');
    tabs.deliver({ type: 'session', session: { id: 'stale', expiresAt: Date.now() - 5 } });
    equal(life.held, null, 'expired broadcast ignored');
    tabs.deliver({ type: 'session', session: { id: 'b1', expiresAt: later } });
    equal(life.held?.id, 'b1', 'adopted');
    tabs.deliver({ type: 'session', session: { id: 'older', expiresAt: later - 1_000 } });
    equal(life.held?.id, 'b1', 'an older one does not replace it');
    equal(life.state.status, 'ready', 'ready from the broadcast');
  });

  it('passes a reset from another tab to the mode', () => {
    const { tabs, calls } = lifecycle();
    tabs.deliver({ type: 'reset', at: Date.now() });
    equal(calls.join(), 'forgotten', 'the mode decides what forgetting means');
  });

  it('keeps (cache + broadcast) and forgets everywhere (cache + reset broadcast)', async () => {
    const { life, tabs, map } = lifecycle();
    const card = { id: 'k1', expiresAt: Date.now() + 60_000 };
    await life.keep(card);
    life.adopt(card);
    equal(map.get('k')?.id, 'k1', 'cached');
    equal(tabs.sent[0]?.type, 'session', 'broadcast');
    await life.forgetEverywhere();
    equal(map.has('k'), false, 'removed from the cache');
    equal(life.held, null, 'no longer held');
    equal(tabs.sent[1]?.type, 'reset', 'the other tabs are told');
  });

  it('calls the due hook once the held record is due, and not after drop', () => {
    let clock = 1_000_000;
    const manual = manualTimers();
    const { life, calls } = lifecycle({ now: () => clock, timers: manual.timers });
    life.adopt({ id: 'soon', expiresAt: clock + 30_000 });
    equal(manual.pending(), 1, 'a timer for the due time');
    clock += 30_000;
    manual.fireAll();
    equal(calls.join(), 'due', 'due once its time came');
    life.adopt({ id: 'later', expiresAt: clock + 30_000 });
    life.drop();
    equal(manual.pending(), 0, 'a dropped record has no timer');
    clock += 60_000;
    manual.fireAll();
    equal(calls.join(), 'due', 'nothing more');
  });

  it('publishes nothing after dispose', async () => {
    const { life, states, tabs } = lifecycle();
    life.dispose();
    const before = states.length;
    life.publish({ status: 'requesting' });
    tabs.deliver({ type: 'session', session: { id: 'late', expiresAt: Date.now() + 60_000 } });
    equal(states.length, before, 'no state after dispose');
    equal(life.disposedError().code, 'aborted', 'calls after dispose fail as aborted');
  });
});
