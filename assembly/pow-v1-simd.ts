// ALTCHA v1 search in WebAssembly SIMD (AssemblyScript, built by scripts/build-wasm.mjs):
// SHA-256(salt + decimal(n)) for eight candidates per step: two independent sets of four i32x4
// lanes whose rounds are interleaved, so the CPU overlaps their dependency chains (measured in
// V8: 1.3–1.4× the rounds throughput of one set).
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

const LANES: u32 = 8; // two sets (A: lanes 0–3, B: lanes 4–7) of four i32x4 lanes
const TAIL_BYTES: usize = 128; // at most two blocks: the salt's partial block, the digits, the padding
const SET_WORDS: usize = 32 * 16; // one set's tail message words
const SET_SCHEDULE: usize = 64 * 16; // one set's schedule
const SET_STATE: usize = 8 * 16; // one set's chaining value or working variables

const MIDSTATE: usize = memory.data(8 * 4, 16); // chaining value after the salt's full blocks
const TARGET: usize = memory.data(8 * 4, 16); // the challenge as eight big-endian words
const TEMPLATE: usize = memory.data(<i32>TAIL_BYTES, 16); // the tail, digits still to be written
const LANE_TAILS: usize = memory.data(<i32>(LANES * <u32>TAIL_BYTES), 16); // each lane's tail bytes
const WORDS: usize = memory.data(<i32>(2 * SET_WORDS), 16); // the tail's message words, lane-interleaved, set A then B
const SCHEDULE: usize = memory.data(<i32>(2 * SET_SCHEDULE), 16); // the schedules of the block being compressed, A then B
const FINAL_SCHEDULE: usize = memory.data(64 * 16, 16); // a last block without digits: constant, shared
const CACHE_CHAIN: usize = memory.data(8 * 16, 16); // chaining value entering the pivot block
const CACHE_STATE: usize = memory.data(8 * 16, 16); // working variables before the pivot round
const CHAIN: usize = memory.data(<i32>(2 * SET_STATE), 16); // A then B
const STATE: usize = memory.data(<i32>(2 * SET_STATE), 16); // A then B

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

