// Shapes passed between the time-to-token driver (Node) and its page harness (browser).

/** One connect → ready measurement of `<ink-auth-provider>`. */
export interface RunRequest {
  appId: string;
  baseUrl: string;
  /** Keep a copy of the challenge the provider fetched (for the same-challenge baseline). */
  recordChallenge: boolean;
  /** Observe `longtask` entries while the provider works (Chromium only). */
  observeLongTasks: boolean;
  timeoutMs: number;
}

/** What one measurement saw. `longTasks` is null where the engine has no `longtask` entries. */
export interface RunResult {
  ms: number;
  challenge: V1ChallengeBody | null;
  longTasks: number[] | null;
}

/** An ALTCHA v1 challenge body as the reference server sends it. */
export interface V1ChallengeBody {
  algorithm: string;
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

/** The hosted widget's approach for the same challenge: altcha-lib v1 on the main thread. */
export interface BaselineResult {
  ms: number;
  number: number | null;
  longTasks: number[] | null;
}

/** The harness the page exposes as `globalThis.inkBench`. */
export interface BenchHarness {
  measureProvider(request: RunRequest): Promise<RunResult>;
  solveOnMainThread(challenge: V1ChallengeBody, observeLongTasks: boolean): Promise<BaselineResult>;
  clearCache(): Promise<void>;
}
