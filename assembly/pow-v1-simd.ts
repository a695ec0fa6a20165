// ALTCHA v1 search in WebAssembly SIMD (AssemblyScript, built by scripts/build-wasm.mjs):
// SHA-256(salt + decimal(n)) for four candidates per compression, one per i32x4 lane.
//
// The JavaScript glue (src/pow/wasm/v1-simd-search.ts) hashes the salt's full 64-byte blocks
// (the midstate), writes the tail template (the salt's last bytes, room for the digits, the
// padding) and calls searchSegment() once per run of numbers with the same digit count, so
// every lane of a batch has the same message length. Here each lane keeps its own copy of the
// tail and bumps its ASCII digits in place; the rounds before the first word where the lanes
// differ are computed once per carry (the cache), and a batch stops after 61 rounds of the last
// block unless some lane's final `h` already matches.

// Round constants, FIPS 180-4.
const K: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const LANES: u32 = 4;
const TAIL_BYTES: usize = 128; // at most two blocks: the salt's partial block, the digits, the padding

const MIDSTATE: usize = memory.data(8 * 4, 16); // chaining value after the salt's full blocks
const TARGET: usize = memory.data(8 * 4, 16); // the challenge as eight big-endian words
const TEMPLATE: usize = memory.data(<i32>TAIL_BYTES, 16); // the tail, digits still to be written
const LANE_TAILS: usize = memory.data(<i32>(LANES * <u32>TAIL_BYTES), 16); // each lane's tail bytes
const WORDS: usize = memory.data(32 * 16, 16); // the tail's message words, lane-interleaved
const SCHEDULE: usize = memory.data(64 * 16, 16); // the schedule of the block being compressed
const FINAL_SCHEDULE: usize = memory.data(64 * 16, 16); // a last block without digits: constant
const CACHE_CHAIN: usize = memory.data(8 * 16, 16); // chaining value entering the pivot block
const CACHE_STATE: usize = memory.data(8 * 16, 16); // working variables before the pivot round
const CHAIN: usize = memory.data(8 * 16, 16);
const STATE: usize = memory.data(8 * 16, 16);

/** Word `i` of the chaining value after the salt's full blocks. */
export function setMidstate(i: i32, value: u32): void {
  store<u32>(MIDSTATE + (<usize>i << 2), value);
}

/** Word `i` of the target digest. */
export function setTarget(i: i32, value: u32): void {
  store<u32>(TARGET + (<usize>i << 2), value);
}

/** Byte `i` of the tail template (salt tail, digit slots, padding, length). */
export function setTemplateByte(i: i32, value: u8): void {
  store<u8>(TEMPLATE + <usize>i, value);
}

// @ts-ignore: decorator
@inline function rotr(x: v128, n: i32): v128 {
  return v128.or(i32x4.shr_u(x, n), i32x4.shl(x, 32 - n));
}

// @ts-ignore: decorator
@inline function at(base: usize, i: i32): usize {
  return base + (<usize>i << 4);
}

/** Fills schedule words `from..to-1` (from ≥ 16) of `schedule` from its first 16 words. */
function expand(schedule: usize, from: i32, to: i32): void {
  for (let i = from; i < to; i++) {
    const x = v128.load(at(schedule, i - 15));
    const y = v128.load(at(schedule, i - 2));
    const s0 = v128.xor(v128.xor(rotr(x, 7), rotr(x, 18)), i32x4.shr_u(x, 3));
    const s1 = v128.xor(v128.xor(rotr(y, 17), rotr(y, 19)), i32x4.shr_u(y, 10));
    const sum = i32x4.add(i32x4.add(s1, v128.load(at(schedule, i - 7))), i32x4.add(s0, v128.load(at(schedule, i - 16))));
    v128.store(at(schedule, i), sum);
  }
}

