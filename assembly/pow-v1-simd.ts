// ALTCHA v1 search in WebAssembly SIMD (AssemblyScript, built by scripts/build-wasm.mjs):
// SHA-256(salt + decimal(n)) for eight candidates per step: two independent sets of four i32x4
// lanes whose rounds are interleaved, so the CPU overlaps their dependency chains.
//
// The JavaScript glue (src/pow/wasm/v1-simd-search.ts) writes the round constants, hashes the
// salt's full 64-byte blocks (the midstate), writes the tail template (the salt's last bytes, room
// for the digits, the padding) and calls searchSegment() once per run of numbers with the same
// digit count, so every lane of a batch has the same message length. The lanes' message words
// count on in place: the stride is added to their ASCII digits as a SWAR decimal add.
//
// What the lanes share is computed once per pivot (the first message word where the lanes
// differ), in scalar code (rebuild): the chaining value entering the pivot's block, the rounds
// before the pivot and the pivot round itself (its message word is added afterwards, to `a` and
// `e`), and every schedule word, or part of one, built only from words that are the same in all
// lanes (those before the pivot, the padding after the digits). A batch then computes only the
// schedule terms that depend on the digits, keeps the working variables in rings (only `a` and
// `e` in registers) and stops after round 61 of the last block (the `a` half of rounds 57…60
// skipped: round 61's `e` never reads it) unless some lane's final `h` already matches.

// Round constants (FIPS 180-4), written by the glue with setRoundConstant(): the JS kernel's K.
const K: usize = memory.data(64 * 4, 16);

const LANES: u32 = 8; // two sets (A: lanes 0–3, B: lanes 4–7) of four i32x4 lanes
const TAIL_BYTES: usize = 128; // at most two blocks: the salt's partial block, the digits, the padding
const SET_WORDS: usize = 32 * 16; // one set's tail message words
const SET_SCHEDULE: usize = 64 * 16; // one set's schedule of one block
const BLOCK_SCHEDULE: usize = 2 * SET_SCHEDULE; // both sets' schedules of one block
const SET_STATE: usize = 8 * 16; // one set's chaining value or working variables

const MIDSTATE: usize = memory.data(8 * 4, 16); // chaining value after the salt's full blocks
const TARGET: usize = memory.data(8 * 4, 16); // the challenge as eight big-endian words
const TEMPLATE: usize = memory.data(<i32>TAIL_BYTES, 16); // the tail, digits still to be written
const LANE_TAILS: usize = memory.data(<i32>(LANES * <u32>TAIL_BYTES), 16); // each lane's tail bytes
const WORDS: usize = memory.data(<i32>(2 * SET_WORDS), 16); // the tail's message words, lane-interleaved, set A then B
// Per tail block: each schedule word's recipe (0: the same in all lanes; below 16, 1: a digit
// word; from 16, which of σ1(w[i-2]), w[i-7], σ0(w[i-15]), w[i-16] vary, bits 0…3) and its
// shared value or shared part (lane 0's words).
const RECIPE: usize = memory.data(2 * 64 * 4, 16);
const SHARED: usize = memory.data(2 * 64 * 4, 16);
const W: usize = memory.data(<i32>(2 * BLOCK_SCHEDULE), 16); // per block, set A then B: the varying words
const KW: usize = memory.data(<i32>(2 * BLOCK_SCHEDULE), 16); // per block, set A then B: K[i] + w[i], every word
const SCALAR: usize = memory.data(8 * 4, 16); // the scalar working variables of rebuild()
const CACHE_CHAIN: usize = memory.data(8 * 16, 16); // chaining value entering the pivot block
const CACHE_STATE: usize = memory.data(8 * 16, 16); // working variables after the pivot round, its word left out
const CHAIN: usize = memory.data(<i32>(2 * SET_STATE), 16); // A then B
const STATE: usize = memory.data(<i32>(2 * SET_STATE), 16); // A then B

/** Round constant `i` (the glue writes all 64 before the first search). */
export function setRoundConstant(i: i32, value: u32): void {
  store<u32>(K + (<usize>i << 2), value);
}

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

