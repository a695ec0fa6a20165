import { randomInt } from 'node:crypto';
import { APP_TYPES, type AppRecord } from '../../store/app-registry.js';
import {
  invalid,
  optionalBoolean,
  optionalEnum,
  optionalObject,
  optionalResourceId,
  optionalString,
  requiredEnum,
  requiredString,
} from './validation.js';

const MAX_DOMAINS = 100;
const MAX_DOMAIN_LENGTH = 260;

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A new app id: `app_` + 21 characters of `[a-z0-9]` from a CSPRNG. */
export function newAppId(): string {
  let suffix = '';
  for (let i = 0; i < 21; i++) suffix += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return `app_${suffix}`;
}

/** The app fields a client may set; all optional, as in a PATCH. */
export interface AppChanges {
  id?: string;
  name?: string;
  description?: string | null;
  type?: AppRecord['type'];
  defaultAgentId?: string | null;
  enabled?: boolean;
  config?: AppRecord['config'];
}

function readConfig(value: Record<string, unknown>): AppRecord['config'] {
  const type = requiredEnum({ 'config.type': value.type }, 'config.type', APP_TYPES);
  if (type !== 'web_client') return { type };
  const web = value.webClient;
  if (typeof web !== 'object' || web === null || Array.isArray(web)) invalid('config.webClient', 'is required for a web_client app');
  const { allowedDomains, allowAnonymous } = web as Record<string, unknown>;
  if (!Array.isArray(allowedDomains) || allowedDomains.length === 0) {
    invalid('config.webClient.allowedDomains', 'must be a non-empty array of domains');
  }
  if (allowedDomains.length > MAX_DOMAINS) invalid('config.webClient.allowedDomains', `must have at most ${MAX_DOMAINS} entries`);
  for (const [i, domain] of allowedDomains.entries()) {
    if (typeof domain !== 'string' || domain.trim() === '' || domain.length > MAX_DOMAIN_LENGTH || /\s/.test(domain)) {
      invalid(`config.webClient.allowedDomains[${i}]`, `must be a non-empty domain without spaces, at most ${MAX_DOMAIN_LENGTH} characters`);
    }
  }
  const anonymous = allowAnonymous === undefined ? true : allowAnonymous;
  if (typeof anonymous !== 'boolean') invalid('config.webClient.allowAnonymous', 'must be a boolean');
  return { type: 'web_client', webClient: { allowedDomains: [...(allowedDomains as string[])], allowAnonymous: anonymous } };
}

/**
 * Validates the settable fields of an app body. `config` is read with its
 * nested fields named by path (`config.webClient.allowedDomains[2]`).
 */
export function readAppChanges(body: Record<string, unknown>): AppChanges {
  const changes: AppChanges = {};
  const id = optionalResourceId(body, 'id');
  if (id !== undefined) changes.id = id;
  if (body.name !== undefined) changes.name = requiredString(body, 'name', { min: 1, max: 256 });
  const description = optionalString(body, 'description', { max: 2048 });
  if (description !== undefined) changes.description = description;
  const type = optionalEnum(body, 'type', APP_TYPES);
  if (type !== undefined) changes.type = type;
  const agent = optionalString(body, 'defaultAgentId', { min: 1, max: 256 });
  if (agent !== undefined) changes.defaultAgentId = agent;
  const enabled = optionalBoolean(body, 'enabled');
  if (enabled !== undefined) changes.enabled = enabled;
  const config = optionalObject(body, 'config');
  if (config === null) invalid('config', 'must not be null');
  if (config !== undefined) changes.config = readConfig(config);
  return changes;
}

/** Checks that an app's `type` and `config.type` agree (after create or merge). */
export function checkAppConsistent(app: Pick<AppRecord, 'type' | 'config'>): void {
  if (app.config.type !== app.type) invalid('config.type', `must equal the app type "${app.type}"`);
}

/** Builds a new app from a create body; `name`, `type` and `config` are required. */
export function appFromCreate(
  body: Record<string, unknown>,
  scope: { tenantId: string; projectId: string },
  now: string,
): AppRecord {
  const changes = readAppChanges(body);
  if (changes.name === undefined) invalid('name', 'is required');
  if (changes.type === undefined) invalid('type', 'is required');
  if (changes.config === undefined) invalid('config', 'is required');
  const app: AppRecord = {
    id: changes.id ?? newAppId(),
    tenantId: scope.tenantId,
    projectId: scope.projectId,
    name: changes.name,
    description: changes.description ?? null,
    type: changes.type,
    defaultAgentId: changes.defaultAgentId ?? null,
    enabled: changes.enabled ?? true,
    config: changes.config,
    lastUsedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  checkAppConsistent(app);
  return app;
}

/** Applies validated changes to a stored app (the id and scope never change). */
export function applyAppChanges(app: AppRecord, body: Record<string, unknown>, now: string): AppRecord {
  const changes = readAppChanges(body);
  if (changes.id !== undefined && changes.id !== app.id) invalid('id', 'cannot be changed');
  const next: AppRecord = {
    ...app,
    ...(changes.name !== undefined ? { name: changes.name } : {}),
    ...(changes.description !== undefined ? { description: changes.description } : {}),
    ...(changes.type !== undefined ? { type: changes.type } : {}),
    ...(changes.defaultAgentId !== undefined ? { defaultAgentId: changes.defaultAgentId } : {}),
    ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
    ...(changes.config !== undefined ? { config: changes.config } : {}),
    updatedAt: now,
  };
  checkAppConsistent(next);
  return next;
}
