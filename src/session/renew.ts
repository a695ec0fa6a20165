/** Tells the scheduler when the page becomes visible again (injected; default: `document`). */
export interface VisibilitySource {
  onVisible(listener: () => void): () => void;
}

/** Page visibility from `document.visibilitychange`, or never when there is no document. */
export const documentVisibility: VisibilitySource = {
  onVisible(listener) {
    if (typeof document === 'undefined') return () => {};
    const handler = () => {
      if (document.visibilityState === 'visible') listener();
    };
    document.addEventListener('visibilitychange', handler);
    return () => document.removeEventListener('visibilitychange', handler);
  },
};

/** Where a scheduler's timeouts run (injected; default: the global `setTimeout`). */
export interface TimerSource {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The global `setTimeout` / `clearTimeout`. */
export const globalTimers: TimerSource = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Collaborators of a {@link RenewalScheduler}; each defaults to the page's own. */
export interface RenewalSchedulerOptions {
  /** Epoch milliseconds now (default `Date.now`). */
  now?: () => number;
  timers?: TimerSource;
  visibility?: VisibilitySource;
}

// setTimeout overflows above 2^31-1 ms (~24.8 days); 30-day tokens need long waits in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Runs `onDue` once the due time is reached: by timer, or on becoming visible after it passed. */
export class RenewalScheduler {
  #dueAt: number | null = null;
  #timer: unknown = null;
  readonly #now: () => number;
  readonly #timers: TimerSource;
  readonly #stopVisibility: () => void;

  constructor(
    private readonly onDue: () => void,
    options: RenewalSchedulerOptions = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#timers = options.timers ?? globalTimers;
    // Background tabs throttle or freeze timers: check again when the user comes back.
    this.#stopVisibility = (options.visibility ?? documentVisibility).onVisible(() => this.#checkDue());
  }

  /** Schedules (or reschedules) the single pending renewal at epoch ms `dueAt`. */
  schedule(dueAt: number): void {
    this.#dueAt = dueAt;
    this.#arm();
  }

  /** Forgets the pending renewal. */
  cancel(): void {
    this.#dueAt = null;
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Cancels and stops listening to visibility; the scheduler is unusable afterwards. */
  dispose(): void {
    this.cancel();
    this.#stopVisibility();
  }

  #arm(): void {
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#dueAt === null) return;
    const delay = Math.max(0, Math.min(MAX_TIMER_MS, this.#dueAt - this.#now()));
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      this.#checkDue();
    }, delay);
  }

  #checkDue(): void {
    if (this.#dueAt === null) return;
    if (this.#now() >= this.#dueAt) {
      this.cancel();
      this.onDue();
    } else {
      this.#arm();
    }
  }
}
