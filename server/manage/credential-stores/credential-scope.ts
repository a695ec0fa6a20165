import type { Scope } from '../../state/app-store.js';
import { CredentialStoreError } from './credential-store.js';

/**
 * Tenant and project ids follow the seed's resource id rule (`^[a-zA-Z0-9\-_.]+$`, 1…255), so
 * they never contain `:`, never start a line of their own and cannot smuggle options or
 * separators into whatever names a secret in a backing store.
 */
export const SCOPE_ID_PATTERN = /^[a-zA-Z0-9\-_.]{1,255}$/;

/** Refuses a scope whose ids break {@link SCOPE_ID_PATTERN} (`invalid_scope`). */
export function assertScope(scope: Scope): void {
  for (const [field, value] of [['tenantId', scope.tenantId], ['projectId', scope.projectId]] as const) {
    if (!SCOPE_ID_PATTERN.test(value)) {
      throw new CredentialStoreError('invalid_scope', `${field} must match ^[a-zA-Z0-9\\-_.]+$ (1 to 255 characters)`);
    }
  }
}

/**
 * The name a secret has in a store shared by every tenant: `<tenantId>:<projectId>:<key>`.
 * Unambiguous because the two ids cannot contain `:` — the first two colons always end them —
 * so no key of one scope can ever equal a name of another.
 */
export function scopedSecretName(scope: Scope, key: string): string {
  assertScope(scope);
  return `${scope.tenantId}:${scope.projectId}:${key}`;
}
