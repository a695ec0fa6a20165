import { randomBytes } from 'node:crypto';
import type { NewServiceApiKey, ServiceApiKeyRecord } from './service-api-key-store.js';

/** Characters of the secret kept in the record so a person can recognise a key in a list. */
export const SERVICE_KEY_PREFIX_LENGTH = 12;

/** A new key: `ink_sk_` + 32 random bytes in base64url, its public id and record. */
export function newServiceApiKey(input: NewServiceApiKey, now: number): { secret: string; record: ServiceApiKeyRecord } {
  const secret = `ink_sk_${randomBytes(32).toString('base64url')}`;
  const record: ServiceApiKeyRecord = {
    id: `sk_${randomBytes(8).toString('hex')}`,
    tenantId: input.tenantId,
    projectId: input.projectId,
    appId: input.appId,
    agentId: input.agentId,
    name: input.name,
    prefix: secret.slice(0, SERVICE_KEY_PREFIX_LENGTH),
    createdAt: new Date(now).toISOString(),
    expiresAt: input.expiresAt,
    lastUsedAt: null,
  };
  return { secret, record };
}

/** A key counts as expired from its `expiresAt` instant on. */
export const serviceKeyExpired = (record: Pick<ServiceApiKeyRecord, 'expiresAt'>, now: number): boolean =>
  record.expiresAt !== null && now >= Date.parse(record.expiresAt);

/** `lastUsedAt` is refreshed at most this often, so verifying is not a write per request. */
export const LAST_USED_PRECISION_MS = 60_000;
