import { Hono } from 'hono';
import type { AdminKey } from '../admin-auth.js';
import type { AppStore } from '../../state/app-store.js';
import type { CredentialReferenceStore } from '../../state/credential-references.js';
import type { CredentialStoreRegistry } from '../credential-stores/credential-store.js';
import type { ServiceApiKeyStore } from '../../state/service-api-key-store.js';
import { apiKeyRoutes } from './api-keys.js';
import { appKeyRoutes } from './app-keys.js';
import { appRoutes } from './apps.js';
import { credentialStoreRoutes } from './credential-stores.js';
import { credentialRoutes } from './credentials.js';
import { seedErrorBody } from '../../http/seed-error-body.js';
import type { ManageSessions } from '../manage-session.js';
import { requireAdminKey } from './require-admin-key.js';
import { manageSessionRoutes } from './session.js';
import { checkScopeParams } from './scope-params.js';

/** What the manage API is built from. */
export interface ManageDeps {
  /** Apps; must be the same object the auth routes read, so writes take effect at once. */
  apps: AppStore;
  credentials: CredentialReferenceStore;
  stores: CredentialStoreRegistry;
  /** Parsed `INK_AUTH_ADMIN_KEYS`; empty means every call is 401. */
  adminKeys: readonly AdminKey[];
  /** Server-to-server API keys (`…/api-keys`); the chat routes verify through the same store. */
  serviceKeys?: ServiceApiKeyStore;
  /** Admin sessions (the `better-auth.session_token` cookie); without them only bearer keys work. */
  sessions?: ManageSessions;
  now?: () => Date;
}

/** Base path of every manage route. */
export const MANAGE_BASE = '/manage/tenants/:tenantId/projects/:projectId';

/**
 * The manage API as a Hono sub-app with absolute paths under
 * `/manage/tenants/:tenantId/projects/:projectId`; mount it with `app.route('/', manageRoutes(deps))`.
 * Errors are thrown as `ServerError` and rendered by the main app's error handler.
 */
export function manageRoutes(deps: ManageDeps): Hono {
  const now = deps.now ?? (() => new Date());
  const root = new Hono();
  if (deps.sessions) root.route('/', manageSessionRoutes(deps.adminKeys, deps.sessions));
  const manage = new Hono().basePath(MANAGE_BASE);
  // First, so that every failure of this route (401/403 included) carries the seed's keys too.
  manage.on('DELETE', '/credentials/:id', seedErrorBody());
  manage.use('*', requireAdminKey(deps.adminKeys, deps.sessions));
  manage.use('*', checkScopeParams());
  manage.route('/apps', appRoutes(deps.apps, now));
  manage.route('/apps', appKeyRoutes(deps.apps, now));
  manage.route('/credentials', credentialRoutes(deps.credentials, deps.stores, now));
  manage.route('/credential-stores', credentialStoreRoutes(deps.stores, now));
  if (deps.serviceKeys) manage.route('/api-keys', apiKeyRoutes(deps.serviceKeys, deps.apps, now));
  root.route('/', manage);
  return root;
}
