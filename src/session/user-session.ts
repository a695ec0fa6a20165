// Signed-in user mode (a lazy chunk): the site hands the element a JWT its backend signed for its
// user (`user-token`, `getUserToken()`); the server verifies it against the app's public keys. The
// element reads `sub` and `exp` (never verifies: it holds no key), serves the token, asks the site
// again before expiry and on refresh, shares a renewed token with its other tabs, and, when asked
// to, moves this browser's anonymous history to the user once.
import { decodeJwt } from 'jose/jwt/decode';
import type { FetchLike } from '../api/endpoint.js';
import { timedRequest } from '../api/http.js';
import { InkAuthError, errorFromResponse, toInkAuthError } from '../errors.js';
import type { SessionStore } from './cache.js';
import { asCachedSession, memoryRecordStore, sessionKey } from './cache.js';
import { CredentialLifecycle } from './lifecycle.js';
import type { OpenTabs } from './lifecycle.js';
import type { VisibilitySource } from './renew.js';
import type { AuthState } from './state.js';

/** The site's callback: its user's current token, or null/undefined when nobody is signed in. */
export type UserTokenSource = () => string | null | undefined | Promise<string | null | undefined>;

/** Collaborators and settings of a {@link UserSession}. */
export interface UserSessionOptions {
  appId: string;
  baseUrl: string;
  refreshLeewaySeconds: number;
  /** The token set on the element (`user-token`), tried first; null when none. */
  userToken: string | null;
  /** Asked when there is no usable token: at start without `userToken`, before expiry, on refresh. */
  getUserToken: UserTokenSource | null;
  /** Move the history of this browser's cached anonymous session to the user, once. */
  claimAnonymous: boolean;
  /** Where the anonymous session is cached (read and forgotten by the claim). */
  anonymousStore: SessionStore;
  fetch: FetchLike;
  requestTimeoutMs?: number;
  now?: () => number;
  tabs?: OpenTabs<UserRecord>;
  visibility?: VisibilitySource;
  /** Nobody is signed in (the callback answered null): the host falls back to anonymous. */
  onSignedOut: () => void;
  onChange?: (state: AuthState) => void;
  onError?: (error: InkAuthError) => void;
}

/** What this tab holds of a user token (never persisted: the site owns its users' sessions). */
export interface UserRecord {
  token: string;
  sub: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

const EXPIRED = 'The user token has expired: set a new user-token, or give getUserToken.';

/** Reads `sub` and `exp` of a user token; `user_token_invalid` or `user_token_expired` otherwise. */
export function decodeUserToken(token: string, now: number): UserRecord {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(token);
  } catch (cause) {
    throw new InkAuthError('user_token_invalid', 'The user token is not a JWT.', { cause });
  }
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw new InkAuthError('user_token_invalid', 'The user token has no subject (sub).');
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) throw new InkAuthError('user_token_invalid', 'The user token has no expiry (exp).');
  const expiresAt = claims.exp * 1000;
  if (expiresAt <= now) throw new InkAuthError('user_token_expired', EXPIRED);
  return { token, sub: claims.sub, expiresAt };
}

/** The user mode on the shared {@link CredentialLifecycle}: site token → serve → ask again before expiry. */
export class UserSession {
  readonly key: string;
  readonly #options: UserSessionOptions;
  readonly #life: CredentialLifecycle<UserRecord>;
  #offered: string | null;
  #inflight: Promise<void> | null = null;
  #claimed = false;

