import type { FetchLike } from '../api/endpoint.js';
import { normalizeBaseUrl } from '../config.js';
import { InkAuthError, errorFromResponse } from '../errors.js';

/** What `authFetch` needs from a provider (the element and the context value both qualify). */
export interface AuthFetchSource {
  readonly appId: string;
  readonly baseUrl: string;
  getToken(): Promise<string>;
  refresh(): Promise<void>;
}

/** Options beyond `RequestInit`: which provider to use (default: the first `<ink-auth-provider>`). */
export interface AuthFetchInit extends RequestInit {
  provider?: AuthFetchSource;
}

function sameOrigin(url: string, baseUrl: string): boolean {
  try {
    // An unset base URL means the default one, exactly as the provider resolves it.
    return new URL(url).origin === new URL(normalizeBaseUrl(baseUrl)).origin;
  } catch {
    return false;
  }
}

async function namesChallenge(response: Response): Promise<boolean> {
  if (response.status !== 400 && response.status !== 403) return false;
  return (await errorFromResponse(response.clone())).challengeRejected;
}

/**
 * Builds a `fetch` bound to one provider. Requests to the provider's base-URL origin get
 * `Authorization: Bearer <token>` and `x-inkeep-app-id`; requests anywhere else are sent
 * untouched, so the token never leaks to another origin. On a 401, or a 400/403 naming the
 * challenge, the session is renewed (new PoW) and the request retried once.
 */
export function createAuthFetch(source: AuthFetchSource, fetchImpl: FetchLike = (input, init) => globalThis.fetch(input, init)): FetchLike {
  return async (input, init) => {
    const request = new Request(input, init);
    if (!sameOrigin(request.url, source.baseUrl)) return fetchImpl(request);
    const send = async (): Promise<Response> => {
      const token = await source.getToken();
      const attempt = request.clone();
      attempt.headers.set('authorization', `Bearer ${token}`);
      attempt.headers.set('x-inkeep-app-id', source.appId);
      return fetchImpl(attempt);
    };
    const first = await send();
    if (first.status !== 401 && !(await namesChallenge(first))) return first;
    try {
      await source.refresh();
    } catch {
      return first; // the provider publishes the renewal error itself
    }
    await first.body?.cancel().catch(() => undefined);
    return send();
  };
}

/**
 * Framework-free authenticated fetch. Uses `init.provider`, else the first
 * `<ink-auth-provider>` in the document; rejects with `no_provider` when there is none.
 *
 * @example
 * const res = await authFetch(`${provider.baseUrl}/run/api/chat`, { method: 'POST', body });
 */
export function authFetch(input: RequestInfo | URL, init: AuthFetchInit = {}): Promise<Response> {
  const { provider, ...rest } = init;
  const source = provider ?? (globalThis.document?.querySelector('ink-auth-provider') as AuthFetchSource | null);
  if (!source) return Promise.reject(new InkAuthError('no_provider', 'authFetch found no <ink-auth-provider> and no provider option.'));
  return createAuthFetch(source)(input, rest);
}