/** Runs rounds `from..to-1` on STATE (a…h, in place) with `schedule`. */
function rounds(schedule: usize, from: i32, to: i32): void {
  let a = v128.load(STATE, 0), b = v128.load(STATE, 16), c = v128.load(STATE, 32), d = v128.load(STATE, 48);
  let e = v128.load(STATE, 64), f = v128.load(STATE, 80), g = v128.load(STATE, 96), h = v128.load(STATE, 112);
  for (let i = from; i < to; i++) {
    const k = v128.load32_splat(K + (<usize>i << 2));
    const s1 = v128.xor(v128.xor(rotr(e, 6), rotr(e, 11)), rotr(e, 25));
    const ch = v128.bitselect(f, g, e);
    const t1 = i32x4.add(i32x4.add(i32x4.add(h, s1), i32x4.add(ch, k)), v128.load(at(schedule, i)));
    const s0 = v128.xor(v128.xor(rotr(a, 2), rotr(a, 13)), rotr(a, 22));
    const maj = v128.bitselect(b, a, v128.xor(a, c));
    h = g;
    g = f;
    f = e;
    e = i32x4.add(d, t1);
    d = c;
    c = b;
    b = a;
    a = i32x4.add(t1, i32x4.add(s0, maj));
  }
  v128.store(STATE, a, 0); v128.store(STATE, b, 16); v128.store(STATE, c, 32); v128.store(STATE, d, 48);
  v128.store(STATE, e, 64); v128.store(STATE, f, 80); v128.store(STATE, g, 96); v128.store(STATE, h, 112);
}

/** CHAIN += STATE, word by word (the end of a compression). */
function addStateToChain(): void {
  for (let i = 0; i < 8; i++) v128.store(at(CHAIN, i), i32x4.add(v128.load(at(CHAIN, i)), v128.load(at(STATE, i))));
}

/** Copies tail block `block`'s words into the first 16 schedule words. */
function loadBlock(block: i32): void {
  memory.copy(SCHEDULE, at(WORDS, block << 4), 16 * 16);
}

/** Rebuilds message word `i` of every lane from the lanes' tail bytes (big-endian). */
function loadWord(i: i32): void {
  const offset = <usize>i << 2;
  let v = i32x4.splat(bswap<u32>(load<u32>(LANE_TAILS + offset)));
  v = i32x4.replace_lane(v, 1, bswap<u32>(load<u32>(LANE_TAILS + TAIL_BYTES + offset)));
  v = i32x4.replace_lane(v, 2, bswap<u32>(load<u32>(LANE_TAILS + 2 * TAIL_BYTES + offset)));
  v = i32x4.replace_lane(v, 3, bswap<u32>(load<u32>(LANE_TAILS + 3 * TAIL_BYTES + offset)));
  v128.store(at(WORDS, i), v);
}

/** Writes `n` as `digits` ASCII digits ending at byte `lastByte` of a lane's tail. */
function writeDigits(tail: usize, lastByte: i32, digits: i32, n: u32): void {
  for (let j = 0; j < digits; j++) {
    store<u8>(tail + <usize>(lastByte - j), <u8>(48 + n % 10));
    n /= 10;
  }
}

/**
 * Adds `amount` to a lane's decimal digits in place; returns the lowest byte index changed.
 * The caller guarantees the sum keeps its digit count.
 */
function advanceDigits(tail: usize, lastByte: i32, amount: u32): i32 {
  let i = lastByte;
  let carry = amount;
  while (carry != 0) {
    const sum = <u32>load<u8>(tail + <usize>i) - 48 + carry;
    const digit = sum % 10;
    store<u8>(tail + <usize>i, <u8>(48 + digit));
    carry = sum / 10;
    i--;
  }
  return i + 1;
}

/**
 * Chooses the pivot (the first word where the lanes differ, at most the last digit's word) and
 * computes, once for all lanes, the chaining value entering its block and the rounds before it.
 */
function rebuildCache(firstDigitWord: i32, lastWord: i32): i32 {
  let pivot = lastWord;
  for (let i = firstDigitWord; i < lastWord; i++) {
    const v = v128.load(at(WORDS, i));
    if (!i32x4.all_true(i32x4.eq(v, i32x4.splat(i32x4.extract_lane(v, 0))))) {
      pivot = i;
      break;
    }
  }
  const pivotBlock = pivot >> 4;
  for (let i = 0; i < 8; i++) v128.store(at(CHAIN, i), i32x4.splat(load<u32>(MIDSTATE + (<usize>i << 2))));
  for (let block = 0; block < pivotBlock; block++) {
    loadBlock(block);
    expand(SCHEDULE, 16, 64);
    memory.copy(STATE, CHAIN, 8 * 16);
    rounds(SCHEDULE, 0, 64);
    addStateToChain();
  }
  loadBlock(pivotBlock);
  memory.copy(STATE, CHAIN, 8 * 16);
  rounds(SCHEDULE, 0, pivot & 15);
  memory.copy(CACHE_CHAIN, CHAIN, 8 * 16);
  memory.copy(CACHE_STATE, STATE, 8 * 16);
  return pivot;
}

