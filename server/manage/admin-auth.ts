import { createHash, timingSafeEqual } from 'node:crypto';

/** An admin key as configured: which tenant it unlocks and the SHA-256 of the key. */
export interface AdminKey {
  tenantId: string;
  digest: Buffer;
}

/** A malformed `INK_AUTH_ADMIN_KEYS` entry; the message never repeats the key. */
export class AdminKeyConfigError extends Error {
  readonly code = 'invalid_admin_keys';
  constructor(message: string) {
    super(message);
    this.name = 'AdminKeyConfigError';
  }
}

/** Shortest admin key accepted, so a typo cannot configure a guessable key. */
export const MIN_ADMIN_KEY_LENGTH = 16;

function digestOf(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * The entries of `INK_AUTH_ADMIN_KEYS`: comma-separated `tenantId:key` pairs, the key being
 * everything after the first colon, checked as {@link parseAdminKeys} checks them. For a local
 * tool that must present a key itself (`npm start`'s demo sign-in); the server keeps digests only.
 */
export function adminKeyEntries(value: string | undefined): Array<{ tenantId: string; key: string }> {
  const entries: Array<{ tenantId: string; key: string }> = [];
  for (const [index, raw] of (value ?? '').split(',').entries()) {
    const entry = raw.trim();
    if (!entry) continue;
    const colon = entry.indexOf(':');
    const tenantId = colon > 0 ? entry.slice(0, colon).trim() : '';
    const key = colon > 0 ? entry.slice(colon + 1).trim() : '';
    if (!tenantId || !key) {
      throw new AdminKeyConfigError(`INK_AUTH_ADMIN_KEYS entry ${index + 1} must look like tenantId:key`);
    }
    if (key.length < MIN_ADMIN_KEY_LENGTH) {
      throw new AdminKeyConfigError(
        `INK_AUTH_ADMIN_KEYS entry ${index + 1} (tenant '${tenantId}') has a key shorter than ${MIN_ADMIN_KEY_LENGTH} characters`,
      );
    }
    entries.push({ tenantId, key });
  }
  return entries;
}

/**
 * Parses `INK_AUTH_ADMIN_KEYS` ({@link adminKeyEntries}). Only digests are kept in memory.
 */
export function parseAdminKeys(value: string | undefined): AdminKey[] {
  return adminKeyEntries(value).map(({ tenantId, key }) => ({ tenantId, digest: digestOf(key) }));
}

/** Outcome of checking a presented key against a tenant. */
export type AdminAuthResult = 'ok' | 'unknown_key' | 'wrong_tenant';

/**
 * Checks a presented bearer key for a tenant. Both sides are hashed to equal-length
 * digests and compared with `timingSafeEqual`; every configured key is compared,
 * so the time taken does not reveal which one (if any) matched.
 */
export function checkAdminKey(keys: readonly AdminKey[], presented: string, tenantId: string): AdminAuthResult {
  const presentedDigest = digestOf(presented);
  let matchedTenant = false;
  let matchedOther = false;
  for (const key of keys) {
    const equal = timingSafeEqual(key.digest, presentedDigest);
    if (equal && key.tenantId === tenantId) matchedTenant = true;
    else if (equal) matchedOther = true;
  }
  if (matchedTenant) return 'ok';
  return matchedOther ? 'wrong_tenant' : 'unknown_key';
}