  constructor(options: UserSessionOptions) {
    this.#options = options;
    this.#offered = options.userToken;
    this.key = `user|${sessionKey(options.baseUrl, options.appId)}`;
    const now = options.now ?? Date.now;
    this.#life = new CredentialLifecycle<UserRecord>({
      ...options,
      key: this.key,
      kind: 'user',
      store: memoryRecordStore(new Map()),
      rules: {
        trust: (value) => {
          const token = typeof value === 'object' && value !== null ? (value as { token?: unknown }).token : undefined;
          try {
            return typeof token === 'string' ? decodeUserToken(token, now()) : undefined;
          } catch {
            return undefined;
          }
        },
        usable: (record) => record.expiresAt > now() + 1_000,
        view: (record) => ({ token: record.token, anonId: null, identity: record.sub, expiresAt: new Date(record.expiresAt) }),
        // Without a callback nothing can renew: the due time is the expiry itself.
        dueAt: (record) => (options.getUserToken ? record.expiresAt - Math.min(options.refreshLeewaySeconds * 1000, (record.expiresAt - now()) / 2) : record.expiresAt),
        // Another tab's token replaces ours only for the same user, and only when it lasts longer.
        supersedes: (incoming, held) => !held || (incoming.sub === held.sub && incoming.expiresAt > held.expiresAt),
      },
      hooks: {
        acquire: () => this.#obtain(),
        due: () => void this.#obtain().catch(() => undefined),
        // Another tab signed its user out: ask the site again here.
        forgotten: () => {
          this.#offered = null;
          this.#life.drop();
          void this.#obtain().catch(() => undefined);
        },
      },
    });
  }

  get state(): AuthState {
    return this.#life.state;
  }

  start(): Promise<void> {
    return this.#life.start();
  }

  /** Resolves with a usable user token, asking the site when the held one is gone. */
  async getToken(): Promise<string> {
    await this.#life.startup;
    for (let round = 0; round < 3; round++) {
      if (this.#life.disposed) throw this.#life.disposedError();
      const held = this.#life.held;
      if (held && held.expiresAt > this.#life.now() + 1_000) return held.token;
      const { error } = this.#life.state;
      if (error && round > 0) throw error;
      await this.#obtain().catch(() => undefined);
    }
    throw this.#life.state.error ?? new InkAuthError('user_token_expired', 'No usable user token could be obtained.');
  }

  /** Asks the site for its user's token again (a 401 from the API, an explicit refresh). */
  async refresh(): Promise<void> {
    this.#offered = null;
    await this.#obtain(true);
  }

  /** Forgets the user token here and in the other tabs, then asks the site again. */
  async reset(): Promise<void> {
    this.#offered = null;
    await this.#life.forgetEverywhere();
    await this.#obtain(true);
  }

  /** Serves `token` now (the site set `user-token` again) without restarting. */
  offer(token: string): void {
    this.#offered = token;
    void this.#obtain(true).catch(() => undefined);
  }

  dispose(): void {
    this.#life.dispose();
  }

  /**
   * Runs one obtain, or joins the one running. A forced one (refresh, a new `user-token`) waits for
   * the running one and then runs its own, so the newest token is the one adopted last.
   */
  #obtain(force = false): Promise<void> {
    if (this.#life.disposed) return Promise.reject(this.#life.disposedError());
    const running = this.#inflight;
    if (running && !force) return running;
    const run: Promise<void> = (running ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        if (this.#life.disposed) throw this.#life.disposedError();
        return this.#runObtain();
      })
      .finally(() => {
        if (this.#inflight === run) this.#inflight = null;
      });
    this.#inflight = run;
    return run;
  }

  async #runObtain(): Promise<void> {
    const life = this.#life;
    try {
      const offered = this.#offered;
      // The offered token is tried once; past that, only the callback can give a new one.
      this.#offered = null;
      const ask = this.#options.getUserToken;
      let record: UserRecord | null = null;
      if (offered) {
        try {
          record = decodeUserToken(offered, life.now());
        } catch (error) {
          // An expired token the callback can replace is no failure; anything else is.
          if (!ask || toInkAuthError(error).code !== 'user_token_expired') throw error;
        }
      }
      if (!record) {
        if (!ask) {
          // Asked again for a token still valid by its `exp` (refresh, a 401): the API refused it.
          const held = life.held;
          if (held && held.expiresAt > life.now()) throw new InkAuthError('user_token_invalid', 'The API refused the user token and nothing can renew it: set a new user-token, or give getUserToken.');
          throw new InkAuthError('user_token_expired', EXPIRED);
        }
        const token = (await ask()) ?? null;
        if (life.disposed) return;
        if (!token) {
          this.#options.onSignedOut();
          return;
        }
        record = decodeUserToken(token, life.now());
      }
      // Before `ready`: a chat that lists its history on ready already sees the claimed conversations.
      await this.#claim(record);
      if (life.disposed) return;
      await life.keep(record);
      life.adopt(record);
    } catch (thrown) {
      const error = toInkAuthError(thrown);
      if (life.disposed) return;
      this.#options.onError?.(error);
      life.fail(error);
      throw error;
    }
  }

  /** Moves this browser's anonymous history to the user, once per session; failures are reported, not fatal. */
  async #claim(record: UserRecord): Promise<void> {
    const options = this.#options;
    if (!options.claimAnonymous || this.#claimed) return;
    this.#claimed = true;
    const anonymousKey = sessionKey(options.baseUrl, options.appId);
    const anonymous = asCachedSession(await options.anonymousStore.read(anonymousKey));
    if (!anonymous || anonymous.expiresAt <= this.#life.now() || this.#life.disposed) return;
    try {
      await timedRequest(
        options.fetch,
        `${options.baseUrl}/run/v1/conversations/claim-anonymous`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${record.token}`, 'x-inkeep-app-id': options.appId, 'content-type': 'application/json' },
          body: JSON.stringify({ anonymousToken: anonymous.token }),
        },
        async (response) => {
          // A refused anonymous token (expired, another app's) has nothing left to claim either.
          if (!response.ok && response.status !== 400) throw await errorFromResponse(response);
          await response.body?.cancel().catch(() => undefined);
        },
        { signal: this.#life.signal, timeoutMs: options.requestTimeoutMs },
      );
      await options.anonymousStore.remove(anonymousKey);
    } catch (thrown) {
      const error = toInkAuthError(thrown);
      if (error.code !== 'aborted') options.onError?.(error);
    }
  }
}

/** Builds the user session (the chunk's entry point for the host). */
export function createUserSession(options: UserSessionOptions): UserSession {
  return new UserSession(options);
}
