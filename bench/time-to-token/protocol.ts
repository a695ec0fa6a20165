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

/**
 * Where a cold start's time went, ms, from the element's events: `cache` connect → `requesting`
 * (cache read, lock, cache re-read), `challenge` → `solving` (GET challenge), `solve` → progress
 * `solved`, `session` → `ready` (POST, decode, cache write). Null when a phase did not happen.
 */
export interface PhaseSplit {
  cache: number | null;
  challenge: number | null;
  solve: number | null;
  session: number | null;
}

/** What one measurement saw. `longTasks` is null where the engine has no `longtask` entries. */
export interface RunResult {
  ms: number;
  challenge: V1ChallengeBody | null;
  longTasks: number[] | null;
  phases: PhaseSplit;
  /** The hash kernel the progress named (`wasm-simd` / `js`), null without proof of work. */
  kernel: string | null;
  /** Hashes the pool tried. */
  hashes: number | null;
}

/** A warm page load measured from its first script: ready, or the page's own bare IndexedDB read. */
export interface WarmPageResult {
  /** first script → `ready` (bundle fetched, evaluated, cache read) */
  readyMs: number | null;
  /** first script → the same IndexedDB record read by the page itself (the floor) */
  idbReadMs: number | null;
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