/** {@link expand} for both sets at once (independent chains, interleaved). */
function expand2(a: usize, b: usize, from: i32, to: i32): void {
  for (let i = from; i < to; i++) {
    const x = v128.load(at(a, i - 15)), X = v128.load(at(b, i - 15));
    const y = v128.load(at(a, i - 2)), Y = v128.load(at(b, i - 2));
    const s0 = v128.xor(v128.xor(rotr(x, 7), rotr(x, 18)), i32x4.shr_u(x, 3));
    const S0 = v128.xor(v128.xor(rotr(X, 7), rotr(X, 18)), i32x4.shr_u(X, 3));
    const s1 = v128.xor(v128.xor(rotr(y, 17), rotr(y, 19)), i32x4.shr_u(y, 10));
    const S1 = v128.xor(v128.xor(rotr(Y, 17), rotr(Y, 19)), i32x4.shr_u(Y, 10));
    v128.store(at(a, i), i32x4.add(i32x4.add(s1, v128.load(at(a, i - 7))), i32x4.add(s0, v128.load(at(a, i - 16)))));
    v128.store(at(b, i), i32x4.add(i32x4.add(S1, v128.load(at(b, i - 7))), i32x4.add(S0, v128.load(at(b, i - 16)))));
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

/**
 * {@link rounds} on both sets' working variables (STATE: A, then B) at once, A with `a` and B
 * with `b`: two independent dependency chains per round, which the CPU overlaps.
 */
function rounds2(sa: usize, sb: usize, from: i32, to: i32): void {
  const B_ = STATE + SET_STATE;
  let a = v128.load(STATE, 0), b = v128.load(STATE, 16), c = v128.load(STATE, 32), d = v128.load(STATE, 48);
  let e = v128.load(STATE, 64), f = v128.load(STATE, 80), g = v128.load(STATE, 96), h = v128.load(STATE, 112);
  let A = v128.load(B_, 0), B = v128.load(B_, 16), C = v128.load(B_, 32), D = v128.load(B_, 48);
  let E = v128.load(B_, 64), F = v128.load(B_, 80), G = v128.load(B_, 96), H = v128.load(B_, 112);
  for (let i = from; i < to; i++) {
    const k = v128.load32_splat(K + (<usize>i << 2));
    const s1 = v128.xor(v128.xor(rotr(e, 6), rotr(e, 11)), rotr(e, 25));
    const S1 = v128.xor(v128.xor(rotr(E, 6), rotr(E, 11)), rotr(E, 25));
    const ch = v128.bitselect(f, g, e);
    const CH = v128.bitselect(F, G, E);
    const t1 = i32x4.add(i32x4.add(i32x4.add(h, s1), i32x4.add(ch, k)), v128.load(at(sa, i)));
    const T1 = i32x4.add(i32x4.add(i32x4.add(H, S1), i32x4.add(CH, k)), v128.load(at(sb, i)));
    const s0 = v128.xor(v128.xor(rotr(a, 2), rotr(a, 13)), rotr(a, 22));
    const S0 = v128.xor(v128.xor(rotr(A, 2), rotr(A, 13)), rotr(A, 22));
    const maj = v128.bitselect(b, a, v128.xor(a, c));
    const MAJ = v128.bitselect(B, A, v128.xor(A, C));
    h = g; g = f; f = e; e = i32x4.add(d, t1); d = c; c = b; b = a; a = i32x4.add(t1, i32x4.add(s0, maj));
    H = G; G = F; F = E; E = i32x4.add(D, T1); D = C; C = B; B = A; A = i32x4.add(T1, i32x4.add(S0, MAJ));
  }
  v128.store(STATE, a, 0); v128.store(STATE, b, 16); v128.store(STATE, c, 32); v128.store(STATE, d, 48);
  v128.store(STATE, e, 64); v128.store(STATE, f, 80); v128.store(STATE, g, 96); v128.store(STATE, h, 112);
  v128.store(B_, A, 0); v128.store(B_, B, 16); v128.store(B_, C, 32); v128.store(B_, D, 48);
  v128.store(B_, E, 64); v128.store(B_, F, 80); v128.store(B_, G, 96); v128.store(B_, H, 112);
}

/** CHAIN += STATE, word by word (the end of a compression), for `sets` sets (1: A only, 2: both). */
function addStateToChain(sets: i32): void {
  for (let i = 0; i < 8 * sets; i++) v128.store(at(CHAIN, i), i32x4.add(v128.load(at(CHAIN, i)), v128.load(at(STATE, i))));
}

/** Copies tail block `block`'s words into the first 16 schedule words of `sets` sets. */
function loadBlock(block: i32, sets: i32): void {
  memory.copy(SCHEDULE, at(WORDS, block << 4), 16 * 16);
  if (sets == 2) memory.copy(SCHEDULE + SET_SCHEDULE, at(WORDS + SET_WORDS, block << 4), 16 * 16);
}

/** Message word `i` of lanes `first`…`first + 3`, from their tail bytes (big-endian). */
// @ts-ignore: decorator
@inline function laneWords(first: u32, offset: usize): v128 {
  const tail = LANE_TAILS + <usize>first * TAIL_BYTES + offset;
  let v = i32x4.splat(bswap<u32>(load<u32>(tail)));
  v = i32x4.replace_lane(v, 1, bswap<u32>(load<u32>(tail + TAIL_BYTES)));
  v = i32x4.replace_lane(v, 2, bswap<u32>(load<u32>(tail + 2 * TAIL_BYTES)));
  return i32x4.replace_lane(v, 3, bswap<u32>(load<u32>(tail + 3 * TAIL_BYTES)));
}

/** Rebuilds message word `i` of every lane (both sets) from the lanes' tail bytes. */
function loadWord(i: i32): void {
  const offset = <usize>i << 2;
  v128.store(at(WORDS, i), laneWords(0, offset));
  v128.store(at(WORDS + SET_WORDS, i), laneWords(4, offset));
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
    const lane0 = i32x4.splat(i32x4.extract_lane(v, 0));
    if (!i32x4.all_true(v128.and(i32x4.eq(v, lane0), i32x4.eq(v128.load(at(WORDS + SET_WORDS, i)), lane0)))) {
      pivot = i;
      break;
    }
  }
  const pivotBlock = pivot >> 4;
  for (let i = 0; i < 8; i++) v128.store(at(CHAIN, i), i32x4.splat(load<u32>(MIDSTATE + (<usize>i << 2))));
  // Before the pivot every lane has the same words: set A's stand for all of them.
  for (let block = 0; block < pivotBlock; block++) {
    loadBlock(block, 1);
    expand(SCHEDULE, 16, 64);
    memory.copy(STATE, CHAIN, 8 * 16);
    rounds(SCHEDULE, 0, 64);
    addStateToChain(1);
  }
  loadBlock(pivotBlock, 1);
  memory.copy(STATE, CHAIN, 8 * 16);
  rounds(SCHEDULE, 0, pivot & 15);
  memory.copy(CACHE_CHAIN, CHAIN, 8 * 16);
  memory.copy(CACHE_STATE, STATE, 8 * 16);
  return pivot;
}

/** Hashes the eight lanes from the cached pivot; returns the first matching lane (0…7) in `active`, or -1. */
function tryBatch(pivot: i32, blocks: i32, constantFinal: bool, activeA: v128, activeB: v128): i32 {
  const pivotBlock = pivot >> 4;
  const lastBlock = blocks - 1;
  for (let set: usize = 0; set < 2; set++) {
    memory.copy(CHAIN + set * SET_STATE, CACHE_CHAIN, 8 * 16);
    memory.copy(STATE + set * SET_STATE, CACHE_STATE, 8 * 16);
  }
  let sa = SCHEDULE;
  let sb = SCHEDULE + SET_SCHEDULE;
  for (let block = pivotBlock; block <= lastBlock; block++) {
    const last = block == lastBlock;
    if (last && constantFinal) {
      sa = FINAL_SCHEDULE;
      sb = FINAL_SCHEDULE;
    } else {
      loadBlock(block, 2);
      expand2(sa, sb, 16, last ? 61 : 64);
    }
    if (block != pivotBlock) memory.copy(STATE, CHAIN, 2 * SET_STATE);
    rounds2(sa, sb, block == pivotBlock ? pivot & 15 : 0, last ? 61 : 64);
    if (!last) addStateToChain(2);
  }
  // After 61 rounds `e` is the final `h`: most batches end here, three rounds early.
  const h7 = i32x4.splat(load<u32>(TARGET + 28));
  const hA = i32x4.add(v128.load(at(CHAIN, 7)), v128.load(at(STATE, 4)));
  const hB = i32x4.add(v128.load(at(CHAIN + SET_STATE, 7)), v128.load(at(STATE + SET_STATE, 4)));
  if (!v128.any_true(v128.or(v128.and(activeA, i32x4.eq(hA, h7)), v128.and(activeB, i32x4.eq(hB, h7))))) return -1;
  if (!constantFinal) expand2(sa, sb, 61, 64);
  rounds2(sa, sb, 61, 64);
  let matchA = activeA;
  let matchB = activeB;
  for (let i = 0; i < 8; i++) {
    const t = i32x4.splat(load<u32>(TARGET + (<usize>i << 2)));
    matchA = v128.and(matchA, i32x4.eq(i32x4.add(v128.load(at(CHAIN, i)), v128.load(at(STATE, i))), t));
    matchB = v128.and(matchB, i32x4.eq(i32x4.add(v128.load(at(CHAIN + SET_STATE, i)), v128.load(at(STATE + SET_STATE, i))), t));
  }
  const lanes = i32x4.bitmask(matchA) | (i32x4.bitmask(matchB) << 4);
  return lanes == 0 ? -1 : ctz(lanes);
}

/** Lanes `base`…`base + 3` whose number `first + lane·step` is below `end`, as an i32x4 mask. */
function activeLanes(first: u32, step: u32, end: u32, base: u32): v128 {
  const offsets = i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(base * step), 1, (base + 1) * step), 2, (base + 2) * step), 3, (base + 3) * step);
  return i32x4.lt_u(offsets, i32x4.splat(end - first));
}

/**
 * Tries `first`, `first + step`, … below `end`, eight per step; returns the first number
 * whose hash is the target, or -1. Every number has `digits` digits, written from byte
 * `digitStart` of the template; the tail is `blocks` (1 or 2) blocks long. `first < end`,
 * `end ≤ 10^digits`, numbers below 2^31 and `step` small enough that `8·step` cannot overflow.
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
    const lane = tryBatch(pivot, blocks, constantFinal, activeLanes(n0, step, end, 0), activeLanes(n0, step, end, 4));
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
