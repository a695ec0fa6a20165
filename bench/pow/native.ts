import { createHash } from 'node:crypto';

/**
 * Node's native (OpenSSL) single-core SHA-256 rate over the same inputs the
 * browsers hash: salt + decimal(n) for n counting up from `start`.
 */
export function measureNativeRate(salt: string, start: number, seconds: number): number {
  let n = start;
  const hashOnce = (): void => {
    createHash('sha256').update(salt + n).digest();
    n++;
  };
  for (let i = 0; i < 50_000; i++) hashOnce(); // warm-up
  const first = n;
  const began = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 10_000; i++) hashOnce();
    elapsed = process.hrtime.bigint() - began;
  }
  return Math.round(((n - first) * 1e9) / Number(elapsed));
}

/**
 * The hardware ceiling for context: SHA-256 compressions per second when
 * OpenSSL hashes one large buffer (every input here fits one 64-byte block, so
 * one compression is one attempt with no per-call overhead).
 */
export function measureNativeCompressionRate(seconds: number): number {
  const chunk = Buffer.alloc(16 * 1024 * 1024, 0x61);
  createHash('sha256').update(chunk).digest(); // warm-up
  let bytes = 0;
  const began = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() - began < budget) {
    createHash('sha256').update(chunk).digest();
    bytes += chunk.length;
  }
  const elapsed = Number(process.hrtime.bigint() - began);
  return Math.round(((bytes / 64) * 1e9) / elapsed);
}
