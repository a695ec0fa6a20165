/** Models of the manage API (`/manage/tenants/{tenantId}/projects/{projectId}/…`). */

/** App kinds. Only `web_client` apps issue anonymous browser sessions. */
export type AppType = 'web_client' | 'api' | 'support_copilot';

/** One key a site's backend signs its users' JWTs with: SPKI PEM, an asymmetric algorithm. */
export interface AppPublicKey {
  kid: string;
  publicKey: string;
  algorithm: 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';
  /** ISO-8601; the server sets it when a create or update omits it. */
  addedAt?: string;
}

/** Where a web-client app's sessions may be requested from, and who may sign its users' JWTs. */
export interface WebClientAppConfig {
  type: 'web_client';
  webClient: {
    allowedDomains: string[];
    allowAnonymous: boolean;
    /** At most 10; the server answers `[]` when the app has none. */
    publicKeys?: AppPublicKey[];
    /** The `aud` signed-in users' JWTs must carry. */
    audience?: string;
  };
}

/** An `api` app: no settings of its own (`api: {}`). */
export interface ApiAppConfig {
  type: 'api';
  api?: Record<string, never>;
}

/** A support copilot, in the hosted shape. */
export interface SupportCopilotAppConfig {
  type: 'support_copilot';
  supportCopilot: {
    platform: string;
    credentialReferenceId?: string;
    quickActions?: Array<{ group: string; actions: Array<{ label: string; prompt: string }> }>;
  };
}

/** Configuration of a non-web app. */
export type OtherAppConfig = ApiAppConfig | SupportCopilotAppConfig;

export type AppConfig = WebClientAppConfig | OtherAppConfig;

/** An app as the server returns it. */
export interface App {
  id: string;
  tenantId: string | null;
  projectId: string;
  name: string;
  description: string | null;
  type: AppType;
  defaultAgentId: string | null;
  enabled: boolean;
  config: AppConfig;
  lastUsedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Body of `POST …/apps`. Without `id` the server generates `app_` + 21 characters. */
export interface CreateAppInput {
  id?: string;
  name: string;
  type: AppType;
  config: AppConfig;
  description?: string | null;
  defaultAgentId?: string | null;
  /** Default true. */
  enabled?: boolean;
}

/** Body of `PUT`/`PATCH …/apps/{id}`: any subset; `type` and `config.type` must stay equal. */
export type UpdateAppInput = Partial<Omit<CreateAppInput, 'id'>>;

/** Credential store kinds. */
export type CredentialStoreType = 'memory' | 'keychain' | 'nango';

/** A credential reference (where a secret lives, never the secret), in the seed's shape. */
export interface Credential {
  id: string;
  name: string;
  type: CredentialStoreType;
  credentialStoreId: string;
  retrievalParams: Record<string, unknown> | null;
  toolId: string | null;
  userId: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** Always empty on ink-auth's reference server (it has no tools). */
  tools: unknown[];
  /** Always empty on ink-auth's reference server (it has no external agents). */
  externalAgents: unknown[];
}

/** Body of `POST …/credentials`. `id` and `credentialStoreId` match `^[a-zA-Z0-9\-_.]+$` (1…255). */
export interface CreateCredentialInput {
  id: string;
  name: string;
  type: CredentialStoreType;
  credentialStoreId: string;
  retrievalParams?: Record<string, unknown> | null;
  toolId?: string | null;
  userId?: string | null;
  createdBy?: string | null;
}

/** Body of `PUT …/credentials/{id}`: any subset (the id itself may change). */
export type UpdateCredentialInput = Partial<CreateCredentialInput>;

/** A credential store and whether it can be written on that server. */
export interface CredentialStoreInfo {
  id: string;
  type: CredentialStoreType;
  available: boolean;
  reason: string | null;
}

/** Body of `POST …/credential-stores/{id}/credentials`. The value is write-only. */
export interface StoreSecretInput {
  key: string;
  value: string;
  metadata?: Record<string, string> | null;
}

/** What the server confirms after storing a secret (never the value). */
export interface StoredSecret {
  key: string;
  storeId: string;
  createdAt: string;
}

/** Pagination block of every list response. */
export interface Pagination {
  page: number;
  limit: number;
  total: number;
  pages: number;
}

/** One page of a list. */
export interface Page<T> {
  data: T[];
  pagination: Pagination;
}

/** `page` ≥ 1 (default 1), `limit` 1…100 (default 10). */
export interface PageOptions {
  page?: number;
  limit?: number;
}

/** App list options: paging plus an optional type filter. */
export interface AppListOptions extends PageOptions {
  type?: AppType;
}
