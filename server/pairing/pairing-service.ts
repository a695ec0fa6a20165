import { randomBytes } from 'node:crypto';
import { InMemoryApiKeyStore, type ApiKeyRecord, type ApiKeyStore } from '../state/api-keys.js';
import { webClientOf, type AppRecord, type AppRegistry } from '../state/app-registry.js';
import { MemoryPairingChallengeStore } from '../state/memory/pairing-challenge-store.js';
import { MemoryRateLimitStore } from '../state/memory/rate-limit-store.js';
import type { PairingChallengeOptions, PairingChallengeStore } from '../state/pairing-challenge-store.js';
import type { RateLimitStore, RateRule } from '../state/rate-limit-store.js';
import { escapingLog, quoteForLog } from '../core/log-text.js';
import { originAllowed } from '../apps/origin.js';
import { pairingProblem, type PairingReason } from '../core/pairing-errors.js';
import { ServerError } from '../core/errors.js';
import { challengeOwnerKey, createdBy, ownedChallengeId } from './pairing-owner.js';

/** What the server hands to whoever shows the code (console, `onPairingCode`). */
export interface PairingCodeInfo {
  challengeId: string;
  appName: string;
  appId: string;
  expiresAt: Date;
}

/** Receives each new pairing code; the code must reach only the person in charge of the server. */
export type PairingCodeListener = (code: string, info: PairingCodeInfo) => void;

/** The slice of the app registry pairing needs. */
export type PairingAppLookup = Pick<AppRegistry, 'get'>;

/**
 * Collaborators and limits of a {@link PairingService}; only `apps` is required. The stores
 * default to in-memory ones (one process); the server passes its shared state's stores.
 */
export interface PairingServiceOptions {
  apps: PairingAppLookup;
  keys?: ApiKeyStore;
  /** Where challenges live. Default: in memory, with `challenges` and `now`. */
  challengeStore?: PairingChallengeStore;
  /** Tunables of the default in-memory challenge store. */
  challenges?: Omit<PairingChallengeOptions, 'now'>;
  /** Where the limits below are counted (keys `pairing:…`). Default: in memory, with `now`. */
  rateLimits?: RateLimitStore;
  /**
   * Challenge creations per client address. Default 5 at once, 1 a minute: with a 5-minute
   * lifetime an address holds at most 10 live challenges, a tenth of an app's quota (100).
   */
  creationLimit?: RateRule;
  /** Failed exchanges (wrong code, dead or unknown challenge) per client address. Default 20, 20/hour. */
  failureLimit?: RateRule;
  /**
   * Wrong codes per app before its pairing counts as under attack. Default 20 at once, 20 a day.
   * Exhausting it never blocks a client by itself: it makes {@link addressNoiseLimit} apply.
   */
  appFailureLimit?: RateRule;
  /**
   * While an app is under attack, the wrong codes an address may have made (in the last day)
   * and still send codes for it. Default 3 at once, 3 a day.
   */
  addressNoiseLimit?: RateRule;
  /**
   * Secret that tags challenge ids with their creator's address (instances sharing a database
   * should share it; the server passes its JWT secret). Default: random per process.
   */
  ownerSecret?: string;
  /** Clock in epoch milliseconds for the default stores. Default `Date.now`. */
  now?: () => number;
  onPairingCode?: PairingCodeListener;
  /** Console line sink. Default `console.log`. */
  log?: (line: string) => void;
}

/** The limits of a {@link PairingService} a server may tune (`StartOptions.pairing`). */
export type PairingLimits = Pick<PairingServiceOptions, 'challenges' | 'creationLimit' | 'failureLimit' | 'appFailureLimit' | 'addressNoiseLimit'>;

const PER_DAY = 1 / 1440;
const WRONG_CODES: ReadonlySet<string | undefined> = new Set<PairingReason>(['code_incorrect', 'challenge_locked']);
/** At most one "under attack" line per app per 10 minutes. */
const WARNING_RULE: RateRule = { burst: 1, perMinute: 1 / 10 };