// @ts-ignore: decorator
@inline function small0(x: v128): v128 {
  return v128.xor(v128.xor(rotr(x, 7), rotr(x, 18)), i32x4.shr_u(x, 3));
}

// @ts-ignore: decorator
@inline function small1(x: v128): v128 {
  return v128.xor(v128.xor(rotr(x, 17), rotr(x, 19)), i32x4.shr_u(x, 10));
}

// @ts-ignore: decorator
@inline function ror(x: u32, n: u32): u32 {
  return (x >>> n) | (x << (32 - n));
}

// @ts-ignore: decorator
@inline function small0s(x: u32): u32 {
  return ror(x, 7) ^ ror(x, 18) ^ (x >>> 3);
}

// @ts-ignore: decorator
@inline function small1s(x: u32): u32 {
  return ror(x, 17) ^ ror(x, 19) ^ (x >>> 10);
}

/**
 * Computes, for both sets, the varying schedule words of tail block `block` up to `to` (W and KW),
 * from the lanes' message words and the shared parts.
 */
function expandBatch(block: i32, to: i32): void {
  const recipe = RECIPE + (<usize>block << 8);
  const shared = SHARED + (<usize>block << 8);
  const wa = W + <usize>block * BLOCK_SCHEDULE, wb = wa + SET_SCHEDULE;
  const ka = KW + <usize>block * BLOCK_SCHEDULE, kb = ka + SET_SCHEDULE;
  for (let i = 0; i < 16; i++) {
    if (load<u32>(recipe + (<usize>i << 2)) == 0) continue;
    const k = v128.load32_splat(K + (<usize>i << 2));
    const x = v128.load(at(WORDS, (block << 4) + i)), y = v128.load(at(WORDS + SET_WORDS, (block << 4) + i));
    v128.store(at(wa, i), x); v128.store(at(wb, i), y);
    v128.store(at(ka, i), i32x4.add(x, k)); v128.store(at(kb, i), i32x4.add(y, k));
  }
  for (let i = 16; i < to; i++) {
    const r = load<u32>(recipe + (<usize>i << 2));
    if (r == 0) continue;
    let x = v128.load32_splat(shared + (<usize>i << 2));
    let y = x;
    if (r & 1) {
      x = i32x4.add(x, small1(v128.load(at(wa, i - 2))));
      y = i32x4.add(y, small1(v128.load(at(wb, i - 2))));
    }
    if (r & 2) {
      x = i32x4.add(x, v128.load(at(wa, i - 7)));
      y = i32x4.add(y, v128.load(at(wb, i - 7)));
    }
    if (r & 4) {
      x = i32x4.add(x, small0(v128.load(at(wa, i - 15))));
      y = i32x4.add(y, small0(v128.load(at(wb, i - 15))));
    }
    if (r & 8) {
      x = i32x4.add(x, v128.load(at(wa, i - 16)));
      y = i32x4.add(y, v128.load(at(wb, i - 16)));
    }
    const k = v128.load32_splat(K + (<usize>i << 2));
    v128.store(at(wa, i), x); v128.store(at(wb, i), y);
    v128.store(at(ka, i), i32x4.add(x, k)); v128.store(at(kb, i), i32x4.add(y, k));
  }
}

const RING: usize = 72 * 16; // one set's ring of `a` (or `e`) values, by round + 4
const AR: usize = memory.data(<i32>(4 * RING), 16); // a ring A, e ring A, a ring B, e ring B
const RA: usize = AR, RE: usize = AR + RING, RA_: usize = AR + 2 * RING, RE_: usize = AR + 3 * RING;

/**
 * Rounds `from..to-1` on both sets' working variables (STATE: A, then B) with block `block`'s
 * KW; from round `half` on only the `e` half. The working variables live in rings of the last
 * `a` and `e` values (b, c, d are the previous a's; f, g, h the previous e's): only a and e stay
 * in registers, the rest are loads, so no register shuffling and no spills between rounds.
 */
