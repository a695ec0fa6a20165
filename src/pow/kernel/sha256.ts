/**
 * A synchronous SHA-256 (FIPS 180-4) over 32-bit words, written for the
 * proof-of-work search: state and message words live in Int32Arrays so the
 * engine keeps them as untagged integers, and the compression can start at
 * any round from a cached state.
 */

/** Round constants. */
export const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** Initial hash value H(0). */
export const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/**
 * Fills `w[start..end-1]` (start ≥ 16) of a 64-word schedule from the block in
 * `w[0..15]`. A caller that stops early skips the words it never reads.
 */
export function expandSchedule(w: Int32Array, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (s1 + w[i - 7]! + s0 + w[i - 16]!) | 0;
  }
}

/**
 * Runs rounds `from..to-1` on the working variables in `v` (a..h), in place,
 * reading the expanded schedule `w`. Does not add the chaining value.
 */
export function runRounds(v: Int32Array, w: Int32Array, from: number, to: number): void {
  let a = v[0]!, b = v[1]!, c = v[2]!, d = v[3]!, e = v[4]!, f = v[5]!, g = v[6]!, h = v[7]!;
  for (let i = from; i < to; i++) {
    const t1 =
      (h +
        (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
        ((e & f) ^ (~e & g)) +
        K[i]! +
        w[i]!) |
      0;
    const t2 =
      ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
        ((a & b) ^ (a & c) ^ (b & c))) |
      0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  v[0] = a; v[1] = b; v[2] = c; v[3] = d; v[4] = e; v[5] = f; v[6] = g; v[7] = h;
}

/** Compresses the block in `w[0..15]` into `state` (8 words), in place. Clobbers `w[16..63]`. */
export function compressBlock(state: Int32Array, w: Int32Array, scratch: Int32Array): void {
  expandSchedule(w, 16, 64);
  scratch.set(state);
  runRounds(scratch, w, 0, 64);
  for (let i = 0; i < 8; i++) state[i] = (state[i]! + scratch[i]!) | 0;
}

/** Loads 16 big-endian words from `bytes[offset..offset+63]` into `w[0..15]`. */
function loadBlock(bytes: Uint8Array, offset: number, w: Int32Array): void {
  for (let i = 0; i < 16; i++) {
    const o = offset + i * 4;
    w[i] = (bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!;
  }
}

/** Number of 64-byte blocks a message of `length` bytes occupies once padded. */
export function paddedBlocks(length: number): number {
  return Math.floor((length + 8) / 64) + 1;
}

/**
 * Writes the SHA-256 padding for a message of `length` bytes whose last,
 * partial block starts at `buf[0]` (`buf` is zero beyond the message).
 */
export function writePadding(buf: Uint8Array, tailLength: number, totalLength: number): void {
  buf[tailLength] = 0x80;
  const end = paddedBlocks(tailLength) * 64;
  const bits = totalLength * 8;
  const high = Math.floor(bits / 0x100000000);
  const low = bits >>> 0;
  buf[end - 8] = high >>> 24; buf[end - 7] = high >>> 16; buf[end - 6] = high >>> 8; buf[end - 5] = high;
  buf[end - 4] = low >>> 24; buf[end - 3] = low >>> 16; buf[end - 2] = low >>> 8; buf[end - 1] = low;
}

/**
 * SHA-256 digest of `bytes`.
 *
 * @param bytes - the message
 * @returns the 32-byte digest
 * @example sha256(new Uint8Array()) // e3b0c442…
 */
export function sha256(bytes: Uint8Array): Uint8Array {
  const state = new Int32Array(IV);
  const w = new Int32Array(64);
  const scratch = new Int32Array(8);
  const full = bytes.length >>> 6;
  for (let b = 0; b < full; b++) {
    loadBlock(bytes, b * 64, w);
    compressBlock(state, w, scratch);
  }
  const tail = new Uint8Array(128);
  const tailLength = bytes.length - full * 64;
  tail.set(bytes.subarray(full * 64));
  writePadding(tail, tailLength, bytes.length);
  for (let b = 0; b < paddedBlocks(tailLength); b++) {
    loadBlock(tail, b * 64, w);
    compressBlock(state, w, scratch);
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const s = state[i]!;
    out[i * 4] = s >>> 24; out[i * 4 + 1] = s >>> 16; out[i * 4 + 2] = s >>> 8; out[i * 4 + 3] = s;
  }
  return out;
}
