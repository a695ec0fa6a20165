import { randomInt } from 'node:crypto';
import { APP_TYPES, type ApiConfig, type AppRecord, type SupportCopilotConfig, type WebClientConfig } from '../state/app-registry.js';
import { readPublicKeys } from './app-public-keys.js';
import { jsonBoundsProblem } from '../core/json-bounds.js';

/**
 * The one set of rules an app's fields must meet, wherever the app comes from: the apps file
 * (config-file.ts) and the manage API (manage/routes/app-input.ts) both read apps here, so an
 * app valid in one is valid in the other. Each caller only says how a failure is reported
 * (`fail`): a ConfigError naming the file and the path, or a 400 problem naming the field.
 *
 * - `id`: `app_` + 1…64 of `[A-Za-z0-9_-]` ({@link APP_ID_PATTERN}, the ids pairing accepts).
 * - `name`: 1…256 characters. `description`: at most 2048, or null. `defaultAgentId`: 1…256, or null.
 * - `type`: one of {@link APP_TYPES}, default `web_client`. `enabled`: a boolean, default `true`.
 * - `config`: an object (bounded, see json-bounds.ts) whose `type` equals the app's; a web client's
 *   `webClient.allowedDomains` is 1…100 domains of at most 260 characters without spaces, and
 *   `webClient.allowAnonymous` a boolean, default `false` (as the hosted API); `webClient.publicKeys`
 *   at most 10 keys (app-public-keys.ts), default `[]`; `webClient.audience` 1…256 characters.
 *   An `api` app's `config.api` is `{}`; a support copilot's optional `config.supportCopilot`
 *   is `{platform, credentialReferenceId?, quickActions?}`. A setting these rules do not know is
 *   refused (400 naming it), never dropped.
 */

/** What an app id looks like (also the ids `INK_AUTH_PAIRING_APP` and pairing's `app_id` accept). */
export const APP_ID_PATTERN = /^app_[A-Za-z0-9_-]{1,64}$/;

const MAX_NAME = 256;
const MAX_DESCRIPTION = 2048;
const MAX_AGENT_ID = 256;
const MAX_DOMAINS = 100;
const MAX_DOMAIN_LENGTH = 260;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Reports a broken rule: the field's path (`config.webClient.allowedDomains[2]`) and why. */
export type RuleFailure = (field: string, reason: string) => never;

type Json = Record<string, unknown>;

/** The app fields a body sets; absent ones stay absent (as in a PATCH). */
export interface AppFields {
  id?: string;
  name?: string;
  description?: string | null;
  type?: AppRecord['type'];
  defaultAgentId?: string | null;
  enabled?: boolean;
  config?: AppRecord['config'];
}

/** The fields of a new app, defaults applied; `id` only when the body names one. */
export type NewAppFields = Pick<AppRecord, 'name' | 'description' | 'type' | 'defaultAgentId' | 'enabled' | 'config'> & { id?: string };

/** A new app id: `app_` + 21 characters of `[a-z0-9]` from a CSPRNG (the hosted API's shape). */
export function newAppId(): string {
  let suffix = '';
  for (let i = 0; i < 21; i++) suffix += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return `app_${suffix}`;
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string of `min`…`max` characters, `null` when explicitly null (`nullable`), `undefined` when absent. */
function text(body: Json, field: string, max: number, fail: RuleFailure, options: { min?: number; nullable?: boolean } = {}) {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null) return options.nullable ? null : fail(field, 'is required');
  if (typeof value !== 'string') fail(field, 'must be a string');
  if (options.min === 1 && value.length === 0) fail(field, 'must not be empty');
  if (value.length > max) fail(field, `must be at most ${max} characters`);
  return value;
}

function oneOf<T extends string>(value: unknown, field: string, values: readonly T[], fail: RuleFailure): T {
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    fail(field, `must be one of ${values.map((v) => `"${v}"`).join(' | ')}`);
  }
  return value as T;
}

/** An app id a body names: {@link APP_ID_PATTERN}. */
export function checkAppId(value: unknown, fail: RuleFailure, field = 'id'): string {
  if (value === null) fail(field, 'must not be null');
  if (typeof value !== 'string') fail(field, 'must be a string');
  if (!APP_ID_PATTERN.test(value)) fail(field, `must match ${APP_ID_PATTERN.source}`);
  return value;
}

