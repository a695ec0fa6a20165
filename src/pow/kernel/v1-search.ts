import { IV, compressBlock, expandSchedule, paddedBlocks, runRounds, writePadding } from './sha256.js';
import { encodeUtf8 } from './utf8.js';
import { checkArguments, parseTarget, readWord } from './v1-inputs.js';

/**
 * Tries `from`, `from + step`, … while below `to`; returns the first number
 * whose hash matches, or -1.
 */
export type V1Search = (from: number, to: number, step: number) => number;

const DIGIT_0 = 48;
const DIGIT_9 = 57;

/**
 * Builds a synchronous ALTCHA v1 search: finds `n` with
 * hex(SHA-256(salt + decimal(n))) === challengeHex.
 *
 * The salt's full 64-byte blocks are hashed once; each attempt bumps the ASCII
 * digits in place and recompresses only from the round that reads the word
 * holding the last digit. A challenge that is not 64 lowercase hex characters
 * can never match (as with altcha-lib's string comparison): the search returns -1.
 *
 * @param salt - the challenge's salt, as sent (may carry `?expires=…&`)
 * @param challengeHex - the challenge: lowercase hex SHA-256
 * @returns a search function; it throws RangeError on arguments that are not
 *   safe non-negative integers or on a step below 1
 * @example
 * const search = createV1Search(c.salt, c.challenge);
 * const n = search(0, c.maxnumber + 1, 1); // -1 when not found
 */
export function createV1Search(salt: string, challengeHex: string): V1Search {
  const parsed = parseTarget(challengeHex);
  if (parsed === undefined) {
    return (from, to, step) => {
      checkArguments(from, to, step);
      return -1;
    };
  }
  const target: Int32Array = parsed;
  const saltBytes = encodeUtf8(salt);
  const saltLength = saltBytes.length;
  const fullBlocks = saltLength >>> 6;
  const rest = saltLength - fullBlocks * 64; // salt bytes that share the tail with the digits

  const mid = new Int32Array(IV);
  const w = new Int32Array(64);
  const scratch = new Int32Array(8);
  for (let b = 0; b < fullBlocks; b++) {
    for (let i = 0; i < 16; i++) w[i] = readWord(saltBytes, b * 64 + i * 4);
    compressBlock(mid, w, scratch);
  }

  const tail = new Uint8Array(128);
  const words = new Int32Array(32);
  const finalW = new Int32Array(64); // schedule of a constant trailing block
  const blockStart = new Int32Array(8); // chaining value entering the pivot block
  const pivotState = new Int32Array(8); // working variables after the pivot round
  const v = new Int32Array(8);

  let digits = 0;
  let blocks = 1;
  let lastByte = 0; // index in `tail` of the last digit
  let lastWord = 0; // word holding the last digit, 0…31
  let pivotBlock = 0;
  let pivotRound = 0;
  let shift = 0; // bit position of the last digit inside its word
  let dirtyFrom = -1; // lowest tail word changed since the cache was built

  function layout(n: number): void {
    const text = String(n);
    digits = text.length;
    tail.fill(0);
    tail.set(saltBytes.subarray(fullBlocks * 64));
    for (let i = 0; i < digits; i++) tail[rest + i] = text.charCodeAt(i);
    writePadding(tail, rest + digits, saltLength + digits);
    blocks = paddedBlocks(rest + digits);
    for (let i = 0; i < blocks * 16; i++) words[i] = readWord(tail, i * 4);
    lastByte = rest + digits - 1;
    lastWord = lastByte >>> 2;
    pivotBlock = lastWord >>> 4;
    pivotRound = lastWord & 15;
    shift = (3 - (lastByte & 3)) * 8;
    if (pivotBlock < blocks - 1) {
      for (let i = 0; i < 16; i++) finalW[i] = words[16 + i]!;
      expandSchedule(finalW, 16, 64);
    }
    dirtyFrom = -1; // everything changed
  }

  /** Adds `step` to the ASCII digits; the caller guarantees no new digit appears. */
  function advance(step: number): void {
    const bumped = tail[lastByte]! + step;
    if (bumped <= DIGIT_9) {
      tail[lastByte] = bumped;
      words[lastWord] = (words[lastWord]! + (step << shift)) | 0;
      return;
    }
    let carry = step;
    let i = lastByte;
    while (carry > 0) {
      const sum = tail[i]! - DIGIT_0 + carry;
      const digit = sum % 10;
      tail[i] = DIGIT_0 + digit;
      carry = (sum - digit) / 10;
      i--;
    }
    const first = (i + 1) >>> 2;
    for (let k = first; k <= lastWord; k++) words[k] = readWord(tail, k * 4);
    if (first < dirtyFrom) dirtyFrom = first;
  }

  function rebuildCache(): void {
    blockStart.set(mid);
    for (let b = 0; b < pivotBlock; b++) {
      for (let i = 0; i < 16; i++) w[i] = words[b * 16 + i]!;
      compressBlock(blockStart, w, scratch);
    }
    for (let i = 0; i < pivotRound; i++) w[i] = words[pivotBlock * 16 + i]!;
    pivotState.set(blockStart);
    runRounds(pivotState, w, 0, pivotRound);
    dirtyFrom = 32;
  }

  /** Hashes the current message; true when it equals the target. */
  function matches(): boolean {
    if (dirtyFrom < lastWord) rebuildCache();
    const base = pivotBlock * 16;
    for (let i = pivotRound; i < 16; i++) w[i] = words[base + i]!;
    v.set(pivotState);
    let chain = blockStart;
    let sched = w;
    if (pivotBlock < blocks - 1) {
      expandSchedule(w, 16, 64);
      runRounds(v, w, pivotRound, 64);
      for (let i = 0; i < 8; i++) scratch[i] = (blockStart[i]! + v[i]!) | 0;
      chain = scratch;
      sched = finalW;
      v.set(scratch);
      runRounds(v, sched, 0, 61);
    } else {
      expandSchedule(w, 16, 61);
      runRounds(v, w, pivotRound, 61);
    }
    // After 61 rounds `e` is the final `h`: most candidates fail here, 3 rounds early.
    if (((chain[7]! + v[4]!) | 0) !== target[7]) return false;
    if (sched === w) expandSchedule(w, 61, 64);
    runRounds(v, sched, 61, 64);
    for (let i = 0; i < 8; i++) if (((chain[i]! + v[i]!) | 0) !== target[i]) return false;
    return true;
  }

  return function search(from: number, to: number, step: number): number {
    checkArguments(from, to, step);
    if (from >= to) return -1;
    let n = from;
    layout(n);
    let nextPower = 10 ** digits;
    for (;;) {
      if (matches()) return n;
      n += step;
      if (n >= to) return -1;
      if (n >= nextPower) {
        layout(n);
        nextPower = 10 ** digits;
      } else {
        advance(step);
      }
    }
  };
}