function rounds2(block: i32, from: i32, half: i32, to: i32): void {
  const ka = KW + <usize>block * BLOCK_SCHEDULE, kb = ka + SET_SCHEDULE;
  const B_ = STATE + SET_STATE;
  const ra = AR, re = AR + RING, rA = AR + 2 * RING, rE = AR + 3 * RING;
  // ring[i + 3] = a entering round i; ring[i + 2] = b; ring[i + 1] = c; ring[i] = d
  for (let j = 0; j < 4; j++) {
    v128.store(at(ra, from + 3 - j), v128.load(at(STATE, j)));
    v128.store(at(re, from + 3 - j), v128.load(at(STATE, 4 + j)));
    v128.store(at(rA, from + 3 - j), v128.load(at(B_, j)));
    v128.store(at(rE, from + 3 - j), v128.load(at(B_, 4 + j)));
  }
  let a = v128.load(STATE, 0), e = v128.load(STATE, 64);
  let A = v128.load(B_, 0), E = v128.load(B_, 64);
  let i = from;
  // Byte offsets with the rings' addresses as immediates: one index register for all the loads.
  for (; i < half; i++) {
    const p = <usize>i << 4;
    const k = ka + p;
    const s1 = v128.xor(v128.xor(rotr(e, 6), rotr(e, 11)), rotr(e, 25));
    const S1 = v128.xor(v128.xor(rotr(E, 6), rotr(E, 11)), rotr(E, 25));
    const t1 = i32x4.add(i32x4.add(v128.load(p, RE), s1), i32x4.add(v128.bitselect(v128.load(p, RE + 32), v128.load(p, RE + 16), e), v128.load(k)));
    const T1 = i32x4.add(i32x4.add(v128.load(p, RE_), S1), i32x4.add(v128.bitselect(v128.load(p, RE_ + 32), v128.load(p, RE_ + 16), E), v128.load(k, SET_SCHEDULE)));
    const s0 = v128.xor(v128.xor(rotr(a, 2), rotr(a, 13)), rotr(a, 22));
    const S0 = v128.xor(v128.xor(rotr(A, 2), rotr(A, 13)), rotr(A, 22));
    e = i32x4.add(v128.load(p, RA), t1);
    E = i32x4.add(v128.load(p, RA_), T1);
    a = i32x4.add(t1, i32x4.add(s0, v128.bitselect(v128.load(p, RA + 32), a, v128.xor(a, v128.load(p, RA + 16)))));
    A = i32x4.add(T1, i32x4.add(S0, v128.bitselect(v128.load(p, RA_ + 32), A, v128.xor(A, v128.load(p, RA_ + 16)))));
    v128.store(p, a, RA + 64); v128.store(p, e, RE + 64);
    v128.store(p, A, RA_ + 64); v128.store(p, E, RE_ + 64);
  }
  for (; i < to; i++) {
    const p = <usize>i << 4;
    const k = ka + p;
    const s1 = v128.xor(v128.xor(rotr(e, 6), rotr(e, 11)), rotr(e, 25));
    const S1 = v128.xor(v128.xor(rotr(E, 6), rotr(E, 11)), rotr(E, 25));
    const t1 = i32x4.add(i32x4.add(v128.load(p, RE), s1), i32x4.add(v128.bitselect(v128.load(p, RE + 32), v128.load(p, RE + 16), e), v128.load(k)));
    const T1 = i32x4.add(i32x4.add(v128.load(p, RE_), S1), i32x4.add(v128.bitselect(v128.load(p, RE_ + 32), v128.load(p, RE_ + 16), E), v128.load(k, SET_SCHEDULE)));
    e = i32x4.add(v128.load(p, RA), t1);
    E = i32x4.add(v128.load(p, RA_), T1);
    v128.store(p, e, RE + 64); v128.store(p, E, RE_ + 64);
  }
  for (let j = 0; j < 4; j++) {
    v128.store(at(STATE, j), v128.load(at(ra, to + 3 - j)));
    v128.store(at(STATE, 4 + j), v128.load(at(re, to + 3 - j)));
    v128.store(at(B_, j), v128.load(at(rA, to + 3 - j)));
    v128.store(at(B_, 4 + j), v128.load(at(rE, to + 3 - j)));
  }
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

/** Whether message word `i` is the same in all eight lanes. */
function sameInAllLanes(i: i32): bool {
  const v = v128.load(at(WORDS, i));
  const lane0 = i32x4.splat(i32x4.extract_lane(v, 0));
  return i32x4.all_true(v128.and(i32x4.eq(v, lane0), i32x4.eq(v128.load(at(WORDS + SET_WORDS, i)), lane0)));
}

/** Writes `n` as `digits` ASCII digits ending at byte `lastByte` of a lane's tail. */
function writeDigits(tail: usize, lastByte: i32, digits: i32, n: u32): void {
  for (let j = 0; j < digits; j++) {
    store<u8>(tail + <usize>(lastByte - j), <u8>(48 + n % 10));
    n /= 10;
  }
}

const DIGIT_MASK: usize = memory.data(2 * 32 * 4, 16); // per tail word: its digit bytes (0xff), as a big-endian word
// STRIDE_DIGITS follows at DIGIT_MASK + 128: per tail word, the digits of the stride that fall in it
const STRIDE_DIGITS: usize = DIGIT_MASK + 32 * 4;

/**
 * Prepares {@link advanceWords}: which bytes of each word are digits, and the stride's decimal
 * digits placed under the lanes' last digits.
 */
function prepareAdvance(digitStart: i32, lastByte: i32, stride: u32): void {
  memory.fill(DIGIT_MASK, 0, 2 * 32 * 4);
  for (let i = lastByte; i >= digitStart; i--) {
    const word = DIGIT_MASK + (<usize>(i >> 2) << 2);
    const shift = (3 - (i & 3)) << 3;
    store<u32>(word, load<u32>(word) | (0xff << shift));
    store<u32>(word, load<u32>(word, 32 * 4) + ((stride % 10) << shift), 32 * 4);
    stride /= 10;
  }
}

/**
 * Adds the stride to every lane's number, in the message words themselves (SWAR decimal: each
 * digit byte gets 0xc6 more, so a byte whose digit sum reaches 10 carries into the next byte as
 * a binary carry; the bytes that did not carry give the 0xc6 back, those that did get "0" back).
 * Works from the last digit's word up while a stride digit or a carry remains; returns the
 * lowest word index reached. Lanes past the end of the range count on (with digits that may wrap:
 * they are never reported, and this only happens in the last batch).
 */
function advanceWords(lastWord: i32): i32 {
  let carryA = i32x4.splat(0), carryB = carryA;
  let w = lastWord;
  while (true) {
    const mask = i32x4.splat(load<u32>(DIGIT_MASK + (<usize>w << 2)));
    const add = i32x4.add(i32x4.splat(load<u32>(STRIDE_DIGITS + (<usize>w << 2))), v128.and(mask, i32x4.splat(0xc6c6c6c6)));
    const fix = v128.and(mask, i32x4.splat(0x30303030)), back = v128.and(mask, i32x4.splat(0xf6f6f6f6));
    const xa = v128.load(at(WORDS, w)), xb = v128.load(at(WORDS + SET_WORDS, w));
    // carries arrive as all-ones lanes: subtracting them adds 1 to the last digit
    const sa = i32x4.sub(i32x4.add(xa, add), carryA), sb = i32x4.sub(i32x4.add(xb, add), carryB);
    const ra = i8x16.sub(i8x16.add(sa, fix), v128.and(i8x16.ge_u(sa, i32x4.splat(0xf6f6f6f6)), back));
    const rb = i8x16.sub(i8x16.add(sb, fix), v128.and(i8x16.ge_u(sb, i32x4.splat(0xf6f6f6f6)), back));
    v128.store(at(WORDS, w), v128.bitselect(ra, xa, mask));
    v128.store(at(WORDS + SET_WORDS, w), v128.bitselect(rb, xb, mask));
    carryA = i32x4.lt_u(sa, xa);
    carryB = i32x4.lt_u(sb, xb);
    if (w == 0) return 0;
    w--;
    if (load<u32>(DIGIT_MASK + (<usize>w << 2)) == 0) return w + 1;
    if (load<u32>(STRIDE_DIGITS + (<usize>w << 2)) == 0 && !v128.any_true(v128.or(carryA, carryB))) return w + 1;
  }
}

/** Scalar rounds `from..to-1` on SCALAR with the shared words of block `block` (all words shared). */
function scalarRounds(block: i32, from: i32, to: i32): void {
  const shared = SHARED + (<usize>block << 8);
  let a = load<u32>(SCALAR, 0), b = load<u32>(SCALAR, 4), c = load<u32>(SCALAR, 8), d = load<u32>(SCALAR, 12);
  let e = load<u32>(SCALAR, 16), f = load<u32>(SCALAR, 20), g = load<u32>(SCALAR, 24), h = load<u32>(SCALAR, 28);
  for (let i = from; i < to; i++) {
    const t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + (g ^ (e & (f ^ g))) + load<u32>(K + (<usize>i << 2)) + load<u32>(shared + (<usize>i << 2));
    const t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) | (c & (a | b)));
    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  store<u32>(SCALAR, a, 0); store<u32>(SCALAR, b, 4); store<u32>(SCALAR, c, 8); store<u32>(SCALAR, d, 12);
  store<u32>(SCALAR, e, 16); store<u32>(SCALAR, f, 20); store<u32>(SCALAR, g, 24); store<u32>(SCALAR, h, 28);
}