const WEB_CLIENT_KEYS = ['allowedDomains', 'allowAnonymous', 'publicKeys', 'audience'];
const SUPPORT_COPILOT_KEYS = ['platform', 'credentialReferenceId', 'quickActions'];
const MAX_AUDIENCE = 256;
const MAX_PLATFORM = 100;
const MAX_QUICK_ACTION_GROUPS = 20;
const MAX_QUICK_ACTIONS = 20;

/** Settings are never dropped silently: a key the rules do not know is refused, naming it. */
function onlyKnownKeys(value: Json, field: string, known: readonly string[], fail: RuleFailure): void {
  for (const key of Object.keys(value)) if (!known.includes(key)) fail(`${field}.${key}`, 'is not a known setting');
}

function readWebClient(web: unknown, fail: RuleFailure): WebClientConfig {
  if (!isObject(web)) fail('config.webClient', 'is required for a web_client app');
  onlyKnownKeys(web, 'config.webClient', WEB_CLIENT_KEYS, fail);
  const { allowedDomains, allowAnonymous, publicKeys, audience } = web;
  if (!Array.isArray(allowedDomains) || allowedDomains.length === 0) {
    fail('config.webClient.allowedDomains', 'must be a non-empty array of domains');
  }
  if (allowedDomains.length > MAX_DOMAINS) fail('config.webClient.allowedDomains', `must have at most ${MAX_DOMAINS} entries`);
  for (const [i, domain] of allowedDomains.entries()) {
    if (typeof domain !== 'string' || domain.trim() === '' || domain.length > MAX_DOMAIN_LENGTH || /\s/.test(domain)) {
      fail(`config.webClient.allowedDomains[${i}]`, `must be a non-empty domain without spaces, at most ${MAX_DOMAIN_LENGTH} characters`);
    }
  }
  const anonymous = allowAnonymous === undefined ? false : allowAnonymous;
  if (typeof anonymous !== 'boolean') fail('config.webClient.allowAnonymous', 'must be a boolean');
  const keys = readPublicKeys(publicKeys, 'config.webClient.publicKeys', fail);
  if (audience !== undefined && (typeof audience !== 'string' || audience.length === 0 || audience.length > MAX_AUDIENCE)) {
    fail('config.webClient.audience', `must be a string of 1 to ${MAX_AUDIENCE} characters`);
  }
  return {
    type: 'web_client',
    webClient: {
      allowedDomains: [...(allowedDomains as string[])],
      allowAnonymous: anonymous,
      publicKeys: keys,
      ...(audience !== undefined ? { audience } : {}),
    },
  };
}

function boundedText(value: unknown, field: string, max: number, fail: RuleFailure): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) fail(field, `must be a string of 1 to ${max} characters`);
  return value;
}

function readQuickActions(value: unknown, fail: RuleFailure): NonNullable<SupportCopilotConfig['supportCopilot']>['quickActions'] {
  const field = 'config.supportCopilot.quickActions';
  if (!Array.isArray(value) || value.length > MAX_QUICK_ACTION_GROUPS) fail(field, `must be an array of at most ${MAX_QUICK_ACTION_GROUPS} groups`);
  return value.map((group, g) => {
    if (!isObject(group)) fail(`${field}[${g}]`, 'must be an object {group, actions}');
    onlyKnownKeys(group, `${field}[${g}]`, ['group', 'actions'], fail);
    const { actions } = group;
    if (!Array.isArray(actions) || actions.length === 0 || actions.length > MAX_QUICK_ACTIONS) {
      fail(`${field}[${g}].actions`, `must be an array of 1 to ${MAX_QUICK_ACTIONS} actions`);
    }
    return {
      group: boundedText(group.group, `${field}[${g}].group`, 100, fail),
      actions: actions.map((action, a) => {
        const at = `${field}[${g}].actions[${a}]`;
        if (!isObject(action)) fail(at, 'must be an object {label, prompt}');
        onlyKnownKeys(action, at, ['label', 'prompt'], fail);
        return { label: boundedText(action.label, `${at}.label`, 100, fail), prompt: boundedText(action.prompt, `${at}.prompt`, 4000, fail) };
      }),
    };
  });
}

