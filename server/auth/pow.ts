import { ServerError } from '../core/errors.js';
import type { SolutionFailure } from './pow-types.js';
import { checkV1Solution, issueV1Challenge } from './pow-v1.js';
import { checkV2Solution, issueV2Challenge } from './pow-v2.js';
import { MemoryRateLimitStore } from '../state/memory/rate-limit-store.js';
import { MemoryReplayStore } from '../state/memory/replay-store.js';
import type { RateLimitStore, RateRule } from '../state/rate-limit-store.js';
import type { ReplayStore } from '../state/replay-store.js';
import { adaptiveDifficulty, CHALLENGE_PRESSURE_RULE, difficultyCeiling } from './pow-difficulty.js';

/** Proof-of-work settings; `null` in `ServerConfig.pow` turns PoW off. */
export interface PowSettings {
  /** HMAC key that signs challenges (≥ 32 chars from the environment). */
  hmacSecret: string;
  /** v1: `maxnumber`; v2: the counter is drawn below this. */
  difficulty: number;
  ttlSeconds: number;
  /** `v1` = altcha-lib/v1 (hosted-compatible); `v2` = altcha-lib v2 challenges. */
  format: 'v1' | 'v2';
  /** Highest difficulty served to a flooding address. Default `min(10 000 000, difficulty × 128)`. */
  ceiling?: number;
  /** Redeemed solutions (sessions) per client address. Default 30 at once, 30 a minute. */
  sessionsPerAddress?: RateRule;
}

/** Longest solution header accepted; real ones are a few hundred bytes. */
const MAX_SOLUTION_HEADER = 8 * 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const DETAILS: Record<SolutionFailure, string> = {
  missing: 'Proof-of-work challenge solution is required.',
  malformed: 'Proof-of-work challenge solution is invalid: the header is not base64-encoded JSON of a solution.',
  invalid: 'Proof-of-work challenge solution is invalid.',
  expired: 'Proof-of-work challenge has expired. Please request a new challenge.',
  replayed: 'Proof-of-work challenge solution has already been used. Please request a new challenge.',
};

/**
 * The machine-readable `reason` of each refusal, sent beside `code: 'bad_request'` so clients
 * branch on it instead of on `detail`. A malformed header is `pow_invalid`, like a wrong answer.
 */
export const POW_REFUSAL_REASONS = {
  missing: 'pow_required',
  malformed: 'pow_invalid',
  invalid: 'pow_invalid',
  expired: 'pow_expired',
  replayed: 'pow_replayed',
} as const satisfies Record<SolutionFailure, string>;

/** A proof-of-work refusal's `reason`: `pow_required`, `pow_invalid`, `pow_expired` or `pow_replayed`. */
export type PowRefusalReason = (typeof POW_REFUSAL_REASONS)[SolutionFailure];

function refusal(failure: SolutionFailure): ServerError {
  return new ServerError('bad_request', DETAILS[failure], { reason: POW_REFUSAL_REASONS[failure] });
}

