import { InkAuthError } from '../errors.js';
import type { RecordStore } from './cache.js';
import { RenewalScheduler } from './renew.js';
import type { TimerSource, VisibilitySource } from './renew.js';
import { initialState } from './state.js';
import type { AuthKind, AuthState } from './state.js';
import { createTabCoordinator } from './tabs.js';
import type { TabCoordinator, TabMessage } from './tabs.js';

/** Opens the tab channel of one cache key; the lifecycle owns (and closes) what it returns. */
export type OpenTabs<T> = (key: string) => TabCoordinator<T>;

/** What differs between kinds of credential (session token, paired key): pure rules, no I/O. */
export interface CredentialRules<T> {
  /** A cached entry or a broadcast, accepted only when well-formed and self-consistent. */
  trust(value: unknown): T | undefined;
  /** Still good for a request now. */
  usable(record: T): boolean;
  /** What the published state shows of a held record. */
  view(record: T): Pick<AuthState, 'token' | 'anonId' | 'identity' | 'expiresAt'>;
  /** When the held record needs attention (renewal, expiry); null: never. */
  dueAt(record: T): number | null;
  /** Whether a broadcast record replaces the one held. */
  supersedes(incoming: T, held: T | null): boolean;
}

/** What the mode does at the lifecycle's turning points. */
export interface LifecycleHooks<T> {
  /** Start found no usable record in the cache (`cached`: what it found, if anything). */
  acquire(cached: T | undefined): Promise<unknown>;
  /** The held record's due time came (see {@link CredentialRules.dueAt}). */
  due(): void;
  /** Another tab forgot the credential. */
  forgotten(): void;
  /** A record was adopted (from this tab, the cache or another tab). */
  adopted?(record: T): void;
}

/** Collaborators of a {@link CredentialLifecycle}; everything external is injected. */
export interface LifecycleOptions<T> {
  appId: string;
  baseUrl: string;
  /** The cache key (base URL + app id, and the mode where it has its own). */
  key: string;
  store: RecordStore<T>;
  /** Who the credential stands for (default `anonymous`). */
  kind?: AuthKind;
  /** Default: Web Locks + BroadcastChannel ({@link createTabCoordinator}). */
  tabs?: OpenTabs<T>;
  now?: () => number;
  timers?: TimerSource;
  visibility?: VisibilitySource;
  onChange?: (state: AuthState) => void;
  rules: CredentialRules<T>;
  hooks: LifecycleHooks<T>;
}

/**
 * What every auth mode shares, without any DOM or Lit: the published state, the held record,
 * one start, the cache and the tab channel (opened and closed here, nowhere else), the timer of
 * the held record, and dispose. The mode injects how a credential is acquired.
 */
export class CredentialLifecycle<T> {
  readonly key: string;
  readonly now: () => number;
  readonly store: RecordStore<T>;
  readonly tabs: TabCoordinator<T>;
  #state: AuthState;
  #held: T | null = null;
  #startup: Promise<void> | null = null;
  #disposed = false;
  readonly #abort = new AbortController();
  readonly #timer: RenewalScheduler;
  readonly #unsubscribe: () => void;

  readonly #options: LifecycleOptions<T>;

  constructor(options: LifecycleOptions<T>) {
    this.#options = options;
    this.key = options.key;
    this.now = options.now ?? Date.now;
    this.store = options.store;
    this.#state = initialState(options.appId, options.baseUrl, options.store.kind, options.kind);
    this.#timer = new RenewalScheduler(() => options.hooks.due(), { now: this.now, timers: options.timers, visibility: options.visibility });
    this.tabs = (options.tabs ?? createTabCoordinator<T>)(options.key);
    this.#unsubscribe = this.tabs.subscribe((message) => this.#onTabMessage(message));
  }

  get state(): AuthState {
    return this.#state;
  }

  /** The record this tab serves, or null. */
  get held(): T | null {
    return this.#held;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Aborted on dispose: every request of the mode carries it. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** The start once begun (null before), for callers that wait without starting. */
  get startup(): Promise<void> | null {
    return this.#startup;
  }

  /** Reads the cache once and adopts a usable record, else lets the mode acquire. Never rejects. */
  start(): Promise<void> {
    this.#startup ??= this.#runStart();
    return this.#startup;
  }

  async #runStart(): Promise<void> {
    const cached = await this.store.read(this.key);
    this.syncStorage();
    // A record may have arrived from another tab during the read: it is at least as new.
    if (this.#disposed || this.#held) return;
    const trusted = cached === undefined ? undefined : this.#options.rules.trust(cached);
    if (trusted && this.#options.rules.usable(trusted)) {
      this.adopt(trusted);
      return;
    }
    await this.#options.hooks.acquire(cached).catch(() => undefined);
  }

  /** The error of any call after dispose. */
  disposedError(): InkAuthError {
    return new InkAuthError('aborted', 'The session was disposed.');
  }

  publish(patch: Partial<AuthState>): void {
    if (this.#disposed) return;
    this.#state = { ...this.#state, ...patch };
    this.#options.onChange?.(this.#state);
  }

  /** Says once when the store fell back from IndexedDB to memory. */
  syncStorage(): void {
    const kind = this.store.kind;
    if (kind !== this.#state.storage) this.publish({ storage: kind, storageFallback: true });
  }

  /** Serves `record` from now on: `ready`, and the timer set to its due time. */
  adopt(record: T): void {
    this.#held = record;
    this.#options.hooks.adopted?.(record);
    this.publish({ status: 'ready', error: null, ...this.#options.rules.view(record) });
    const due = this.#options.rules.dueAt(record);
    if (due === null) this.#timer.cancel();
    else this.#timer.schedule(due);
  }

  /** Runs the due hook at epoch ms `at` instead (e.g. a retry after a failed renewal). */
  scheduleDue(at: number): void {
    this.#timer.schedule(at);
  }

  /** Stops serving the held record (its timer too); the state is the caller's to publish. */
  drop(): void {
    this.#held = null;
    this.#timer.cancel();
  }

  /** Drops the record and moves to `error`. */
  fail(error: InkAuthError): void {
    this.drop();
    this.publish({ status: 'error', token: null, anonId: null, identity: null, expiresAt: null, error });
  }

  /** Caches a new record and tells the other tabs (adopting it is the caller's step). */
  async keep(record: T): Promise<void> {
    await this.store.write(this.key, record);
    this.syncStorage();
    this.tabs.publish({ type: 'session', session: record });
  }

  /** Drops the record, removes it from the cache and makes every other tab forget it too. */
  async forgetEverywhere(): Promise<void> {
    this.drop();
    await this.store.remove(this.key);
    this.tabs.publish({ type: 'reset', at: this.now() });
  }

  /** Stops everything: aborts requests, clears the timer, closes the tab channel. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#abort.abort();
    this.#timer.dispose();
    this.#unsubscribe();
    this.tabs.close();
  }

  #onTabMessage(message: TabMessage<T>): void {
    if (this.#disposed) return;
    if (message.type === 'reset') {
      this.#options.hooks.forgotten();
      return;
    }
    // A broadcast gets the same checks as a cached entry: nothing from another tab is taken on trust.
    const { rules } = this.#options;
    const incoming = rules.trust(message.session);
    if (incoming && rules.usable(incoming) && rules.supersedes(incoming, this.#held)) this.adopt(incoming);
  }
}
