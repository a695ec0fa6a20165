// The WebAssembly SIMD v1 kernel (eight candidates per step, two sets of four i32x4 lanes) in Node's
// V8: against node:crypto, altcha-lib and the JS kernel, and at the edges of its eight lanes.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomInt } from 'node:crypto';
import { createChallenge, solveChallenge } from 'altcha-lib/v1';
import { createV1Search } from '../../src/pow/kernel/index.js';
import { loadV1SimdKernel } from '../../src/pow/wasm/load-v1-simd.js';
import { createV1SimdSearch } from '../../src/pow/wasm/v1-simd-search.js';
import type { V1SimdExports } from '../../src/pow/wasm/v1-simd-search.js';

const HMAC_KEY = 'pow-kernel-simd-test-hmac-key-0123456789';
const SALT_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789?=&-_.é';
const LANES = 8;

const nodeHex = (data: string): string => createHash('sha256').update(data).digest('hex');

function randomSalt(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += SALT_CHARS[randomInt(SALT_CHARS.length)];
  return s;
}

let kernel: V1SimdExports;
before(async () => {
  const loaded = await loadV1SimdKernel();
  assert.ok(loaded, 'Node 24 runs WebAssembly SIMD: the kernel must load');
  kernel = loaded;
});

const simd = (salt: string, challenge: string) => createV1SimdSearch(kernel, salt, challenge);

test('finds altcha-lib challenges for every salt length 1…200 and numbers of every digit count', async () => {
  const numbers = [0, 9, 10, 99, 100, 999, 1000, 99_999, 100_000, 999_999];
  for (let length = 1; length <= 200; length++) {
    const seed = randomSalt(length);
    for (const number of [...numbers, randomInt(1_000_001)]) {
      const c = await createChallenge({ hmacKey: HMAC_KEY, salt: seed, number, maxnumber: 1_000_000 });
      const from = Math.max(0, number - 150);
      assert.equal(simd(c.salt, c.challenge)(from, number + 150, 1), number, `salt ${JSON.stringify(c.salt)} number ${number}`);
    }
  }
});

test('agrees with altcha-lib solveChallenge and the JS kernel on random challenges', async () => {
  for (let i = 0; i < 16; i++) {
    const c = await createChallenge({ hmacKey: HMAC_KEY, maxnumber: 5000, saltLength: 1 + randomInt(90) });
    const expected = await solveChallenge(c.challenge, c.salt, c.algorithm, 5000).promise;
    assert.ok(expected, 'altcha-lib solved its own challenge');
    assert.equal(simd(c.salt, c.challenge)(0, 5001, 1), expected.number);
    assert.equal(createV1Search(c.salt, c.challenge)(0, 5001, 1), expected.number);
  }
});

test('numbers of 1…9 digits with the digits across the block boundary (salt tails 40…70 bytes)', () => {
  for (let length = 40; length <= 70; length++) {
    const salt = randomSalt(length);
    for (let digits = 1; digits <= 9; digits++) {
      const number = 10 ** (digits - 1) + randomInt(9 * 10 ** (digits - 1));
      const search = simd(salt, nodeHex(salt + number));
      assert.equal(search(Math.max(0, number - 40), number + 40, 1), number, `salt length ${length}, ${digits} digits, ${number}`);
    }
  }
});

test('a solution in each of the eight lanes (both sets), in the first batch and in a later one', () => {
  const salt = `${randomSalt(33)}?expires=1700000000&`;
  const number = 424_242;
  const search = simd(salt, nodeHex(salt + number));
  for (let lane = 0; lane < LANES; lane++) {
    assert.equal(search(number - lane, number + 100, 1), number, `first batch, lane ${lane}`);
    assert.equal(search(number - lane - 7 * LANES, number + 100, 1), number, `eighth batch, lane ${lane}`);
    assert.equal(search(number - lane * 3, number + 100, 3), number, `step 3, lane ${lane}`);
  }
});

test('digit-count change inside a batch: 7, 8, 9 | 10 and 98, 99 | 100, 101', () => {
  const salt = randomSalt(61);
  for (const [from, number] of [[7, 10], [7, 9], [98, 100], [98, 101], [98, 99], [9_999_998, 10_000_001], [999_999_997, 999_999_999]]) {
    const search = simd(salt, nodeHex(salt + number));
    assert.equal(search(from!, number! + 10, 1), number, `from ${from} number ${number}`);
  }
  // Step 3 from 95: 95, 98 | 101, 104 — the lanes past 99 start a new segment.
  const search = simd(salt, nodeHex(`${salt}101`));
  assert.equal(search(95, 200, 3), 101);
  assert.equal(search(96, 200, 3), -1);
});