/**
 * Chooses the pivot (the first word where the lanes differ, at most the last digit's word) and
 * computes, once for all lanes, everything that does not depend on the words from the pivot to
 * the last digit: the chaining value entering the pivot's block, the rounds up to the pivot's
 * (its word taken as 0), the recipe of every schedule word of the blocks from there on, and
 * their shared values and parts.
 */
function rebuild(firstDigitWord: i32, lastWord: i32, blocks: i32): i32 {
  let pivot = lastWord;
  for (let i = firstDigitWord; i < lastWord; i++) {
    if (!sameInAllLanes(i)) {
      pivot = i;
      break;
    }
  }
  const pivotBlock = pivot >> 4;
  memory.copy(SCALAR, MIDSTATE, 8 * 4);
  for (let block = 0; block < blocks; block++) {
    const recipe = RECIPE + (<usize>block << 8);
    const shared = SHARED + (<usize>block << 8);
    for (let i = 0; i < 16; i++) {
      const word = (block << 4) + i;
      const varies = word >= pivot && word <= lastWord;
      store<u32>(recipe + (<usize>i << 2), <u32>varies);
      // A varying word's shared part is 0: the pivot round below runs without it.
      store<u32>(shared + (<usize>i << 2), varies ? 0 : i32x4.extract_lane(v128.load(at(WORDS, word)), 0));
    }
    for (let i = 16; i < 64; i++) {
      const p = shared + (<usize>i << 2);
      const q = recipe + (<usize>i << 2);
      let r: u32 = 0;
      let s: u32 = 0;
      if (load<u32>(q - 8)) r |= 1; else s += small1s(load<u32>(p - 8));
      if (load<u32>(q - 28)) r |= 2; else s += load<u32>(p - 28);
      if (load<u32>(q - 60)) r |= 4; else s += small0s(load<u32>(p - 60));
      if (load<u32>(q - 64)) r |= 8; else s += load<u32>(p - 64);
      store<u32>(q, r);
      store<u32>(p, s);
    }
    if (block < pivotBlock) {
      // Every lane has the same words here: one scalar compression.
      const chain0 = load<v128>(SCALAR), chain1 = load<v128>(SCALAR, 16);
      scalarRounds(block, 0, 64);
      v128.store(SCALAR, i32x4.add(v128.load(SCALAR), chain0));
      v128.store(SCALAR, i32x4.add(v128.load(SCALAR, 16), chain1), 16);
      continue;
    }
    if (block == pivotBlock) {
      for (let j = 0; j < 8; j++) v128.store(at(CACHE_CHAIN, j), v128.load32_splat(SCALAR + (<usize>j << 2)));
      scalarRounds(block, 0, (pivot & 15) + 1);
      for (let j = 0; j < 8; j++) v128.store(at(CACHE_STATE, j), v128.load32_splat(SCALAR + (<usize>j << 2)));
    }
    const ka = KW + <usize>block * BLOCK_SCHEDULE;
    for (let i = 0; i < 64; i++) {
      if (load<u32>(recipe + (<usize>i << 2)) != 0) continue;
      const kw = i32x4.splat(load<u32>(K + (<usize>i << 2)) + load<u32>(shared + (<usize>i << 2)));
      v128.store(at(ka, i), kw);
      v128.store(at(ka + SET_SCHEDULE, i), kw);
    }
  }
  return pivot;
}