/** Decodes the `x-inkeep-challenge-solution` header: base64 of JSON. */
function decodeSolutionHeader(header: string): unknown {
  const trimmed = header.trim();
  if (trimmed.length > MAX_SOLUTION_HEADER || !BASE64.test(trimmed) || trimmed.length % 4 !== 0) return undefined;
  try {
    return JSON.parse(Buffer.from(trimmed, 'base64').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The altcha widget's payload inside the hosted widget's `{payload}` envelope (decoded), `null`
 * when `decoded` is not that envelope, `undefined` when its payload does not decode.
 */
function widgetEnvelope(decoded: unknown): unknown {
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) return null;
  const { payload } = decoded as Record<string, unknown>;
  if (typeof payload !== 'string') return null;
  return decodeSolutionHeader(payload);
}

/** Default budget of redeemed solutions per client: 30 at once, 30 a minute. */
export const DEFAULT_SESSIONS_PER_ADDRESS: RateRule = { burst: 30, perMinute: 30 };

/**
 * Issues and verifies proof-of-work challenges; each solved challenge is accepted once. The
 * difficulty served to a client grows with its recent challenges (see pow-difficulty.ts), and
 * each client has its own budget of redeemed solutions, so one client's flood makes only its
 * own challenges harder and its own sessions wait.
 */
export class ProofOfWork {
  readonly #settings: PowSettings;
  readonly #replay: ReplayStore;
  readonly #limits: RateLimitStore;
  readonly #ceiling: number;
  readonly #sessionRule: RateRule;
  readonly #now: () => number;

  /**
   * `replay` is where redeemed solutions are remembered, `limits` where per-client counts are
   * kept; default: this process's memory.
   */
  constructor(settings: PowSettings, options: { replay?: ReplayStore; limits?: RateLimitStore; now?: () => number } = {}) {
    this.#settings = settings;
    this.#now = options.now ?? Date.now;
    this.#replay = options.replay ?? new MemoryReplayStore({ now: this.#now });
    this.#limits = options.limits ?? new MemoryRateLimitStore({ now: this.#now });
    this.#ceiling = Math.max(settings.difficulty, settings.ceiling ?? difficultyCeiling(settings.difficulty));
    this.#sessionRule = settings.sessionsPerAddress ?? DEFAULT_SESSIONS_PER_ADDRESS;
  }

  /**
   * A fresh signed challenge, as hard as `client`'s recent rate calls for: in the configured
   * format, or in `format` (the hosted widget's `GET /run/auth/challenge` is always v2).
   */
  async issue(client = 'unknown', format: PowSettings['format'] = this.#settings.format): Promise<object> {
    const { hmacSecret, ttlSeconds } = this.#settings;
    const pressure = await this.#limits.take(`pow:challenges:${client}`, CHALLENGE_PRESSURE_RULE);
    const difficulty = adaptiveDifficulty(this.#settings.difficulty, this.#ceiling, pressure);
    const expires = new Date(this.#now() + ttlSeconds * 1000);
    return format === 'v2'
      ? issueV2Challenge(hmacSecret, difficulty, expires)
      : issueV1Challenge(hmacSecret, difficulty, expires);
  }

  /**
   * Verifies a solution header and marks it used.
   * @throws ServerError 400 `bad_request` with `reason` `pow_required`, `pow_invalid`, `pow_expired` or `pow_replayed`;
   *   429 when `client` has spent its budget of redeemed solutions;
   *   StoreUnavailableError (503 + Retry-After) when the replay memory cannot answer.
   */
  async redeem(header: string | undefined, client = 'unknown'): Promise<void> {
    if (!header) throw refusal('missing');
    const decoded = decodeSolutionHeader(header);
    if (decoded === undefined) throw refusal('malformed');
    const { hmacSecret, format } = this.#settings;
    const now = this.#now();
    // The hosted widget's envelope, base64(JSON {payload}), wraps the altcha widget's v2 payload.
    const widgetPayload = widgetEnvelope(decoded);
    const check =
      widgetPayload !== null
        ? await checkV2Solution(widgetPayload, hmacSecret, now)
        : format === 'v2'
          ? await checkV2Solution(decoded, hmacSecret, now)
          : await checkV1Solution(decoded, hmacSecret, now);
    if (!check.ok) throw refusal(check.reason);
    // A per-client budget, not a global cap, bounds what the replay memory holds: a flood of
    // solutions from one client waits on its own budget and never fills anyone else's.
    const budget = await this.#limits.take(`pow:sessions:${client}`, this.#sessionRule);
    if (!budget.allowed) {
      throw new ServerError('too_many_requests', 'Too many sessions from this address; wait and try again.', {
        retryAfterSeconds: budget.retryAfterSeconds,
      });
    }
    const outcome = await this.#replay.consume(check.replayKey, check.expiresAtMs);
    if (outcome === 'replayed') throw refusal('replayed');
  }
}