test('the last number of the range, in every lane position, and `to` exclusive', () => {
  const salt = randomSalt(45);
  for (const number of [3, 1234, 55_555]) {
    const search = simd(salt, nodeHex(salt + number));
    for (let back = 0; back < 2 * LANES; back++) {
      assert.equal(search(number - Math.min(number, back), number + 1, 1), number, `number ${number}, ${back} before it`);
      assert.equal(search(Math.max(0, number - back), number, 1), -1, `to = ${number} excludes it`);
    }
  }
});

test('the range covers everything the JS kernel covers: large steps, 10+ digit numbers, misses', () => {
  const salt = randomSalt(57);
  assert.equal(simd(salt, nodeHex(`${salt}1000003`))(3, 2_000_000, 1000), 1_000_003);
  assert.equal(simd(salt, nodeHex(`${salt}1000003`))(4, 2_000_000, 1000), -1);
  // Beyond the kernel's u32 lanes the JS kernel takes over, with the same results.
  for (const number of [999_999_999, 1_000_000_000, 12_345_678_901]) {
    assert.equal(simd(salt, nodeHex(salt + number))(number - 20, number + 20, 1), number, `number ${number}`);
  }
  assert.equal(simd(salt, nodeHex(`${salt}77`))(0, 1_000, 200_000_000), -1);
  assert.equal(simd(salt, nodeHex(`${salt}0`))(0, 1, 200_000_000), 0, 'a step too large for the lanes');
  assert.equal(simd(salt, nodeHex(`${salt}x`))(0, 20_000, 1), -1, 'no number matches');
});

test('multi-byte salts, malformed challenges and invalid ranges as in the JS kernel', () => {
  const salt = 'sel-é-雪-😀?expires=1&';
  assert.equal(simd(salt, nodeHex(`${salt}65536`))(65_000, 66_000, 1), 65_536);
  assert.equal(simd('abc&', nodeHex('abc&12').toUpperCase())(0, 100, 1), -1, 'altcha-lib compares lowercase hex');
  assert.equal(simd('abc&', 'xyz')(0, 100, 1), -1);
  const search = simd('abc&', nodeHex('abc&1'));
  assert.throws(() => search(-1, 10, 1), RangeError);
  assert.throws(() => search(0, 10, 0), RangeError);
  assert.throws(() => search(0.5, 10, 1), RangeError);
  assert.throws(() => search(0, Number.POSITIVE_INFINITY, 1), RangeError);
});

test('interleaved workers on one kernel instance each: exactly one finds the number', async () => {
  for (const workers of [2, 3, 8]) {
    for (const number of [0, 10, 99, 100, 12_345, 999_999]) {
      const c = await createChallenge({ hmacKey: HMAC_KEY, salt: randomSalt(1 + randomInt(150)), number, maxnumber: 1_000_000 });
      const from = Math.max(0, number - 500);
      const results = Array.from({ length: workers }, (_, lane) => simd(c.salt, c.challenge)(from + lane, number + 500, workers));
      assert.deepEqual(results.filter((r) => r !== -1), [number], `${workers} workers, number ${number}: ${results.join(',')}`);
    }
  }
});

test('carries into the word before the pivot, and a batch straddling one (the pivot moves down, then back up)', () => {
  // A 44-byte salt puts 7-digit numbers at bytes 44…50: the lanes differ in word 12, and every
  // 1000 numbers a carry reaches word 11. With step 2 most of those batches straddle the carry
  // (lanes on both sides of it), which moves the pivot to word 11; the next batch moves it back.
  const salt = `${randomSalt(24)}?expires=1765000000&`;
  assert.equal(salt.length, 44);
  for (const number of [1_000_998, 1_001_000, 1_001_002, 1_001_016, 1_001_998, 1_002_000, 1_002_030, 1_999_998, 2_000_000, 2_000_014]) {
    for (const step of [1, 2, 3]) {
      const from = 1_000_000 + ((number - 1_000_000) % step);
      assert.equal(simd(salt, nodeHex(salt + number))(from, 2_000_100, step), number, `number ${number}, step ${step}`);
    }
  }
});

test('digits counted on in the message words: carries through every digit byte and across word boundaries', () => {
  // Salt tails 0…3 bytes past a word boundary move the digits' word split; strides of 8, 16, 24,
  // 8000 and 792 (steps 1, 2, 3, 1000, 99) put stride digits into one, two and three words.
  for (let length = 40; length <= 47; length++) {
    const salt = randomSalt(length);
    for (const [from, number, step] of [
      [99_000, 100_009, 1], [99_990, 109_999, 2], [999_000, 1_009_999, 3], [1_000_000, 1_998_000, 1000],
      [9_999_000, 10_000_000, 1], [10_000_000, 10_099_900, 99], [12_345_678, 12_999_999, 1], [90_000_000, 99_999_999, 1],
    ] as const) {
      if (number - from > 700_000 && step < 1000) continue; // keep the test short
      const expected = (number - from) % step === 0 ? number : -1;
      assert.equal(simd(salt, nodeHex(salt + number))(from, number + 50, step), expected, `salt length ${length}, from ${from}, number ${number}, step ${step}`);
    }
  }
});
