/** Messages between the benchmark page and its solver workers (no DOM, no Node). */

/** Which solver a worker runs: `kernel` is ink-auth's JS kernel, `wasm-simd` its WebAssembly SIMD one. */
export type SolverKind = 'wasm-simd' | 'kernel' | 'altcha-lib' | 'subtle';

/** One slice of work: numbers from, from+step, … below `to`. */
export interface SolveJob {
  kind: SolverKind;
  salt: string;
  challenge: string;
  from: number;
  to: number;
  step: number;
}

/** A worker's answer: the number found (-1 if none), how many hashes, how long. */
export interface SolveReply {
  found: number;
  hashes: number;
  ms: number;
}

/** What the page measured for one solver at one worker count. */
export interface Measurement {
  kind: SolverKind;
  workers: number;
  hashesPerSecond: number;
  /** hashes per second of each run, the median of which is `hashesPerSecond` */
  runs: number[];
}

/** Inputs the driver hands to the page. */
export interface BenchPlan {
  salt: string;
  /** a challenge no number matches, so every solver scans its whole range */
  missChallenge: string;
  /** a challenge for `hitNumber`, to check the pool finds it */
  hitChallenge: string;
  hitNumber: number;
  start: number;
  secondsPerRun: number;
  runs: number;
}

/** What the page returns to the driver. */
export interface BrowserReport {
  userAgent: string;
  hardwareConcurrency: number;
  measurements: Measurement[];
  /** what the SIMD kernel pool found for `hitNumber` */
  hitFound: number;
  /** what the JS kernel pool found for `hitNumber` */
  hitFoundJs: number;
}