/** Hashes the four lanes from the cached pivot; returns the first matching lane in `active`, or -1. */
function tryBatch(pivot: i32, blocks: i32, constantFinal: bool, active: v128): i32 {
  const pivotBlock = pivot >> 4;
  const lastBlock = blocks - 1;
  memory.copy(CHAIN, CACHE_CHAIN, 8 * 16);
  memory.copy(STATE, CACHE_STATE, 8 * 16);
  let schedule = SCHEDULE;
  for (let block = pivotBlock; block <= lastBlock; block++) {
    const last = block == lastBlock;
    if (last && constantFinal) {
      schedule = FINAL_SCHEDULE;
    } else {
      loadBlock(block);
      expand(SCHEDULE, 16, last ? 61 : 64);
    }
    if (block != pivotBlock) memory.copy(STATE, CHAIN, 8 * 16);
    rounds(schedule, block == pivotBlock ? pivot & 15 : 0, last ? 61 : 64);
    if (!last) addStateToChain();
  }
  // After 61 rounds `e` is the final `h`: most batches end here, three rounds early.
  const h = i32x4.add(v128.load(at(CHAIN, 7)), v128.load(at(STATE, 4)));
  if (!v128.any_true(v128.and(active, i32x4.eq(h, i32x4.splat(load<u32>(TARGET + 28)))))) return -1;
  if (!constantFinal) expand(SCHEDULE, 61, 64);
  rounds(schedule, 61, 64);
  let match = active;
  for (let i = 0; i < 8; i++) {
    const word = i32x4.add(v128.load(at(CHAIN, i)), v128.load(at(STATE, i)));
    match = v128.and(match, i32x4.eq(word, i32x4.splat(load<u32>(TARGET + (<usize>i << 2)))));
  }
  const lanes = i32x4.bitmask(match);
  return lanes == 0 ? -1 : ctz(lanes);
}

/** Lanes whose number `first + lane·step` is below `end`, as an i32x4 mask. */
function activeLanes(first: u32, step: u32, end: u32): v128 {
  const offsets = i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(0), 1, step), 2, step * 2), 3, step * 3);
  return i32x4.lt_u(offsets, i32x4.splat(end - first));
}

/**
 * Tries `first`, `first + step`, … below `end`, four per compression; returns the first number
 * whose hash is the target, or -1. Every number has `digits` digits, written from byte
 * `digitStart` of the template; the tail is `blocks` (1 or 2) blocks long. `first < end`,
 * `end ≤ 10^digits`, numbers below 2^31 and `step` small enough that `4·step` cannot overflow.
 */
export function searchSegment(first: u32, end: u32, step: u32, digitStart: i32, digits: i32, blocks: i32): i32 {
  const lastByte = digitStart + digits - 1;
  const firstDigitWord = digitStart >> 2;
  const lastWord = lastByte >> 2;
  for (let lane: u32 = 0; lane < LANES; lane++) {
    const tail = LANE_TAILS + <usize>lane * TAIL_BYTES;
    memory.copy(tail, TEMPLATE, TAIL_BYTES);
    const n = first + lane * step;
    // A lane past the end copies lane 0: it is hashed but never reported.
    writeDigits(tail, lastByte, digits, n < end && n >= first ? n : first);
  }
  for (let i = 0; i < blocks << 4; i++) loadWord(i);
  const constantFinal = lastWord >> 4 < blocks - 1;
  if (constantFinal) {
    memory.copy(FINAL_SCHEDULE, at(WORDS, (blocks - 1) << 4), 16 * 16);
    expand(FINAL_SCHEDULE, 16, 64);
  }
  let pivot = rebuildCache(firstDigitWord, lastWord);
  const stride = step * LANES;
  let n0 = first;
  while (true) {
    const lane = tryBatch(pivot, blocks, constantFinal, activeLanes(n0, step, end));
    if (lane >= 0) return <i32>(n0 + <u32>lane * step);
    if (end - n0 <= stride) return -1;
    n0 += stride;
    let lowest = lastByte;
    for (let k: u32 = 0; k < LANES; k++) {
      if (k * step >= end - n0) break; // this lane and the next are past the end: left as they are
      const changed = advanceDigits(LANE_TAILS + <usize>k * TAIL_BYTES, lastByte, stride);
      if (changed < lowest) lowest = changed;
    }
    const fromWord = lowest >> 2;
    for (let i = fromWord; i <= lastWord; i++) loadWord(i);
    if (fromWord < pivot) pivot = rebuildCache(firstDigitWord, lastWord);
  }
}
