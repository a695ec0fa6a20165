import { Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { boundedJson } from '../../core/bounded-json.js';
import { parseJsonObject } from '../../core/json-body.js';
import { ServerError } from '../../core/errors.js';
import type { ConversationStore } from '../../state/conversation-store.js';
import { admitCaller, type RunAdmission } from '../../chat/routes/run-admission.js';

/** What the feedback and event routes need. */
export interface FeedbackEventDeps {
  /** Caller authentication and the (looser) history budgets. */
  admission: RunAdmission;
  conversations: Pick<ConversationStore, 'addFeedback' | 'addEvent'>;
}

const ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const EVENT_TYPE = /^[A-Za-z0-9_.:-]{1,100}$/;

function id(body: Record<string, unknown>, field: string, required: boolean): string | null {
  const value = body[field];
  if (value === undefined || value === null) {
    if (required) throw new ServerError('bad_request', `Validation failed: '${field}' is required`);
    return null;
  }
  if (typeof value !== 'string' || !ID.test(value)) {
    throw new ServerError('bad_request', `Validation failed: '${field}' must be 1 to 128 characters of A-Z a-z 0-9 _ . : -`);
  }
  return value;
}

/**
 * `POST /feedback` and `POST /events`, mounted at `/run/v1`: stored under the caller's identity.
 * Feedback needs one of the caller's own conversations (404 otherwise); an event's ids, when
 * sent, must name the caller's own conversation and one of its messages (400 otherwise).
 */
export function feedbackEventRoutes(deps: FeedbackEventDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.post('/feedback', async (c) => {
    const caller = await admitCaller(deps.admission, c, 'history');
    const body = parseJsonObject(await c.req.text());
    const conversationId = id(body, 'conversationId', true) as string;
    const messageId = id(body, 'messageId', false);
    const { type } = body;
    if (type !== 'positive' && type !== 'negative') {
      throw new ServerError('bad_request', "Validation failed: 'type' must be 'positive' or 'negative'");
    }
    const details = boundedJson('details', body.details);
    const stored = await deps.conversations.addFeedback(caller.owner, { conversationId, messageId, type, details });
    if (!stored) throw new ServerError('not_found', 'Conversation not found');
    return c.json({ data: { conversationId, messageId, type } }, 201);
  });

  routes.post('/events', async (c) => {
    const caller = await admitCaller(deps.admission, c, 'history');
    const body = parseJsonObject(await c.req.text());
    const { type } = body;
    if (typeof type !== 'string' || !EVENT_TYPE.test(type)) {
      throw new ServerError('bad_request', "Validation failed: 'type' must be 1 to 100 characters of A-Z a-z 0-9 _ . : -");
    }
    const conversationId = id(body, 'conversationId', false);
    const messageId = id(body, 'messageId', false);
    const properties = boundedJson('properties', body.properties);
    const result = await deps.conversations.addEvent(caller.owner, { type, conversationId, messageId, properties });
    // As the hosted API: an event naming an id the caller does not hold is a bad request.
    if (result === 'unknown_conversation') {
      throw new ServerError('bad_request', "Validation failed: 'conversationId' names none of your conversations", { reason: 'unknown_conversation' });
    }
    if (result === 'unknown_message') {
      const detail = conversationId === null ? "'messageId' needs the 'conversationId' it belongs to" : "'messageId' names no message of that conversation";
      throw new ServerError('bad_request', `Validation failed: ${detail}`, { reason: 'unknown_message' });
    }
    return c.json({ data: { type, conversationId, messageId } }, 201);
  });

  return routes;
}