function readSupportCopilot(value: unknown, fail: RuleFailure): SupportCopilotConfig {
  // Optional, as in the hosted schema: seed-era clients create `{type: 'support_copilot'}` alone.
  if (value === undefined) return { type: 'support_copilot' };
  if (!isObject(value)) fail('config.supportCopilot', 'must be an object');
  onlyKnownKeys(value, 'config.supportCopilot', SUPPORT_COPILOT_KEYS, fail);
  const settings: NonNullable<SupportCopilotConfig['supportCopilot']> = {
    platform: boundedText(value.platform, 'config.supportCopilot.platform', MAX_PLATFORM, fail),
  };
  if (value.credentialReferenceId !== undefined) {
    settings.credentialReferenceId = boundedText(value.credentialReferenceId, 'config.supportCopilot.credentialReferenceId', 255, fail);
  }
  if (value.quickActions !== undefined) settings.quickActions = readQuickActions(value.quickActions, fail);
  return { type: 'support_copilot', supportCopilot: settings };
}

function readApi(value: unknown, fail: RuleFailure): ApiConfig {
  if (value !== undefined && !isObject(value)) fail('config.api', 'must be an object');
  if (isObject(value)) onlyKnownKeys(value, 'config.api', [], fail);
  return { type: 'api', api: {} };
}

function readConfig(value: unknown, fail: RuleFailure): AppRecord['config'] {
  if (value === null) fail('config', 'must not be null');
  if (!isObject(value)) fail('config', 'must be an object');
  const tooBig = jsonBoundsProblem(value);
  if (tooBig) fail('config', tooBig);
  if (value.type === undefined || value.type === null) fail('config.type', 'is required');
  const type = oneOf(value.type, 'config.type', APP_TYPES, fail);
  // Each type reads its own settings object; another type's settings beside it are refused.
  const settingsKey = { web_client: 'webClient', api: 'api', support_copilot: 'supportCopilot' }[type];
  onlyKnownKeys(value, 'config', ['type', settingsKey], fail);
  if (type === 'web_client') return readWebClient(value.webClient, fail);
  if (type === 'api') return readApi(value.api, fail);
  return readSupportCopilot(value.supportCopilot, fail);
}

/**
 * Reads the app fields `body` sets, in a fixed order (the first broken rule is the one
 * reported). `type` and `config` are not checked against each other here: see
 * {@link checkAppConsistent}, once the whole app is known.
 */
export function readAppFields(body: Json, fail: RuleFailure): AppFields {
  const fields: AppFields = {};
  if (body.id !== undefined) fields.id = checkAppId(body.id, fail);
  const name = text(body, 'name', MAX_NAME, fail, { min: 1 });
  if (name !== undefined) fields.name = name as string; // never null: `name` is not nullable
  const description = text(body, 'description', MAX_DESCRIPTION, fail, { nullable: true });
  if (description !== undefined) fields.description = description;
  if (body.type !== undefined) fields.type = oneOf(body.type, 'type', APP_TYPES, fail);
  const agent = text(body, 'defaultAgentId', MAX_AGENT_ID, fail, { min: 1, nullable: true });
  if (agent !== undefined) fields.defaultAgentId = agent;
  if (body.enabled !== undefined) {
    if (typeof body.enabled !== 'boolean') fail('enabled', 'must be a boolean');
    fields.enabled = body.enabled;
  }
  if (body.config !== undefined) fields.config = readConfig(body.config, fail);
  return fields;
}

/** Checks that an app's `type` and `config.type` agree (after create or merge). */
export function checkAppConsistent(app: Pick<AppRecord, 'type' | 'config'>, fail: RuleFailure): void {
  if (app.config.type !== app.type) fail('config.type', `must equal the app type "${app.type}"`);
}

/** The fields of a new app: `name` and `config` are required, the rest defaulted; type and config agree. */
export function readNewAppFields(body: Json, fail: RuleFailure): NewAppFields {
  const fields = readAppFields(body, fail);
  if (fields.name === undefined) fail('name', 'is required');
  if (fields.config === undefined) fail('config', 'is required');
  const app: NewAppFields = {
    ...(fields.id !== undefined ? { id: fields.id } : {}),
    name: fields.name,
    description: fields.description ?? null,
    type: fields.type ?? 'web_client',
    defaultAgentId: fields.defaultAgentId ?? null,
    enabled: fields.enabled ?? true,
    config: fields.config,
  };
  checkAppConsistent(app, fail);
  return app;
}
