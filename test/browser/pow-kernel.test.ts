// The PoW kernel in real engines: digests against crypto.subtle, and the search inside a Worker.
import { createV1Search, sha256 } from '../../src/pow/kernel/index.js';
import { equal } from './helpers/harness.js';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const subtleHex = async (data: Uint8Array<ArrayBuffer> | string): Promise<string> =>
  hex(new Uint8Array(await crypto.subtle.digest('SHA-256', typeof data === 'string' ? new TextEncoder().encode(data) : data)));

function randomSalt(length: number): string {
  const chars = 'abcdef0123456789?=&é';
  let s = '';
  for (let i = 0; i < length; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

describe('pow kernel', () => {
  it('sha256 equals crypto.subtle for every length 0…300', async () => {
    for (let length = 0; length <= 300; length++) {
      const input = crypto.getRandomValues(new Uint8Array(length));
      equal(hex(sha256(input)), await subtleHex(input), `length ${length}`);
    }
  });

  it('createV1Search finds the number across salt lengths, digit counts and interleaved lanes', async () => {
    for (const saltLength of [1, 20, 45, 55, 59, 60, 63, 64, 70, 119, 128, 190]) {
      for (const number of [0, 9, 10, 999, 1000, 54_321]) {
        const salt = `${randomSalt(saltLength)}&`;
        const challenge = await subtleHex(salt + number);
        const from = Math.max(0, number - 700);
        equal(createV1Search(salt, challenge)(from, number + 700, 1), number, `salt ${salt} number ${number}`);
        const lanes = [0, 1, 2].map((lane) => createV1Search(salt, challenge)(from + lane, number + 700, 3));
        equal(lanes.filter((n) => n === number).length, 1, `lanes ${lanes.join(',')}`);
        equal(createV1Search(salt, challenge)(number + 1, number + 700, 1), -1, 'range past the number');
      }
    }
  });

  it('runs inside a module Worker', async () => {
    const kernelUrl = new URL('../../src/pow/kernel/index.js', import.meta.url).href;
    const source =
      `import { createV1Search } from ${JSON.stringify(kernelUrl)};\n` +
      'onmessage = (e) => postMessage(createV1Search(e.data.salt, e.data.challenge)(0, 100000, 1));\n';
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const worker = new Worker(url, { type: 'module' });
    try {
      const salt = 'a1b2c3d4e5f6a1b2c3d4e5f6?expires=1700000000&';
      const challenge = await subtleHex(`${salt}31337`);
      const found = await new Promise<unknown>((resolve, reject) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => reject(new Error(`worker failed: ${event.message}`));
        worker.postMessage({ salt, challenge });
      });
      equal(found, 31337, 'worker result');
    } finally {
      worker.terminate();
      URL.revokeObjectURL(url);
    }
  });
});
