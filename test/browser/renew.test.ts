// RenewalScheduler: due by timer, due on becoming visible after the time passed, cancel, dispose —
// on a fake clock and timer, so no test sleeps.
import { RenewalScheduler } from '../../src/session/renew.js';
import type { TimerSource, VisibilitySource } from '../../src/session/renew.js';
import { parseRetryAfter } from '../../src/errors.js';
import { poolSize } from '../../src/pow/solve.js';
import { equal } from './helpers/harness.js';

/** A manual clock and timer: `advance(ms)` moves time and runs the timeouts that fall due, in order. */
function fakeTimers(start = 1_000_000) {
  let now = start;
  let nextId = 1;
  const pending = new Map<number, { at: number; callback: () => void }>();
  const timers: TimerSource = {
    setTimeout(callback, delayMs) {
      const id = nextId++;
      pending.set(id, { at: now + Math.max(0, delayMs), callback });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (let guard = 0; guard < 10_000; guard++) {
      const due = [...pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      pending.delete(due[0]);
      now = Math.max(now, due[1].at);
      due[1].callback();
    }
    now = end;
  };
  return { timers, now: () => now, advance, pending: () => [...pending.values()].map((t) => t.at - now) };
}

function fakeVisibility() {
  const listeners = new Set<() => void>();
  const source: VisibilitySource = {
    onVisible(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { source, show: () => listeners.forEach((l) => l()), count: () => listeners.size };
}

describe('RenewalScheduler', () => {
  it('fires when its timer is due, not before', () => {
    const clock = fakeTimers();
    let fired = 0;
    const scheduler = new RenewalScheduler(() => fired++, { now: clock.now, timers: clock.timers, visibility: fakeVisibility().source });
    scheduler.schedule(clock.now() + 30);
    clock.advance(29);
    equal(fired, 0, 'fired 1 ms before the due time');
    clock.advance(1);
    equal(fired, 1, 'fired at the due time');
    clock.advance(60_000);
    equal(fired, 1, 'fires once per schedule');
    scheduler.dispose();
  });

  it('rescheduling replaces the pending renewal (one timer at a time)', () => {
    const clock = fakeTimers();
    let fired = 0;
    const scheduler = new RenewalScheduler(() => fired++, { now: clock.now, timers: clock.timers, visibility: fakeVisibility().source });
    scheduler.schedule(clock.now() + 30);
    scheduler.schedule(clock.now() + 100);
    equal(clock.pending().length, 1, 'pending timers');
    clock.advance(50);
    equal(fired, 0, 'the first due time was replaced');
    clock.advance(50);
    equal(fired, 1, 'fired at the new due time');
    scheduler.dispose();
  });

  it('fires when the page becomes visible after the due time (frozen timers)', () => {
    let now = 1_000_000;
    let fired = 0;
    const visibility = fakeVisibility();
    const clock = fakeTimers();
    // The clock moves but the timer never runs: a frozen background tab.
    const scheduler = new RenewalScheduler(() => fired++, { now: () => now, timers: clock.timers, visibility: visibility.source });
    scheduler.schedule(now + 60_000);
    visibility.show();
    equal(fired, 0, 'not due yet');
    now += 61_000; // the tab slept; its timer never ran
    visibility.show();
    equal(fired, 1, 'fired on visibility');
    visibility.show();
    equal(fired, 1, 'fires once per schedule');
    scheduler.dispose();
    equal(visibility.count(), 0, 'visibility listener removed on dispose');
  });

  it('cancel() forgets the pending renewal', () => {
    const clock = fakeTimers();
    let fired = 0;
    const scheduler = new RenewalScheduler(() => fired++, { now: clock.now, timers: clock.timers, visibility: fakeVisibility().source });
    scheduler.schedule(clock.now() + 20);
    scheduler.cancel();
    equal(clock.pending().length, 0, 'pending timers after cancel');
    clock.advance(60_000);
    equal(fired, 0, 'fired');
    scheduler.dispose();
  });

  it('a 30-day expiry does not overflow setTimeout: waits in steps of at most 2^31-1 ms, fires on the day', () => {
    const clock = fakeTimers();
    let fired = 0;
    const scheduler = new RenewalScheduler(() => fired++, { now: clock.now, timers: clock.timers, visibility: fakeVisibility().source });
    const day = 86_400_000;
    scheduler.schedule(clock.now() + 30 * day);
    equal(clock.pending()[0], 2 ** 31 - 1, 'the first wait is the longest setTimeout allows');
    clock.advance(29 * day);
    equal(fired, 0, 'not fired after 29 days');
    clock.advance(day);
    equal(fired, 1, 'fired after 30 days');
    scheduler.dispose();
  });

  it('the default timers are the global ones: a due time 30 ms ahead fires', async () => {
    let fired = 0;
    const scheduler = new RenewalScheduler(() => fired++, { visibility: fakeVisibility().source });
    const due = new Promise<void>((resolve) => {
      const check = () => (fired ? resolve() : setTimeout(check, 5));
      check();
    });
    scheduler.schedule(Date.now() + 30);
    await due;
    equal(fired, 1, 'fired');
    scheduler.dispose();
  });
});

describe('small rules', () => {
  it('parseRetryAfter reads seconds and HTTP dates', () => {
    equal(parseRetryAfter('3'), 3000, 'seconds');
    equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6_000, 'date');
    equal(parseRetryAfter('soon'), null, 'garbage');
    equal(parseRetryAfter(null), null, 'absent');
  });

  it('poolSize is bounded 1…8', () => {
    equal(poolSize(0), 2, 'unknown → 2');
    equal(poolSize(1), 1, 'one core');
    equal(poolSize(64), 8, 'capped');
  });
});
