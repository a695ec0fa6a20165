import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './core/config-error.js';
import { APP_ID_PATTERN, readNewAppFields, type RuleFailure } from './apps/app-rules.js';
import type { AppRecord } from './state/app-registry.js';

/** The demo configuration used when `INK_AUTH_CONFIG` is unset. */
export const DEFAULT_CONFIG_PATH = fileURLToPath(new URL('./default-config.json', import.meta.url));

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates one app entry by the app rules every app meets (apps/app-rules.ts); every message
 * names the file and the field path. What is the file's own: each app names its `id` (it
 * identifies a seeded app across restarts) and its scope, `projectId` and optional `tenantId`
 * (the manage API takes those from its URL).
 */
function parseApp(raw: unknown, at: string, fail: (field: string, problem: string) => never, now: string): AppRecord {
  if (!isObject(raw)) fail(at, 'must be an object');
  const failAt: RuleFailure = (field, reason) => fail(`${at}.${field}`, reason);
  if (raw.id === undefined || raw.id === null) failAt('id', 'is required');
  const scope = (key: string, optional = false): string | null => {
    const v = raw[key];
    if (v === undefined || v === null) {
      if (optional) return null;
      failAt(key, 'is required');
    }
    if (typeof v !== 'string' || v.length === 0 || v.length > 256) failAt(key, 'must be a non-empty string of at most 256 characters');
    return v;
  };
  const tenantId = scope('tenantId', true);
  const projectId = scope('projectId') as string;
  const app = readNewAppFields(raw, failAt);
  return {
    id: app.id as string,
    tenantId,
    projectId,
    name: app.name,
    description: app.description,
    type: app.type,
    defaultAgentId: app.defaultAgentId,
    enabled: app.enabled,
    config: app.config,
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
