// The WebAssembly SIMD v1 kernel in real engines: digests against crypto.subtle and the JS
// kernel, the eight lanes' edges, and the v1 worker reporting `wasm-simd` while it solves.
import { createV1Search } from '../../src/pow/kernel/index.js';
import { parseChallenge } from '../../src/pow/challenge.js';
import { solveChallenge } from '../../src/pow/solve.js';
import type { SolveProgress } from '../../src/pow/solve.js';
import { loadV1SimdKernel } from '../../src/pow/wasm/load-v1-simd.js';
import { createV1SimdSearch } from '../../src/pow/wasm/v1-simd-search.js';
import type { V1SimdExports } from '../../src/pow/wasm/v1-simd-search.js';
import { equal, ok } from './helpers/harness.js';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const subtleHex = async (text: string): Promise<string> =>
  hex(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));

function randomSalt(length: number): string {
  const chars = 'abcdef0123456789?=&é';
  let s = '';
  for (let i = 0; i < length; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

async function kernel(): Promise<V1SimdExports> {
  const loaded = await loadV1SimdKernel();
  ok(loaded, 'this engine runs WebAssembly SIMD (the test page has no CSP)');
  return loaded;
}

describe('pow kernel: WebAssembly SIMD', () => {
  it('finds the number for salts of every length 1…140 and numbers of every digit count, as the JS kernel does', async () => {
    const simd = await kernel();
    for (let saltLength = 1; saltLength <= 140; saltLength++) {
      const number = [0, 7, 10, 99, 100, 1000, 54_321, 999_999, 1_000_000, 87_654_321][saltLength % 10]!;
      const salt = `${randomSalt(saltLength)}&`;
      const challenge = await subtleHex(salt + number);
      const from = Math.max(0, number - 90);
      equal(createV1SimdSearch(simd, salt, challenge)(from, number + 90, 1), number, `salt ${salt} number ${number}`);
      equal(createV1Search(salt, challenge)(from, number + 90, 1), number, `JS kernel, salt ${salt}`);
      equal(createV1SimdSearch(simd, salt, challenge)(number + 1, number + 90, 1), -1, 'range past the number');
    }
  });

  it('eight lanes: a solution in each lane, a digit-count change inside a batch, the last number of the range', async () => {
    const simd = await kernel();
    const salt = `${randomSalt(40)}?expires=1700000000&`;
    for (const number of [100, 5_000_000]) {
      const search = createV1SimdSearch(simd, salt, await subtleHex(salt + number));
      for (let lane = 0; lane < 8; lane++) {
        equal(search(number - lane, number + 50, 1), number, `lane ${lane}, number ${number}`);
        equal(search(number - lane, number + 1, 1), number, `last number of the range, lane ${lane}`);
        equal(search(number - lane, number, 1), -1, `\`to\` excludes ${number}`);
      }
      // 98, 99 | 100, 101 and 4 999 998, 4 999 999 | 5 000 000: one batch, two digit counts for 100.
      equal(search(number - 2, number + 50, 1), number, 'digit change inside the batch');
    }
    const interleaved = [0, 1, 2].map(async (lane) => {
      const number = 1001;
      return createV1SimdSearch(simd, salt, await subtleHex(salt + number))(995 + lane, 2000, 3);
    });
    equal((await Promise.all(interleaved)).filter((n) => n === 1001).length, 1, 'one interleaved worker finds it');
  });

  it('digits counted on in the message words: carries across digit words, into the word before the pivot, batches straddling them', async () => {
    const simd = await kernel();
    // Salt tails 0…3 bytes past a word boundary move where the digits' words split.
    for (let length = 40; length <= 47; length++) {
      const salt = randomSalt(length);
      for (const [from, number, step] of [[999_000, 1_001_000, 2], [1_000_001, 1_002_003, 2], [99_990, 100_019, 3], [9_999_000, 10_000_000, 1], [1_000_000, 1_998_000, 1000]] as const) {
        const expected = (number - from) % step === 0 ? number : -1;
        equal(createV1SimdSearch(simd, salt, await subtleHex(salt + number))(from, number + 50, step), expected, `salt length ${length}, from ${from}, number ${number}, step ${step}`);
      }
    }
  });

  it('the v1 worker solves on wasm-simd and says so in the progress', async () => {
    const salt = 'a1b2c3d4e5f6?expires=9999999999&';
    const number = 150_001;
    const challenge = parseChallenge({ algorithm: 'SHA-256', challenge: await subtleHex(salt + number), maxnumber: 200_000, salt, signature: 'sig' });
    const progress: SolveProgress[] = [];
    const header = await solveChallenge(challenge, { concurrency: 2, onProgress: (p) => progress.push(p) });
    equal((JSON.parse(atob(header)) as { number: number }).number, number, 'number');
    ok(progress.length > 0, 'progress reported');
    equal(progress.at(-1)!.kernel, 'wasm-simd', 'kernel');
  });
});
