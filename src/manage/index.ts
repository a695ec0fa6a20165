/**
 * Typed client for the manage API (apps, credentials, credential stores).
 * Browser-safe: uses `fetch` only. Import from `ink-auth/manage` tooling, not the element bundle.
 */
export { createManageClient } from './client.js';
export type { ManageClient, ManageClientOptions } from './client.js';
export { paginate } from './paginate.js';
export { InkAuthError } from '../errors.js';
export type { InkAuthErrorCode } from '../errors.js';
export type * from './types.js';
