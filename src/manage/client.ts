import { httpBaseUrl } from '../api/endpoint.js';
import type { FetchLike } from '../api/endpoint.js';
import { fetchFailure, readJson } from '../api/http.js';
import { InkAuthError, errorFromResponse } from '../errors.js';
import { paginate } from './paginate.js';
import type {
  App,
  AppListOptions,
  CreateAppInput,
  CreateCredentialInput,
  Credential,
  CredentialStoreInfo,
  Page,
  PageOptions,
  StoreSecretInput,
  StoredSecret,
  UpdateAppInput,
  UpdateCredentialInput,
} from './types.js';

/** Options of {@link createManageClient}. */
export interface ManageClientOptions {
  /** Server origin (and optional path prefix), e.g. `http://127.0.0.1:3030`. */
  baseUrl: string;
  /** An admin key for `tenantId` (`INK_AUTH_ADMIN_KEYS`). Sent only as `Authorization: Bearer`. */
  apiKey: string;
  tenantId: string;
  projectId: string;
  /** Custom fetch (tests, proxies); default the global `fetch`. */
  fetch?: FetchLike;
}

/** Typed access to the manage API of one tenant and project. Every failure rejects with {@link InkAuthError}. */
export interface ManageClient {
  listApps(options?: AppListOptions): Promise<Page<App>>;
  /** Every app across all pages (`limit` per request, default 100). */
  iterateApps(options?: Omit<AppListOptions, 'page'>): AsyncGenerator<App, void, undefined>;
  getApp(id: string): Promise<App>;
  createApp(input: CreateAppInput): Promise<App>;
  /** `PUT`: the fields given replace the stored ones. */
  updateApp(id: string, input: UpdateAppInput): Promise<App>;
  /** `PATCH`: same semantics as `updateApp` on the reference server. */
  patchApp(id: string, input: UpdateAppInput): Promise<App>;
  deleteApp(id: string): Promise<void>;

  listCredentials(options?: PageOptions): Promise<Page<Credential>>;
  iterateCredentials(options?: Omit<PageOptions, 'page'>): AsyncGenerator<Credential, void, undefined>;
  getCredential(id: string): Promise<Credential>;
  createCredential(input: CreateCredentialInput): Promise<Credential>;
  updateCredential(id: string, input: UpdateCredentialInput): Promise<Credential>;
  /** Deletes the reference and its secret in the store. */
  deleteCredential(id: string): Promise<void>;

  listCredentialStores(): Promise<CredentialStoreInfo[]>;
  /** Writes a secret into a store; the value is never returned by any endpoint. */
  storeSecret(storeId: string, input: StoreSecretInput): Promise<StoredSecret>;
}

function query(options: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(options)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function projectBase(options: ManageClientOptions): string {
  const seg = encodeURIComponent;
  return `${httpBaseUrl(options.baseUrl, 'baseUrl')}/manage/tenants/${seg(options.tenantId)}/projects/${seg(options.projectId)}`;
}

/**
 * Creates a typed manage API client. Browser-safe (fetch only); in a page, mind
 * that the admin key is a tenant-wide secret — use it from trusted tooling.
 *
 * @example
 * const manage = createManageClient({ baseUrl, apiKey, tenantId: 'tenant_demo', projectId: 'project_demo' });
 * const app = await manage.createApp({ name: 'Docs', type: 'web_client',
 *   config: { type: 'web_client', webClient: { allowedDomains: ['docs.example.com'], allowAnonymous: true } } });
 */
export function createManageClient(options: ManageClientOptions): ManageClient {
  const base = projectBase(options);
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (error) {
      throw fetchFailure(error);
    }
    if (!response.ok) throw await errorFromResponse(response);
    if (response.status === 204) return undefined as T;
    const parsed = await readJson(response, `${method} ${path}`);
    if (typeof parsed !== 'object' || parsed === null || !('data' in parsed)) {
      throw new InkAuthError('invalid_response', `${method} ${path}: response has no data`, { status: response.status });
    }
    return parsed as T;
  }

  const id = (value: string) => `/${encodeURIComponent(value)}`;
  const data = async <T>(promise: Promise<{ data: T }>): Promise<T> => (await promise).data;
  // A create answers `{data:{app}}` (hosted shape); get and update answer `{data: app}`.
  const createdApp = async (promise: Promise<{ data: { app?: App } }>): Promise<App> => {
    const { app } = await data(promise);
    if (typeof app !== 'object' || app === null) throw new InkAuthError('invalid_response', 'POST /apps: response has no data.app');
    return app;
  };

  const client: ManageClient = {
    listApps: (o = {}) => request('GET', `/apps${query({ page: o.page, limit: o.limit, type: o.type })}`),
    iterateApps: (o = {}) => paginate((page) => client.listApps({ ...o, page, limit: o.limit ?? 100 })),
    getApp: (appId) => data(request('GET', `/apps${id(appId)}`)),
    createApp: (input) => createdApp(request('POST', '/apps', input)),
    updateApp: (appId, input) => data(request('PUT', `/apps${id(appId)}`, input)),
    patchApp: (appId, input) => data(request('PATCH', `/apps${id(appId)}`, input)),
    deleteApp: (appId) => request('DELETE', `/apps${id(appId)}`),

    listCredentials: (o = {}) => request('GET', `/credentials${query({ page: o.page, limit: o.limit })}`),
    iterateCredentials: (o = {}) => paginate((page) => client.listCredentials({ page, limit: o.limit ?? 100 })),
    getCredential: (credentialId) => data(request('GET', `/credentials${id(credentialId)}`)),
    createCredential: (input) => data(request('POST', '/credentials', input)),
    updateCredential: (credentialId, input) => data(request('PUT', `/credentials${id(credentialId)}`, input)),
    deleteCredential: (credentialId) => request('DELETE', `/credentials${id(credentialId)}`),

    listCredentialStores: () => data(request('GET', '/credential-stores')),
    storeSecret: (storeId, input) => data(request('POST', `/credential-stores${id(storeId)}/credentials`, input)),
  };
  return client;
}
