import { ProblemError, type ProblemCode } from '../../domain/problem.js';
import { CredentialStoreError, type CredentialStoreErrorCode } from '../../store/credential-store.js';

// An unavailable or full store is the caller's situation to fix, so it is a 4xx whose
// detail explains why; a failing backend is 502 (whose detail stays generic).
const STATUS_OF: Record<CredentialStoreErrorCode, ProblemCode> = {
  store_unavailable: 'unprocessable_entity',
  invalid_key: 'unprocessable_entity',
  invalid_scope: 'bad_request',
  value_too_large: 'unprocessable_entity',
  store_full: 'unprocessable_entity',
  quota_exceeded: 'unprocessable_entity',
  store_failed: 'bad_gateway',
};

/** Re-throws a credential store failure as the matching problem; anything else unchanged. */
export function rethrowStoreError(err: unknown): never {
  if (err instanceof CredentialStoreError) throw new ProblemError(STATUS_OF[err.code], err.message);
  throw err;
}
