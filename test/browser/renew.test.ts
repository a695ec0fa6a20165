// RenewalScheduler: due by timer, due on becoming visible after the time passed, cancel, dispose.
import { RenewalScheduler } from '../../src/session/renew.js';
import type { VisibilitySource } from '../../src/session/renew.js';
import { parseRetryAfter } from '../../src/errors.js';
import { poolSize } from '../../src/pow/solve.js';

declare function describe(name: string, body: () => void): void;
declare function it(name: string, body: () => Promise<void> | void): void;

function equal<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
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
  it('fires when its timer is due', async () => {
    let fired = 0;
    const scheduler = new RenewalScheduler(() => fired++, Date.now, fakeVisibility().source);
    scheduler.schedule(Date.now() + 30);
    await new Promise((r) => setTimeout(r, 120));
    equal(fired, 1, 'fired');
    scheduler.dispose();
  });

  it('fires when the page becomes visible after the due time (frozen timers)', () => {
    let now = 1_000_000;
    let fired = 0;
    const visibility = fakeVisibility();
    const scheduler = new RenewalScheduler(() => fired++, () => now, visibility.source);
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

  it('cancel() forgets the pending renewal', async () => {
    let fired = 0;
    const scheduler = new RenewalScheduler(() => fired++, Date.now, fakeVisibility().source);
    scheduler.schedule(Date.now() + 20);
    scheduler.cancel();
    await new Promise((r) => setTimeout(r, 80));
    equal(fired, 0, 'fired');
    scheduler.dispose();
  });

  it('a 30-day expiry does not overflow setTimeout (no immediate fire)', async () => {
    let fired = 0;
    const scheduler = new RenewalScheduler(() => fired++, Date.now, fakeVisibility().source);
    scheduler.schedule(Date.now() + 30 * 86_400_000);
    await new Promise((r) => setTimeout(r, 50));
    equal(fired, 0, 'fired');
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
