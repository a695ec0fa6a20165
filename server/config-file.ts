import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './config-error.js';
import { APP_TYPES, type AppRecord } from './store/app-registry.js';

/** The demo configuration used when `INK_AUTH_CONFIG` is unset. */
export const DEFAULT_CONFIG_PATH = fileURLToPath(new URL('./default-config.json', import.meta.url));

/** What an app id in configuration looks like. */
export const APP_ID_PATTERN = /^app_[A-Za-z0-9_-]{1,64}$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates one app entry; every message names the file and the field path. */
function parseApp(raw: unknown, at: string, fail: (field: string, problem: string) => never, now: string): AppRecord {
  if (!isObject(raw)) fail(at, 'must be an object');
  const str = (key: string, optional = false): string | null => {
    const v = raw[key];
    if (v === undefined || v === null) {
      if (optional) return null;
      fail(`${at}.${key}`, 'is required');
    }
    if (typeof v !== 'string' || v.length === 0 || v.length > 256) fail(`${at}.${key}`, 'must be a non-empty string of at most 256 characters');
    return v;
  };
  const id = str('id') as string;
  if (!APP_ID_PATTERN.test(id)) fail(`${at}.id`, 'must look like app_<letters/digits>');
  const type = raw.type ?? 'web_client';
  if (typeof type !== 'string' || !(APP_TYPES as readonly string[]).includes(type)) fail(`${at}.type`, `must be one of ${APP_TYPES.join(', ')}`);
  const enabled = raw.enabled ?? true;
  if (typeof enabled !== 'boolean') fail(`${at}.enabled`, 'must be true or false');
  const config = raw.config;
  if (!isObject(config)) fail(`${at}.config`, 'is required and must be an object');
  if (config.type !== type) fail(`${at}.config.type`, `must equal the app type "${type}"`);
  let appConfig: AppRecord['config'];
  if (type === 'web_client') {
    const web = config.webClient;
    if (!isObject(web)) fail(`${at}.config.webClient`, 'is required for a web_client app');
    const domains = web.allowedDomains;
    if (!Array.isArray(domains) || domains.length === 0 || !domains.every((d) => typeof d === 'string' && d.trim() !== '')) {
      fail(`${at}.config.webClient.allowedDomains`, 'must be a non-empty array of non-empty strings');
    }
    if (typeof web.allowAnonymous !== 'boolean') fail(`${at}.config.webClient.allowAnonymous`, 'must be true or false');
    appConfig = { type: 'web_client', webClient: { allowedDomains: [...(domains as string[])], allowAnonymous: web.allowAnonymous } };
  } else {
    appConfig = { type: type as 'api' | 'support_copilot' };
  }
  return {
    id,
    tenantId: str('tenantId', true),
    projectId: str('projectId') as string,
    name: str('name') as string,
    description: str('description', true),
    type: type as AppRecord['type'],
    defaultAgentId: str('defaultAgentId', true),
    enabled,
    config: appConfig,
    lastUsedAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** What an apps file configures. */
export interface ConfigFile {
  apps: AppRecord[];
  /** `"pairing": {"appId": "app_…"}`: the app seed-004 clients (no app id) pair with. */
  pairingAppId: string | null;
}

/** Validates the optional `pairing` section. */
function parsePairing(raw: unknown, fail: (field: string, problem: string) => never): string | null {
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw)) fail('pairing', 'must be an object like {"appId":"app_…"}');
  const appId = (raw as Json).appId;
  if (typeof appId !== 'string' || !APP_ID_PATTERN.test(appId)) fail('pairing.appId', 'must look like app_<letters/digits>');
  return appId as string;
}

/**
 * Parses an apps configuration file's text (`{"apps":[…], "pairing"?: {"appId"}}`).
 * @throws ConfigError naming the file and the offending field.
 */
export function parseConfigFile(text: string, file: string, now: Date = new Date()): ConfigFile {
  const fail = (field: string, problem: string): never => {
    throw new ConfigError(`Invalid app configuration in ${file}: ${field} ${problem}.`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Invalid app configuration in ${file}: not valid JSON (${(error as Error).message}).`);
  }
  if (!isObject(parsed)) fail('(top level)', 'must be an object like {"apps":[…]}');
  const apps = (parsed as Json).apps;
  if (!Array.isArray(apps)) fail('apps', 'must be an array');
  const stamp = now.toISOString();
  const records = (apps as unknown[]).map((raw, i) => parseApp(raw, `apps[${i}]`, fail, stamp));
  const seen = new Set<string>();
  records.forEach((app, i) => {
    if (seen.has(app.id)) fail(`apps[${i}].id`, `duplicates "${app.id}"`);
    seen.add(app.id);
  });
  return { apps: records, pairingAppId: parsePairing((parsed as Json).pairing, fail) };
}

/** Reads and parses an apps configuration file. @throws ConfigError */
export function readConfigFile(file: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read app configuration ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}.`);
  }
  return parseConfigFile(text, file);
}

/** The apps of an apps configuration file. @throws ConfigError */
export function readAppsConfig(file: string): AppRecord[] {
  return readConfigFile(file).apps;
}