/**
 * The pairing flow of seed 004 with ink-auth's rules: a client asks for a challenge for an
 * app, the person in charge sees a 4-digit code, the client trades challenge + code for an
 * API key bound to that app. Its failures are pairing `ServerError`s (`pairingProblem`) the app's error handler renders.
 */
export class PairingService {
  readonly keys: ApiKeyStore;
  readonly #apps: PairingAppLookup;
  readonly #challenges: PairingChallengeStore;
  readonly #limits: RateLimitStore;
  readonly #creationRule: RateRule;
  readonly #failureRule: RateRule;
  readonly #appFailureRule: RateRule;
  readonly #noiseRule: RateRule;
  readonly #onPairingCode: PairingCodeListener | undefined;
  readonly #log: (line: string) => void;
  readonly #ownerKey: Buffer;

  constructor(options: PairingServiceOptions) {
    this.#ownerKey = challengeOwnerKey(options.ownerSecret ?? randomBytes(32).toString('hex'));
    const now = options.now ?? Date.now;
    this.#apps = options.apps;
    this.keys = options.keys ?? new InMemoryApiKeyStore({ now });
    this.#challenges = options.challengeStore ?? new MemoryPairingChallengeStore({ ...options.challenges, now });
    this.#limits = options.rateLimits ?? new MemoryRateLimitStore({ now });
    this.#creationRule = { burst: 5, perMinute: 1, ...options.creationLimit };
    this.#failureRule = { burst: 20, perMinute: 20 / 60, ...options.failureLimit };
    this.#appFailureRule = { burst: 20, perMinute: 20 * PER_DAY, ...options.appFailureLimit };
    this.#noiseRule = { burst: 3, perMinute: 3 * PER_DAY, ...options.addressNoiseLimit };
    this.#onPairingCode = options.onPairingCode;
    this.#log = escapingLog(options.log ?? ((line) => console.log(line)));
  }

