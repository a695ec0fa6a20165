import { randomInt } from 'node:crypto';
import { z } from 'zod';
import {
  boundedObject,
  enumOf,
  optionalText,
  parseOrFail,
  refuseUnknownKeys,
  requiredEnum,
  requiredText,
  settingsObject,
  sizedText,
} from '../core/body-schema.js';
import { APP_TYPES, type AppRecord } from '../state/app-registry.js';
import { PUBLIC_KEYS } from './app-public-keys.js';

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
 *
 * The rules are zod schemas (built from core/body-schema.ts); the first rule broken, in the order
 * above (an object's unknown settings before its fields), is the one reported.
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

const APP_ID = z
  .string({
    errorMap: (issue) => ({ message: issue.code === 'invalid_type' && issue.received === 'null' ? 'must not be null' : 'must be a string' }),
  })
  .regex(APP_ID_PATTERN, `must match ${APP_ID_PATTERN.source}`);

/** An app id a body names: {@link APP_ID_PATTERN}. */
export function checkAppId(value: unknown, fail: RuleFailure, field = 'id'): string {
  return parseOrFail(APP_ID, value, fail, field);
}

const MAX_AUDIENCE = 256;
const MAX_PLATFORM = 100;
const MAX_QUICK_ACTION_GROUPS = 20;
const MAX_QUICK_ACTIONS = 20;

const BOOLEAN = z.boolean({ errorMap: () => ({ message: 'must be a boolean' }) });
const DOMAIN_TEXT = `must be a non-empty domain without spaces, at most ${MAX_DOMAIN_LENGTH} characters`;
const DOMAINS_TEXT = 'must be a non-empty array of domains';

const WEB_CLIENT = settingsObject(
  {
    allowedDomains: z
      .array(
        sizedText(1, MAX_DOMAIN_LENGTH, DOMAIN_TEXT).refine((domain) => !/\s/.test(domain), DOMAIN_TEXT),
        { errorMap: () => ({ message: DOMAINS_TEXT }) },
      )
      .min(1, DOMAINS_TEXT)
      .max(MAX_DOMAINS, `must have at most ${MAX_DOMAINS} entries`),
    allowAnonymous: BOOLEAN.default(false),
    publicKeys: PUBLIC_KEYS,
    audience: sizedText(1, MAX_AUDIENCE).optional(),
  },
  'is required for a web_client app',
);

const ACTIONS_TEXT = `must be an array of 1 to ${MAX_QUICK_ACTIONS} actions`;
const GROUPS_TEXT = `must be an array of at most ${MAX_QUICK_ACTION_GROUPS} groups`;

const QUICK_ACTION = settingsObject({ label: sizedText(1, 100), prompt: sizedText(1, 4000) }, 'must be an object {label, prompt}');

// A group's `actions` is checked to be a list of 1…20 before its `group` name, and its entries after.
const QUICK_ACTION_GROUP = settingsObject(
  {
    group: z.unknown(),
    actions: z.array(z.unknown(), { errorMap: () => ({ message: ACTIONS_TEXT }) }).min(1, ACTIONS_TEXT).max(MAX_QUICK_ACTIONS, ACTIONS_TEXT),
  },
  'must be an object {group, actions}',
).pipe(z.object({ group: sizedText(1, 100), actions: z.array(QUICK_ACTION) }));

const SUPPORT_COPILOT = settingsObject(
  {
    platform: sizedText(1, MAX_PLATFORM),
    credentialReferenceId: sizedText(1, 255).optional(),
    quickActions: z.array(QUICK_ACTION_GROUP, { errorMap: () => ({ message: GROUPS_TEXT }) }).max(MAX_QUICK_ACTION_GROUPS, GROUPS_TEXT).optional(),
  },
  'must be an object',
);

/** Each type's own settings object. */
const SETTINGS_KEY = { web_client: 'webClient', api: 'api', support_copilot: 'supportCopilot' } as const satisfies Record<AppRecord['type'], string>;

const CONFIG_TYPE = requiredEnum(APP_TYPES);

const CONFIG = boundedObject()
  // `type` first, then the keys beside it: another type's settings are refused. Both on the object
  // as given, since zod's objects drop a `__proto__` key from what they pass on.
  .superRefine((config, ctx) => {
    const type = CONFIG_TYPE.safeParse(config.type);
    if (!type.success) ctx.addIssue({ code: 'custom', path: ['type'], message: type.error.issues[0]?.message ?? 'is not valid', fatal: true });
    else refuseUnknownKeys(config, ['type', SETTINGS_KEY[type.data]], ctx);
  })
  .pipe(
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('web_client'), webClient: WEB_CLIENT }),
      z.object({ type: z.literal('api'), api: settingsObject({}, 'must be an object').default({}) }),
      // Optional, as in the hosted schema: seed-era clients create `{type: 'support_copilot'}` alone.
      z.object({ type: z.literal('support_copilot'), supportCopilot: SUPPORT_COPILOT.optional() }),
    ]),
  );

/** The app fields, in the order they are checked (the first broken rule is the one reported). */
const APP_FIELDS = z.object({
  id: APP_ID.optional(),
  name: requiredText({ min: 1, max: MAX_NAME }).optional(),
  description: optionalText({ max: MAX_DESCRIPTION }),
  type: enumOf(APP_TYPES).optional(),
  defaultAgentId: optionalText({ min: 1, max: MAX_AGENT_ID }),
  enabled: BOOLEAN.optional(),
  config: CONFIG.optional(),
});

type Fields = z.output<typeof APP_FIELDS>;

/** `type` and `config.type` agree. */
function consistent(app: Pick<AppRecord, 'type' | 'config'>, ctx: z.RefinementCtx): void {
  if (app.config.type !== app.type) ctx.addIssue({ code: 'custom', path: ['config', 'type'], message: `must equal the app type "${app.type}"` });
}

const CONSISTENT = z.custom<Pick<AppRecord, 'type' | 'config'>>().superRefine(consistent);

// `name` and `config` are required once every field given has passed: a body without a name
// whose description is broken is told about the description.
type Complete = Fields & { name: string; config: AppRecord['config'] };

const NEW_APP = APP_FIELDS.refine((fields): fields is Fields & { name: string } => fields.name !== undefined, { path: ['name'], message: 'is required' })
  .refine((fields): fields is Complete => fields.config !== undefined, { path: ['config'], message: 'is required' })
  .transform(({ id, name, description, type, defaultAgentId, enabled, config }): NewAppFields => ({
    ...(id !== undefined ? { id } : {}),
    name,
    description: description ?? null,
    type: type ?? 'web_client',
    defaultAgentId: defaultAgentId ?? null,
    enabled: enabled ?? true,
    config,
  }))
  .superRefine(consistent);

/**
 * Reads the app fields `body` sets, in a fixed order (the first broken rule is the one
 * reported). `type` and `config` are not checked against each other here: see
 * {@link checkAppConsistent}, once the whole app is known.
 */
export function readAppFields(body: Json, fail: RuleFailure): AppFields {
  return parseOrFail(APP_FIELDS, body, fail);
}

/** Checks that an app's `type` and `config.type` agree (after create or merge). */
export function checkAppConsistent(app: Pick<AppRecord, 'type' | 'config'>, fail: RuleFailure): void {
  parseOrFail(CONSISTENT, app, fail);
}

/** The fields of a new app: `name` and `config` are required, the rest defaulted; type and config agree. */
export function readNewAppFields(body: Json, fail: RuleFailure): NewAppFields {
  return parseOrFail(NEW_APP, body, fail);
}
