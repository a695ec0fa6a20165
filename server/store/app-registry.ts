/** The kinds of app, as the hosted API names them. */
export const APP_TYPES = ['web_client', 'api', 'support_copilot'] as const;

/** The web-client part of an app's configuration: where its sessions may be requested from. */
export interface WebClientConfig {
  type: 'web_client';
  webClient: { allowedDomains: string[]; allowAnonymous: boolean };
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
  config: WebClientConfig | { type: 'api' | 'support_copilot' };
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
