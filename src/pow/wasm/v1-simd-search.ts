import { IV, K, compressBlock, paddedBlocks, writePadding } from '../kernel/sha256.js';
import { encodeUtf8 } from '../kernel/utf8.js';
import { checkArguments, parseTarget, readWord } from '../kernel/v1-inputs.js';
import { createV1Search } from '../kernel/v1-search.js';
import type { V1Search } from '../kernel/v1-search.js';

/** What the AssemblyScript kernel (assembly/pow-v1-simd.ts) exports. */
export interface V1SimdExports {
  setRoundConstant(index: number, word: number): void;
  setMidstate(index: number, word: number): void;
  setTarget(index: number, word: number): void;
  setTemplateByte(index: number, byte: number): void;
  searchSegment(first: number, end: number, step: number, digitStart: number, digits: number, blocks: number): number;
}

// The kernel counts in u32 with eight lanes of `step` per batch: numbers of 10 digits and more,
// and steps that could overflow a batch, go to the JS kernel (the server caps maxnumber at 1e8).
const MAX_DIGITS = 9;
const MAX_STEP = 100_000_000;

/**
 * The ALTCHA v1 search of {@link createV1Search}, same contract and results, hashing eight
 * candidates per step in WebAssembly SIMD (two interleaved sets of four lanes). The round
 * constants come from the JS kernel (the module carries none); the salt's full blocks are hashed
 * here once (the midstate); the range is cut where the digit count changes, so every eight-lane
 * batch has one message length.
 *
 * @param kernel - an instance of the SIMD kernel; one search runs on it at a time
 * @param salt - the challenge's salt, as sent
 * @param challengeHex - the challenge: lowercase hex SHA-256
 */
export function createV1SimdSearch(kernel: V1SimdExports, salt: string, challengeHex: string): V1Search {
  const target = parseTarget(challengeHex);
  const saltBytes = encodeUtf8(salt);
  const fullBlocks = saltBytes.length >>> 6;
  const rest = saltBytes.length - fullBlocks * 64;
  const midstate = saltMidstate(saltBytes, fullBlocks);
  let scalar: V1Search | null = null;

  /** Loads this search's constants; the tail template for `digits`-digit numbers; returns its block count. */
  function prepare(digits: number): number {
    for (let i = 0; i < 64; i++) kernel.setRoundConstant(i, K[i]!);
    for (let i = 0; i < 8; i++) {
      kernel.setMidstate(i, midstate[i]!);
      kernel.setTarget(i, target![i]!);
    }
    const tail = new Uint8Array(128);
    tail.set(saltBytes.subarray(fullBlocks * 64));
    writePadding(tail, rest + digits, saltBytes.length + digits);
    const blocks = paddedBlocks(rest + digits);
    for (let i = 0; i < blocks * 64; i++) kernel.setTemplateByte(i, tail[i]!);
    return blocks;
  }

  return function search(from: number, to: number, step: number): number {
    checkArguments(from, to, step);
    if (target === undefined) return -1;
    let n = from;
    while (n < to) {
      const digits = String(n).length;
      if (digits > MAX_DIGITS || step > MAX_STEP) {
        scalar ??= createV1Search(salt, challengeHex);
        return scalar(n, to, step);
      }
      const segmentEnd = Math.min(to, 10 ** digits);
      const found = kernel.searchSegment(n, segmentEnd, step, rest, digits, prepare(digits));
      if (found >= 0) return found;
      n += Math.ceil((segmentEnd - n) / step) * step;
    }
    return -1;
  };
}

/** The chaining value after the salt's full 64-byte blocks. */
function saltMidstate(saltBytes: Uint8Array, fullBlocks: number): Int32Array {
  const state = new Int32Array(IV);
  const w = new Int32Array(64);
  const scratch = new Int32Array(8);
  for (let b = 0; b < fullBlocks; b++) {
    for (let i = 0; i < 16; i++) w[i] = readWord(saltBytes, b * 64 + i * 4);
    compressBlock(state, w, scratch);
  }
  return state;
}
