import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { authenticateCaller, callerHeaders, type CallerAuthDeps } from '../domain/caller.js';
import { answerChat } from '../domain/chat-exchange.js';
import type { ChatSettings } from '../domain/chat-limits.js';
import { parseChatRequest } from '../domain/chat-request.js';
import type { ConversationStore } from '../store/conversation-store.js';
import { chatCompletion, completionStreamResponse, modelName, uiMessageStreamResponse } from './chat-responses.js';
import { nodeResponseOf, withWriteTimeout } from './write-timeout.js';

/** What the chat routes need. */
export interface ChatDeps {
  auth: CallerAuthDeps;
  conversations: ConversationStore;
  settings: ChatSettings;
}

/**
 * `POST /chat`, mounted at `/run/api`: the hosted chat endpoint. Checks the caller (401/403),
 * the body (400/413/422), stores the turn (404/422), then answers with the AI SDK UI message
 * stream, or with one `chat.completion` object for `stream: false`.
 */
export function chatRoutes(deps: ChatDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post('/chat', async (c) => {
    const caller = await authenticateCaller(deps.auth, callerHeaders((name) => c.req.header(name)));
    const request = parseChatRequest(await c.req.text(), deps.settings.limits);
    const turn = await answerChat(deps.conversations, caller, request, deps.settings.limits);
    if (!request.stream) return c.json(chatCompletion(turn, modelName(caller.agentId)), 200, { 'cache-control': 'no-store' });
    return withWriteTimeout(uiMessageStreamResponse(turn), nodeResponseOf(c), deps.settings.writeTimeoutMs);
  });
  return routes;
}

/**
 * `POST /chat/completions`, mounted at `/run/v1`: the OpenAI-compatible form of the same chat
 * (same callers, body rules and conversations), streamed as `chat.completion.chunk` events.
 */
export function chatCompletionRoutes(deps: ChatDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post('/chat/completions', async (c) => {
    const caller = await authenticateCaller(deps.auth, callerHeaders((name) => c.req.header(name)));
    const request = parseChatRequest(await c.req.text(), deps.settings.limits);
    const turn = await answerChat(deps.conversations, caller, request, deps.settings.limits);
    const model = modelName(caller.agentId);
    if (!request.stream) return c.json(chatCompletion(turn, model), 200, { 'cache-control': 'no-store' });
    return withWriteTimeout(completionStreamResponse(turn, model), nodeResponseOf(c), deps.settings.writeTimeoutMs);
  });
  return routes;
}
