import { checkAppConsistent, checkAppId, newAppId, readAppFields, readNewAppFields } from '../../apps/app-rules.js';
import type { AppRecord } from '../../state/app-registry.js';
import { invalid } from './validation.js';

// The field rules are apps/app-rules.ts (shared with the apps file); what is the manage API's
// own: failures are 400 `Validation failed: '<field>' <reason>`, the id is generated when the body
// names none, the scope comes from the URL, and an update may not change the id.

/** Builds a new app from a create body; `name` and `config` are required (apps/app-rules.ts). */
export function appFromCreate(
  body: Record<string, unknown>,
  scope: { tenantId: string; projectId: string },
  now: string,
): AppRecord {
  const fields = readNewAppFields(body, invalid);
  return {
    id: fields.id ?? newAppId(),
    tenantId: scope.tenantId,
    projectId: scope.projectId,
    name: fields.name,
    description: fields.description,
    type: fields.type,
    defaultAgentId: fields.defaultAgentId,
    enabled: fields.enabled,
    config: fields.config,
    lastUsedAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** Applies validated changes to a stored app (the id and scope never change). */
export function applyAppChanges(app: AppRecord, body: Record<string, unknown>, now: string): AppRecord {
  // Naming the app's own id is allowed (whatever rule it was created under); another id is not.
  const { id, ...rest } = body;
  if (id !== undefined && id !== app.id) {
    checkAppId(id, invalid);
    invalid('id', 'cannot be changed');
  }
  const changes = readAppFields(rest, invalid);
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
  checkAppConsistent(next, invalid);
  return next;
}
