import { z } from 'zod';
import {
  optionalEnum,
  optionalNonNullText,
  optionalObject,
  optionalResourceId,
  optionalText,
  parseBody,
  requiredEnum,
  requiredResourceId,
  requiredText,
} from '../../core/body-schema.js';
import type { CredentialReference, CredentialStoreType } from '../../state/credential-references.js';

export const CREDENTIAL_TYPES = ['memory', 'keychain', 'nango'] as const satisfies readonly CredentialStoreType[];
const TEXT = { max: 256 };

// The fields both bodies share, first: they are checked in this order. The seed lets clients
// send createdAt/updatedAt; they must be strings but the server keeps its own clock.
const COMMON = {
  createdAt: optionalText(),
  updatedAt: optionalText(),
  retrievalParams: optionalObject(),
  toolId: optionalText(TEXT),
  userId: optionalText(TEXT),
  createdBy: optionalText(TEXT),
};

/** A create body exactly as the seed: id, name, type, credentialStoreId required. */
const CREATE = z.object({
  ...COMMON,
  id: requiredResourceId(),
  name: requiredText(TEXT),
  type: requiredEnum(CREDENTIAL_TYPES),
  credentialStoreId: requiredResourceId(),
});

/** A PUT body: every field optional, as the seed; those given may not be null. */
const CHANGES = z.object({
  ...COMMON,
  id: optionalResourceId(),
  name: optionalNonNullText(TEXT),
  type: optionalEnum(CREDENTIAL_TYPES),
  credentialStoreId: optionalResourceId(),
});

/** Builds a reference from a create body. */
export function credentialFromCreate(
  body: Record<string, unknown>,
  scope: { tenantId: string; projectId: string },
  now: string,
): CredentialReference {
  const fields = parseBody(CREATE, body);
  return {
    tenantId: scope.tenantId,
    projectId: scope.projectId,
    id: fields.id,
    name: fields.name,
    type: fields.type,
    credentialStoreId: fields.credentialStoreId,
    retrievalParams: fields.retrievalParams ?? null,
    toolId: fields.toolId ?? null,
    userId: fields.userId ?? null,
    createdBy: fields.createdBy ?? null,
    createdAt: now,
    updatedAt: now,
  };
}

/** Validates a PUT body and merges what it sets into the stored reference. */
export function applyCredentialChanges(ref: CredentialReference, body: Record<string, unknown>, now: string): CredentialReference {
  // zod leaves out the keys the body left out, so only what it sets replaces the stored fields;
  // the client's timestamps are checked and dropped (the server keeps its own clock).
  const { createdAt: _createdAt, updatedAt: _updatedAt, ...changes } = parseBody(CHANGES, body);
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
