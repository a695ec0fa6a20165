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

// setTimeout overflows above 2^31-1 ms (~24.8 days); 30-day tokens need long waits in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Runs `onDue` once the due time is reached: by timer, or on becoming visible after it passed. */
export class RenewalScheduler {
  #dueAt: number | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #stopVisibility: () => void;

  constructor(
    private readonly onDue: () => void,
    private readonly now: () => number = Date.now,
    visibility: VisibilitySource = documentVisibility,
  ) {
    // Background tabs throttle or freeze timers: check again when the user comes back.
    this.#stopVisibility = visibility.onVisible(() => this.#checkDue());
  }

  /** Schedules (or reschedules) the single pending renewal at epoch ms `dueAt`. */
  schedule(dueAt: number): void {
    this.#dueAt = dueAt;
    this.#arm();
  }

  /** Forgets the pending renewal. */
  cancel(): void {
    this.#dueAt = null;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Cancels and stops listening to visibility; the scheduler is unusable afterwards. */
  dispose(): void {
    this.cancel();
    this.#stopVisibility();
  }

  #arm(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#dueAt === null) return;
    const delay = Math.max(0, Math.min(MAX_TIMER_MS, this.#dueAt - this.now()));
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#checkDue();
    }, delay);
  }

  #checkDue(): void {
    if (this.#dueAt === null) return;
    if (this.now() >= this.#dueAt) {
      this.cancel();
      this.onDue();
    } else {
      this.#arm();
    }
  }
}
