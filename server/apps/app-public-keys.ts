import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { enumOf, objectOf, parseOrFail, sizedText } from '../core/body-schema.js';
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

const PEM_TEXT = `must be a PEM string of at most ${MAX_PEM} characters`;
const ADDED_AT_TEXT = 'must be an ISO-8601 date-time';

/** A PEM that holds an SPKI public key: read as its text and the key. */
const SPKI_KEY = sizedText(1, MAX_PEM, PEM_TEXT)
  .refine((pem) => !/PRIVATE KEY/.test(pem), 'is a private key: give the public key only, and keep the private key on your backend')
  .refine((pem) => SPKI_PEM.test(pem.trim()), "must be an SPKI PEM ('-----BEGIN PUBLIC KEY-----')")
  .transform((pem, ctx) => {
    try {
      return { pem, key: createPublicKey({ key: pem, format: 'pem' }) };
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not a parsable public key', fatal: true });
      return z.NEVER;
    }
  });

/** An instant, normalised to ISO-8601 (`Z`). */
const ADDED_AT = z
  .string({ errorMap: () => ({ message: ADDED_AT_TEXT }) })
  .max(64, ADDED_AT_TEXT)
  .pipe(z.coerce.date({ errorMap: () => ({ message: ADDED_AT_TEXT }) }))
  .transform((at) => at.toISOString());

const ALGORITHM = enumOf(PUBLIC_KEY_ALGORITHMS);

/**
 * `{kid, publicKey, algorithm, addedAt?}` (other keys ignored), checked in the order `kid`,
 * `algorithm`, the PEM, the PEM against the algorithm, then `addedAt`: a stage of its own, since
 * a check across fields only runs after all the fields of its object.
 */
function publicKeySchema(now: () => Date) {
  return objectOf(
    { kid: sizedText(1, MAX_KID), algorithm: ALGORITHM, publicKey: SPKI_KEY, addedAt: z.unknown() },
    'must be an object {kid, publicKey, algorithm}',
  )
    .superRefine(({ algorithm, publicKey }, ctx) => {
      const mismatch = keyMismatch(publicKey.key, algorithm);
      if (mismatch) ctx.addIssue({ code: 'custom', path: ['publicKey'], message: mismatch, fatal: true });
    })
    .transform(({ kid, publicKey, algorithm, addedAt }) => ({ kid, publicKey: publicKey.pem, algorithm, addedAt }))
    .pipe(z.object({ kid: z.string(), publicKey: z.string(), algorithm: ALGORITHM, addedAt: ADDED_AT.optional() }))
    .transform((key): AppPublicKey => ({ ...key, addedAt: key.addedAt ?? now().toISOString() }));
}

/** Refuses a kid already used by an earlier key of the list. */
function uniqueKids(keys: readonly AppPublicKey[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const [i, { kid }] of keys.entries()) {
    if (seen.has(kid)) {
      ctx.addIssue({ code: 'custom', path: [i, 'kid'], message: `'${kid}' is already used by another key of this app`, fatal: true });
      return;
    }
    seen.add(kid);
  }
}

function publicKeysSchema(now: () => Date) {
  return z
    .array(publicKeySchema(now), { errorMap: () => ({ message: 'must be an array of {kid, publicKey, algorithm}' }) })
    .max(MAX_PUBLIC_KEYS, `must have at most ${MAX_PUBLIC_KEYS} keys`)
    .superRefine(uniqueKids)
    .default(() => []);
}

const systemClock = () => new Date();
const PUBLIC_KEY = publicKeySchema(systemClock);

/** `webClient.publicKeys` (see {@link readPublicKeys}), stamped by the system clock. */
export const PUBLIC_KEYS = publicKeysSchema(systemClock);

const UNIQUE_KIDS = z.custom<readonly AppPublicKey[]>().superRefine(uniqueKids);

/**
 * Reads one public key `{kid, publicKey, algorithm, addedAt?}` (the add-key body, or an entry of
 * `webClient.publicKeys`): the PEM must be an SPKI public key that parses and fits its algorithm.
 * A private key is refused outright (it would be stored and listed as if it were public).
 * `addedAt` defaults to `now`.
 */
export function readPublicKey(value: unknown, field: string, fail: RuleFailure, now?: () => Date): AppPublicKey {
  return parseOrFail(now ? publicKeySchema(now) : PUBLIC_KEY, value, fail, field);
}

/** Reads `webClient.publicKeys`: at most {@link MAX_PUBLIC_KEYS}, each valid, kids unique. Absent → `[]`. */
export function readPublicKeys(value: unknown, field: string, fail: RuleFailure, now?: () => Date): AppPublicKey[] {
  return parseOrFail(now ? publicKeysSchema(now) : PUBLIC_KEYS, value, fail, field);
}

/** Two keys of one app may not share a kid: the token's `kid` must pick exactly one. */
export function checkUniqueKids(keys: readonly AppPublicKey[], field: string, fail: RuleFailure): void {
  parseOrFail(UNIQUE_KIDS, keys, fail, field);
}
