// The fault proxy's vocabulary, shared by the proxy (Node, test/browser/plugins/fault-proxy.ts)
// and the browser tests that script it (helpers/faults.ts). Types only: no Node or DOM code.

/** Which API calls a fault applies to; `any` matches every non-preflight request. */
export type FaultRoute = 'challenge' | 'session' | 'chat' | 'any';

/**
 * What the proxy does instead of the real answer:
 * - `status`: a problem+json answer with that status (and `Retry-After` when given), after `afterMs`;
 *   `detail` and `reason` replace the proxy's own detail and add a top-level `reason`;
 * - `hang`: `headers` sends 200 and half a body that never ends, `nothing` never answers;
 * - `truncate`: the real answer cut to half its body; `non-json`: an HTML page;
 * - `token-not-jwt` / `token-expired`: the real session answer with its `token` rewritten (not a
 *   JWT; expired when issued, `exp` before `iat`);
 * - `delay`: the real answer after `ms`.
 */
export type Fault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number; afterMs?: number; detail?: string; reason?: string }
  | { kind: 'hang'; stage: 'headers' | 'nothing' }
  | { kind: 'truncate' }
  | { kind: 'non-json'; status?: number }
  | { kind: 'token-not-jwt' }
  | { kind: 'token-expired' }
  | { kind: 'delay'; ms: number };

/** One request the proxy received. `status` 0 means none was sent. `at`: ms since the proxy started. */
export interface ProxyLogEntry {
  method: string;
  path: string;
  route: FaultRoute | 'other';
  fault: Fault['kind'] | null;
  status: number;
  at: number;
  /**
   * For an answer of 400 or more from the server: its `reason` (or `code`) and detail, and
   * whether the request carried a Bearer token and an app id, so a failure names its cause.
   */
  refusal?: string;
}
