import type { CredentialReference, CredentialStoreType } from '../../state/credential-references.js';
import {
  invalid,
  optionalEnum,
  optionalObject,
  optionalResourceId,
  optionalString,
  requiredEnum,
  requiredResourceId,
  requiredString,
} from './validation.js';

export const CREDENTIAL_TYPES: readonly CredentialStoreType[] = ['memory', 'keychain', 'nango'];
const TEXT = { max: 256 };

/** The credential fields a client may set (seed request body; timestamps are the server's). */
interface CredentialChanges {
  id?: string;
  name?: string;
  type?: CredentialStoreType;
  credentialStoreId?: string;
  retrievalParams?: Record<string, unknown> | null;
  toolId?: string | null;
  userId?: string | null;
  createdBy?: string | null;
}

function readCommon(body: Record<string, unknown>): CredentialChanges {
  // The seed lets clients send createdAt/updatedAt; they must be strings but the server keeps its own clock.
  optionalString(body, 'createdAt');
  optionalString(body, 'updatedAt');
  const changes: CredentialChanges = {};
  const retrievalParams = optionalObject(body, 'retrievalParams');
  if (retrievalParams !== undefined) changes.retrievalParams = retrievalParams;
  for (const field of ['toolId', 'userId', 'createdBy'] as const) {
    const value = optionalString(body, field, TEXT);
    if (value !== undefined) changes[field] = value;
  }
  return changes;
}

/** Validates a create body exactly as the seed: id, name, type, credentialStoreId required. */
export function credentialFromCreate(
  body: Record<string, unknown>,
  scope: { tenantId: string; projectId: string },
  now: string,
): CredentialReference {
  const common = readCommon(body);
  return {
    tenantId: scope.tenantId,
    projectId: scope.projectId,
    id: requiredResourceId(body, 'id'),
    name: requiredString(body, 'name', TEXT),
    type: requiredEnum(body, 'type', CREDENTIAL_TYPES),
    credentialStoreId: requiredResourceId(body, 'credentialStoreId'),
    retrievalParams: common.retrievalParams ?? null,
    toolId: common.toolId ?? null,
    userId: common.userId ?? null,
    createdBy: common.createdBy ?? null,
    createdAt: now,
    updatedAt: now,
  };
}

/** Validates a PUT body (every field optional, as the seed) and merges it into the stored reference. */
export function applyCredentialChanges(ref: CredentialReference, body: Record<string, unknown>, now: string): CredentialReference {
  const changes = readCommon(body);
  const id = optionalResourceId(body, 'id');
  if (id !== undefined) changes.id = id;
  if (body.name !== undefined) {
    if (body.name === null) invalid('name', 'must not be null');
    changes.name = requiredString(body, 'name', TEXT);
  }
  if (body.type === null) invalid('type', 'must not be null');
  const type = optionalEnum(body, 'type', CREDENTIAL_TYPES);
  if (type !== undefined) changes.type = type;
  const storeId = optionalResourceId(body, 'credentialStoreId');
  if (storeId !== undefined) changes.credentialStoreId = storeId;
  return { ...ref, ...changes, updatedAt: now };
}

/** The seed's response shape. ink-auth has no tools or external agents, so both lists are empty. */
export function credentialView(ref: CredentialReference) {
  return {
    id: ref.id,
    name: ref.name,
    type: ref.type,
    credentialStoreId: ref.credentialStoreId,
    retrievalParams: ref.retrievalParams,
    toolId: ref.toolId,
    userId: ref.userId,
    createdBy: ref.createdBy,
    createdAt: ref.createdAt,
    updatedAt: ref.updatedAt,
    tools: [] as never[],
    externalAgents: [] as never[],
  };
}
