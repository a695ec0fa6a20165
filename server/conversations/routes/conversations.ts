import { Hono } from 'hono';
import { z } from 'zod';
import { parseBody } from '../../core/body-schema.js';
import type { AppEnv } from '../../http/env.js';
import { ServerError } from '../../core/errors.js';
import type { ConversationRecord, ConversationStore, StoredMessage } from '../../state/conversation-store.js';
import { tokenMatchesApp } from '../../auth/caller.js';
import { parseJsonObject } from '../../core/json-body.js';
import { verifySessionToken } from '../../auth/tokens.js';
import { runPagination } from './run-pagination.js';
import { admitCaller, type RunAdmission } from '../../chat/routes/run-admission.js';

const TOKEN_RULE = 'must be the anonymous session token (a JWT)';
/** `{anonymousToken}`: the browser's anonymous session token, up to 4096 characters. */
const CLAIM = z.object({ anonymousToken: z.string({ message: TOKEN_RULE }).min(1, TOKEN_RULE).max(4096, TOKEN_RULE) });

/** What the conversation routes need. */
export interface ConversationDeps {
  /** Caller authentication and the (looser) history budgets. */
  admission: RunAdmission;
  /** The caller's conversations, one conversation's messages, and a signed-in user's claim of an anonymous history. */
  conversations: Pick<ConversationStore, 'list' | 'get' | 'transferAll'>;
  /** Largest page of messages (the per-conversation cap, so one page can hold a whole conversation). */
  maxMessagesPerPage: number;
  /** The per-identity conversation cap, which a claim must respect too. */
  maxConversationsPerOwner: number;
}

function summary(record: ConversationRecord) {
  return { id: record.id, agentId: record.agentId, title: record.title ?? '', createdAt: record.createdAt, updatedAt: record.updatedAt };
}

/** A stored message in the AI SDK's UI message shape (`format=vercel`), with its text beside the parts. */
function vercelMessage(message: StoredMessage) {
  return { id: message.id, role: message.role, content: message.content, parts: message.parts, createdAt: message.createdAt };
}

/**
 * `GET /conversations` and `GET /conversations/:id`, mounted at `/run/v1`: the caller's own
 * history only (tenant, project, app and identity), within the history budgets (429). Someone else's conversation and an unknown
 * one are the same 404.
 */
export function conversationRoutes(deps: ConversationDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/conversations', async (c) => {
    const caller = await admitCaller(deps.admission, c, 'history');
    const paging = runPagination((name) => c.req.query(name), { fallback: 20, max: 200 });
    const page = await deps.conversations.list(caller.owner, paging);
    return c.json({ data: page.data.map(summary), pagination: page.pagination }, 200, { 'cache-control': 'no-store' });
  });

  routes.get('/conversations/:id', async (c) => {
    const caller = await admitCaller(deps.admission, c, 'history');
    const format = c.req.query('format') ?? 'vercel';
    if (format === 'openai') throw new ServerError('bad_request', 'format=openai is not available yet; use format=vercel.');
    if (format !== 'vercel') throw new ServerError('bad_request', "Validation failed: 'format' must be 'vercel'");
    const max = deps.maxMessagesPerPage;
    const paging = runPagination((name) => c.req.query(name), { fallback: max, max });
    const found = await deps.conversations.get(caller.owner, c.req.param('id'), paging);
    if (!found) throw new ServerError('not_found', 'Conversation not found');
    return c.json(
      { data: { ...summary(found.conversation), messages: found.messages.data.map(vercelMessage) }, pagination: found.messages.pagination },
      200,
      { 'cache-control': 'no-store' },
    );
  });

  // A visitor who signs in keeps the history of the anonymous session they had in this browser:
  // the user's token authenticates the request and the anonymous token in the body proves the
  // visitor held that session. Both must be of this app (and its current tenant and project).
  routes.post('/conversations/claim-anonymous', async (c) => {
    const caller = await admitCaller(deps.admission, c, 'history');
    if (caller.kind !== 'user') {
      throw new ServerError('forbidden', "Only a signed-in user's token can claim an anonymous history", { reason: 'user_token_required' });
    }
    const { anonymousToken } = parseBody(CLAIM, parseJsonObject(await c.req.text()));
    const { jwtSecret, now } = deps.admission.auth;
    const claims = await verifySessionToken(jwtSecret, anonymousToken, now);
    if (!claims || !tokenMatchesApp(claims, caller.app)) {
      throw new ServerError('bad_request', 'The anonymous session token is not valid for this app, or has expired', { reason: 'anonymous_token_invalid' });
    }
    const from = { ...caller.owner, ownerId: claims.sub };
    const result = await deps.conversations.transferAll(from, caller.owner, deps.maxConversationsPerOwner);
    if (!result.ok) {
      throw new ServerError('unprocessable_entity', `The user would hold more than ${deps.maxConversationsPerOwner} conversations; nothing was moved`);
    }
    return c.json({ data: { claimed: result.moved } }, 200, { 'cache-control': 'no-store' });
  });

  return routes;
}
