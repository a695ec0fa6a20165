import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { createChallenge, solveChallenge } from 'altcha-lib/v1';
import { createV1Search, sha256 } from '../../src/pow/kernel/index.js';

const HMAC_KEY = 'pow-kernel-test-hmac-key-0123456789';
const SALT_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789?=&-_.é';

const nodeHex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function randomSalt(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += SALT_CHARS[randomInt(SALT_CHARS.length)];
  return s;
}

/** An altcha-lib v1 challenge for `number` (the library appends `&` to the salt). */
async function challengeFor(saltSeed: string, number: number) {
  return createChallenge({ hmacKey: HMAC_KEY, salt: saltSeed, number, maxnumber: 1_000_000 });
}

test('sha256 equals node:crypto for random inputs of every length 0…300', () => {
  for (let length = 0; length <= 300; length++) {
    for (let round = 0; round < 3; round++) {
      const input = new Uint8Array(randomBytes(length));
      assert.equal(hex(sha256(input)), nodeHex(input), `length ${length}, input ${hex(input)}`);
    }
  }
});

test('sha256 known vectors', () => {
  assert.equal(hex(sha256(new Uint8Array())), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(hex(sha256(new TextEncoder().encode('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('createV1Search finds altcha-lib challenges for every salt length 1…200', async () => {
  const numbers = [0, 9, 10, 99, 100, 999, 1000, 99_999, 999_999];
  for (let length = 1; length <= 200; length++) {
    const seed = randomSalt(length);
    for (const number of [...numbers, randomInt(1_000_001)]) {
      const c = await challengeFor(seed, number);
      const from = Math.max(0, number - 1500);
      const found = createV1Search(c.salt, c.challenge)(from, number + 1500, 1);
      assert.equal(found, number, `salt ${JSON.stringify(c.salt)} number ${number} from ${from}`);
    }
  }
});

test('createV1Search agrees with altcha-lib solveChallenge', async () => {
  for (let i = 0; i < 12; i++) {
    const c = await createChallenge({ hmacKey: HMAC_KEY, maxnumber: 3000, saltLength: 1 + randomInt(60) });
    const max = c.maxnumber ?? 3000;
    const expected = await solveChallenge(c.challenge, c.salt, c.algorithm, max).promise;
    assert.ok(expected, 'altcha-lib solved its own challenge');
    assert.equal(createV1Search(c.salt, c.challenge)(0, max + 1, 1), expected.number);
  }
});

test('createV1Search: `to` is exclusive and a miss returns -1', async () => {
  const c = await challengeFor(randomSalt(30), 5000);
  const search = createV1Search(c.salt, c.challenge);
  assert.equal(search(0, 5000, 1), -1);
  assert.equal(search(0, 5001, 1), 5000);
  assert.equal(search(5001, 20_000, 1), -1);
  assert.equal(search(5000, 5000, 1), -1);
  assert.equal(search(5000, 5001, 1), 5000, 'the same search function is reusable');
});

test('createV1Search with step > 1: exactly one interleaved lane finds the number', async () => {
  for (const lanes of [2, 3, 4, 7]) {
    for (const number of [0, 9, 10, 99, 100, 1000, 12_345, 999_999]) {
      const c = await challengeFor(randomSalt(1 + randomInt(150)), number);
      const from = Math.max(0, number - 2000);
      const results: number[] = [];
      for (let lane = 0; lane < lanes; lane++) {
        results.push(createV1Search(c.salt, c.challenge)(from + lane, number + 2000, lanes));
      }
      const hits = results.filter((r) => r !== -1);
      assert.deepEqual(hits, [number], `lanes ${lanes} number ${number}: ${results.join(',')}`);
      assert.equal(results[(number - from) % lanes], number);
    }
  }
});

test('createV1Search with large steps crosses digit-count boundaries', async () => {
  const c = await challengeFor(randomSalt(57), 1_000_003);
  assert.equal(createV1Search(c.salt, c.challenge)(3, 2_000_000, 1000), 1_000_003);
  assert.equal(createV1Search(c.salt, c.challenge)(4, 2_000_000, 1000), -1);
});

test('createV1Search handles multi-byte salts and numbers near 2^53', () => {
  const salt = 'sel-é-雪-😀?expires=1&';
  const big = Number.MAX_SAFE_INTEGER - 5;
  for (const number of [7, 65_536, big]) {
    const search = createV1Search(salt, nodeHex(salt + number));
    assert.equal(search(Math.max(0, number - 300), Math.min(Number.MAX_SAFE_INTEGER, number + 300), 1), number);
  }
});

test('createV1Search never matches a malformed challenge', () => {
  const salt = 'abc&';
  const upper = nodeHex(salt + 12).toUpperCase();
  assert.equal(createV1Search(salt, upper)(0, 100, 1), -1, 'altcha-lib compares lowercase hex');
  assert.equal(createV1Search(salt, 'xyz')(0, 100, 1), -1);
});

test('createV1Search rejects invalid ranges with RangeError', () => {
  const search = createV1Search('abc&', nodeHex('abc&1'));
  assert.throws(() => search(-1, 10, 1), RangeError);
  assert.throws(() => search(0, 10, 0), RangeError);
  assert.throws(() => search(0.5, 10, 1), RangeError);
  assert.throws(() => search(0, Number.POSITIVE_INFINITY, 1), RangeError);
});
