/** The kinds of app, as the hosted API names them. */
export const APP_TYPES = ['web_client', 'api', 'support_copilot'] as const;

/** The algorithms a site's backend may sign its users' JWTs with (asymmetric only, as hosted). */
export const PUBLIC_KEY_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
export type PublicKeyAlgorithm = (typeof PUBLIC_KEY_ALGORITHMS)[number];

/** One of a web app's public keys: what verifies the user JWTs its own backend signs. Not a secret. */
export interface AppPublicKey {
  kid: string;
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`) of a key that fits `algorithm`. */
  publicKey: string;
  algorithm: PublicKeyAlgorithm;
  /** ISO-8601 instant the key was added. */
  addedAt: string;
}

/** The web-client part of an app's configuration: where its sessions may be requested from. */
export interface WebClientConfig {
  type: 'web_client';
  webClient: {
    allowedDomains: string[];
    allowAnonymous: boolean;
    /** Keys for signed-in users' JWTs; `[]` when the app has none. */
    publicKeys: AppPublicKey[];
    /** The `aud` those JWTs must carry, when the app sets one. */
    audience?: string;
  };
}

/** An `api` app's configuration: nothing of its own yet (`api: {}`, as hosted). */
export interface ApiConfig {
  type: 'api';
  api: Record<string, never>;
}

/**
 * A support copilot's configuration, in the hosted shape. New apps always have `supportCopilot`;
 * one stored before its settings were kept has none.
 */
export interface SupportCopilotConfig {
  type: 'support_copilot';
  supportCopilot?: {
    platform: string;
    credentialReferenceId?: string;
    quickActions?: Array<{ group: string; actions: Array<{ label: string; prompt: string }> }>;
  };
}

/** An app as the manage API and the auth endpoints see it. */
export interface AppRecord {
  id: string;
  tenantId: string | null;
  projectId: string;
  name: string;
  description: string | null;
  type: (typeof APP_TYPES)[number];
  defaultAgentId: string | null;
  enabled: boolean;
  config: WebClientConfig | ApiConfig | SupportCopilotConfig;
  lastUsedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * What the auth endpoints need from app storage. Kept this small so that the
 * in-memory registry below and a persistent store are interchangeable.
 */
export interface AppRegistry {
  get(appId: string): Promise<AppRecord | undefined>;
  markUsed(appId: string, at: Date): Promise<void>;
}

/**
 * A stored config with the defaults of fields added since it was written: a web client's
 * `publicKeys: []`, an api app's `api: {}`.
 */
export function withConfigDefaults(config: AppRecord['config']): AppRecord['config'] {
  if (config.type === 'web_client') return { ...config, webClient: { ...config.webClient, publicKeys: config.webClient.publicKeys ?? [] } };
  if (config.type === 'api') return { ...config, api: config.api ?? {} };
  return config;
}

/** The web-client settings of an app, or `undefined` when it is not a web client. */
export function webClientOf(app: AppRecord): WebClientConfig['webClient'] | undefined {
  return app.type === 'web_client' && app.config.type === 'web_client' ? app.config.webClient : undefined;
}

/**
 * In-process registry seeded from configuration. Records are copied in and out,
 * so callers can never mutate stored state by accident.
 */
export class MemoryAppRegistry implements AppRegistry {
  readonly #apps = new Map<string, AppRecord>();

  constructor(apps: readonly AppRecord[] = []) {
    for (const app of apps) this.#apps.set(app.id, structuredClone(app));
  }

  async get(appId: string): Promise<AppRecord | undefined> {
    const app = this.#apps.get(appId);
    return app ? structuredClone(app) : undefined;
  }

  async markUsed(appId: string, at: Date): Promise<void> {
    const app = this.#apps.get(appId);
    if (app) app.lastUsedAt = at.toISOString();
  }

  /** Adds or replaces an app (used by tests and by config reloads). */
  async put(app: AppRecord): Promise<void> {
    this.#apps.set(app.id, structuredClone(app));
  }
}