  /** Opens a challenge for an enabled app and shows its code; returns only the challenge id. */
  async createChallenge(input: {
    appId: string;
    appName: string;
    clientAddress: string;
    /** The request's `Origin`, when a browser sent one. */
    origin: string | undefined;
  }): Promise<{ challengeId: string }> {
    const decision = await this.#limits.take(`pairing:create:${input.clientAddress}`, this.#creationRule);
    if (!decision.allowed) {
      throw pairingProblem('rate_limited', 'Too many pairing challenges from this address; wait and try again.', {
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
    await this.#requireApp(input.appId, input.origin);
    const created = await this.#challenges.create(input.appId, input.appName, ownedChallengeId(this.#ownerKey, input.clientAddress));
    const info: PairingCodeInfo = {
      challengeId: created.challengeId,
      appName: input.appName,
      appId: input.appId,
      expiresAt: created.expiresAt,
    };
    // The code comes first and the client's name last, quoted whole: nothing a client sends can
    // precede the real code or close the quote. The sink escapes every control character too.
    this.#log(
      `[ink-auth] Pairing code ${created.code} for app ${input.appId}, valid until ${created.expiresAt.toISOString()}, requested as ${quoteForLog(input.appName)}`,
    );
    try {
      this.#onPairingCode?.(created.code, info);
    } catch (error) {
      this.#log(`[ink-auth] onPairingCode threw: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { challengeId: created.challengeId };
  }

  /** Trades a challenge and its code for a new API key bound to the challenge's app. */
  async exchange(input: {
    challengeId: string;
    code: string;
    appId: string | undefined;
    clientAddress: string;
    origin: string | undefined;
  }): Promise<{ apiKey: string; record: ApiKeyRecord }> {
    // Every limit here is keyed by the client's own address or by the app: a failure can slow
    // down its sender, never another client (no global budget to exhaust).
    const failures = `pairing:fail:${input.clientAddress}`;
    const noise = `pairing:noise:${input.clientAddress}`;
    await this.#refuseWhenSpent(failures, this.#failureRule, 'Too many wrong pairing codes from this address; wait and try again.');
    // The app and the Origin are checked before the code, so a request for the wrong app or from
    // a disallowed page is refused without spending the challenge or one of its attempts.
    const challengeAppId = await this.#challenges.appOf(input.challengeId);
    if (challengeAppId === undefined) {
      // An unknown id can never pair: it costs its sender, and no app's budget.
      await this.#limits.take(failures, this.#failureRule);
      await this.#limits.take(noise, this.#noiseRule);
      throw pairingProblem('challenge_not_found', 'No such pairing challenge; request a new code.');
    }
    if (input.appId !== undefined && input.appId !== challengeAppId) {
      throw pairingProblem('app_mismatch', 'This challenge was opened for another app.');
    }
    // The app may have been disabled or deleted while the code was on screen.
    await this.#requireApp(challengeAppId, input.origin);
    const appFailures = `pairing:app-fail:${challengeAppId}`;
    if (!(await this.#limits.peek(appFailures, this.#appFailureRule)).allowed) {
      // Under attack: only addresses that have not been guessing may still send codes.
      await this.#refuseWhenSpent(noise, this.#noiseRule, 'Pairing for this app is under attack and this address sent too many wrong codes; wait and try again.');
    }
    let redeemed;
    try {
      // A wrong code from anyone but the challenge's creator costs only its sender.
      const byCreator = createdBy(this.#ownerKey, input.challengeId, input.clientAddress);
      redeemed = await this.#challenges.redeem(input.challengeId, input.code, { appId: challengeAppId, byCreator });
    } catch (error) {
      if (error instanceof ServerError && WRONG_CODES.has(error.reason)) {
        await this.#limits.take(failures, this.#failureRule);
        await this.#limits.take(noise, this.#noiseRule);
        const app = await this.#limits.take(appFailures, this.#appFailureRule);
        if (!app.allowed) await this.#warnUnderAttack(challengeAppId);
      }
      throw error;
    }
    const issued = await this.keys.issue({ appId: redeemed.appId, appName: redeemed.appName });
    this.#log(`[ink-auth] Paired app ${redeemed.appId}: API key ${issued.record.id}, requested as ${quoteForLog(redeemed.appName)}`);
    return issued;
  }

  /**
   * The record of a valid (known, unexpired, unrevoked) API key, else `undefined`. This is what
   * `Authorization: Bearer <api_key>` checks call; the record's `appId` is the only app it serves.
   */
  async verifyApiKey(apiKey: string): Promise<ApiKeyRecord | undefined> {
    const verification = await this.keys.verify(apiKey);
    return verification.ok ? verification.record : undefined;
  }

  /** Revokes a key by id; `false` when unknown. */
  revokeApiKey(id: string): Promise<boolean> {
    return this.keys.revoke(id);
  }

  async #refuseWhenSpent(key: string, rule: RateRule, detail: string): Promise<void> {
    const decision = await this.#limits.peek(key, rule);
    if (!decision.allowed) throw pairingProblem('too_many_failures', detail, { retryAfterSeconds: decision.retryAfterSeconds });
  }

  // The operator's signal: more wrong codes for one app than its daily budget.
  async #warnUnderAttack(appId: string): Promise<void> {
    if (!(await this.#limits.take(`pairing:warn:${appId}`, WARNING_RULE)).allowed) return;
    this.#log(
      `[ink-auth] warning: pairing for app ${appId} is under attack: more than ${this.#appFailureRule.burst} wrong codes ` +
        `(budget ${Math.round(this.#appFailureRule.perMinute * 1440)} a day); addresses with ${this.#noiseRule.burst} wrong codes are refused until it calms down`,
    );
  }

  // A browser page may pair only from an origin the app allows; non-browser clients send no
  // Origin and are gated by the person reading the code alone.
  async #requireApp(appId: string, origin: string | undefined): Promise<AppRecord> {
    const app = await this.#apps.get(appId);
    if (!app || !app.enabled) throw pairingProblem('app_not_found', `App ${appId} does not exist or is disabled.`);
    const web = webClientOf(app);
    if (origin !== undefined && web && !originAllowed(origin, web.allowedDomains)) {
      throw pairingProblem('origin_not_allowed', 'Origin not allowed for this app.');
    }
    return app;
  }
}
