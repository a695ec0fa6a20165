import { createPublicKey, type KeyObject } from 'node:crypto';
import { PUBLIC_KEY_ALGORITHMS, type AppPublicKey, type PublicKeyAlgorithm } from '../state/app-registry.js';
import type { RuleFailure } from './app-rules.js';

/** Most public keys one app holds (enough for a rotation with overlap, and then some). */
export const MAX_PUBLIC_KEYS = 10;
const MAX_KID = 256;
/** Longest PEM accepted: an RSA-8192 SPKI PEM is about 1.5 KB. */
const MAX_PEM = 4096;
/** Shortest RSA modulus accepted for RS*, as jose and RFC 7518 require. */
const MIN_RSA_BITS = 2048;

const SPKI_PEM = /^-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----\s*$/;
const EC_CURVES: Partial<Record<PublicKeyAlgorithm, string>> = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' };

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why `key` cannot verify `algorithm` signatures, or `null` when it fits. */
function keyMismatch(key: KeyObject, algorithm: PublicKeyAlgorithm): string | null {
  const type = key.asymmetricKeyType;
  if (algorithm.startsWith('RS')) {
    if (type !== 'rsa') return `must be an RSA key for ${algorithm}, not ${type ?? 'unknown'}`;
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return bits < MIN_RSA_BITS ? `must be an RSA key of at least ${MIN_RSA_BITS} bits, not ${bits}` : null;
  }
  if (algorithm === 'EdDSA') return type === 'ed25519' || type === 'ed448' ? null : `must be an Ed25519 or Ed448 key for EdDSA, not ${type ?? 'unknown'}`;
  const curve = EC_CURVES[algorithm];
  if (type !== 'ec') return `must be an EC key for ${algorithm}, not ${type ?? 'unknown'}`;
  const actual = key.asymmetricKeyDetails?.namedCurve;
  return actual === curve ? null : `must be on curve ${curve} for ${algorithm}, not ${actual ?? 'unknown'}`;
}

/**
 * Reads one public key `{kid, publicKey, algorithm, addedAt?}` (the add-key body, or an entry of
 * `webClient.publicKeys`): the PEM must be an SPKI public key that parses and fits its algorithm.
 * A private key is refused outright (it would be stored and listed as if it were public).
 * `addedAt` defaults to `now`.
 */
export function readPublicKey(value: unknown, field: string, fail: RuleFailure, now: () => Date = () => new Date()): AppPublicKey {
  if (!isObject(value)) fail(field, 'must be an object {kid, publicKey, algorithm}');
  const { kid, publicKey, algorithm, addedAt } = value;
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > MAX_KID) fail(`${field}.kid`, `must be a string of 1 to ${MAX_KID} characters`);
  if (typeof algorithm !== 'string' || !(PUBLIC_KEY_ALGORITHMS as readonly string[]).includes(algorithm)) {
    fail(`${field}.algorithm`, `must be one of ${PUBLIC_KEY_ALGORITHMS.map((a) => `"${a}"`).join(' | ')}`);
  }
  const alg = algorithm as PublicKeyAlgorithm;
  if (typeof publicKey !== 'string' || publicKey.length === 0 || publicKey.length > MAX_PEM) {
    fail(`${field}.publicKey`, `must be a PEM string of at most ${MAX_PEM} characters`);
  }
  if (/PRIVATE KEY/.test(publicKey)) fail(`${field}.publicKey`, 'is a private key: give the public key only, and keep the private key on your backend');
  if (!SPKI_PEM.test(publicKey.trim())) fail(`${field}.publicKey`, "must be an SPKI PEM ('-----BEGIN PUBLIC KEY-----')");
  let key: KeyObject;
  try {
    key = createPublicKey({ key: publicKey, format: 'pem' });
  } catch {
    fail(`${field}.publicKey`, 'is not a parsable public key');
  }
  const mismatch = keyMismatch(key, alg);
  if (mismatch) fail(`${field}.publicKey`, mismatch);
  let added = now().toISOString();
  if (addedAt !== undefined) {
    const at = typeof addedAt === 'string' && addedAt.length <= 64 ? new Date(addedAt) : new Date(Number.NaN);
    if (Number.isNaN(at.getTime())) fail(`${field}.addedAt`, 'must be an ISO-8601 date-time');
    added = at.toISOString();
  }
  return { kid, publicKey, algorithm: alg, addedAt: added };
}

/** Reads `webClient.publicKeys`: at most {@link MAX_PUBLIC_KEYS}, each valid, kids unique. Absent → `[]`. */
export function readPublicKeys(value: unknown, field: string, fail: RuleFailure, now?: () => Date): AppPublicKey[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(field, 'must be an array of {kid, publicKey, algorithm}');
  if (value.length > MAX_PUBLIC_KEYS) fail(field, `must have at most ${MAX_PUBLIC_KEYS} keys`);
  const keys = value.map((entry, i) => readPublicKey(entry, `${field}[${i}]`, fail, now));
  checkUniqueKids(keys, field, fail);
  return keys;
}

/** Two keys of one app may not share a kid: the token's `kid` must pick exactly one. */
export function checkUniqueKids(keys: readonly AppPublicKey[], field: string, fail: RuleFailure): void {
  const seen = new Set<string>();
  for (const [i, key] of keys.entries()) {
    if (seen.has(key.kid)) fail(`${field}[${i}].kid`, `'${key.kid}' is already used by another key of this app`);
    seen.add(key.kid);
  }
}