/**
 * Hashes the eight lanes from the cached pivot. Fast (`full` false): stops after round 61 of the
 * last block and returns 1 when some lane in `active` may match (its final `h` does), else -1.
 * Full: all 64 rounds, returns the first matching lane (0…7) in `active`, or -1.
 */
function tryBatch(pivot: i32, blocks: i32, full: bool, activeA: v128, activeB: v128): i32 {
  const pivotBlock = pivot >> 4;
  const lastBlock = blocks - 1;
  for (let block = pivotBlock; block <= lastBlock; block++) {
    const fast = block == lastBlock && !full;
    expandBatch(block, fast ? 61 : 64);
    let from = 0;
    if (block == pivotBlock) {
      const p = pivot & 15;
      const wa = v128.load(at(W + <usize>block * BLOCK_SCHEDULE, p));
      const wb = v128.load(at(W + <usize>block * BLOCK_SCHEDULE + SET_SCHEDULE, p));
      for (let j = 0; j < 8; j++) {
        const c = v128.load(at(CACHE_CHAIN, j)), s = v128.load(at(CACHE_STATE, j));
        v128.store(at(CHAIN, j), c);
        v128.store(at(CHAIN + SET_STATE, j), c);
        v128.store(at(STATE, j), (j & 3) == 0 ? i32x4.add(s, wa) : s);
        v128.store(at(STATE + SET_STATE, j), (j & 3) == 0 ? i32x4.add(s, wb) : s);
      }
      from = p + 1;
    } else {
      for (let j = 0; j < 16; j++) v128.store(at(STATE, j), v128.load(at(CHAIN, j)));
    }
    if (fast) {
      rounds2(block, from, 57, 61);
    } else {
      rounds2(block, from, 64, 64);
      for (let j = 0; j < 16; j++) v128.store(at(CHAIN, j), i32x4.add(v128.load(at(CHAIN, j)), v128.load(at(STATE, j))));
    }
  }
  if (!full) {
    // After 61 rounds `e` is the final `h`: most batches end here, three rounds early.
    const h7 = i32x4.splat(load<u32>(TARGET + 28));
    const hA = i32x4.add(v128.load(at(CHAIN, 7)), v128.load(at(STATE, 4)));
    const hB = i32x4.add(v128.load(at(CHAIN + SET_STATE, 7)), v128.load(at(STATE + SET_STATE, 4)));
    return v128.any_true(v128.or(v128.and(activeA, i32x4.eq(hA, h7)), v128.and(activeB, i32x4.eq(hB, h7)))) ? 1 : -1;
  }
  let matchA = activeA;
  let matchB = activeB;
  for (let i = 0; i < 8; i++) {
    const t = i32x4.splat(load<u32>(TARGET + (<usize>i << 2)));
    matchA = v128.and(matchA, i32x4.eq(v128.load(at(CHAIN, i)), t));
    matchB = v128.and(matchB, i32x4.eq(v128.load(at(CHAIN + SET_STATE, i)), t));
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
  let pivot = rebuild(firstDigitWord, lastWord, blocks);
  const stride = step * LANES;
  prepareAdvance(digitStart, lastByte, stride);
  let n0 = first;
  while (true) {
    const activeA = activeLanes(n0, step, end, 0), activeB = activeLanes(n0, step, end, 4);
    if (tryBatch(pivot, blocks, false, activeA, activeB) >= 0) {
      const lane = tryBatch(pivot, blocks, true, activeA, activeB);
      if (lane >= 0) return <i32>(n0 + <u32>lane * step);
    }
    if (end - n0 <= stride) return -1;
    n0 += stride;
    const fromWord = advanceWords(lastWord);
    // A carry changed a shared word, or the lanes agree again on the pivot word (a batch that
    // straddled a carry had moved the pivot down): the shared part is rebuilt.
    if (fromWord < pivot || (pivot < lastWord && sameInAllLanes(pivot))) pivot = rebuild(firstDigitWord, lastWord, blocks);
  }
}
