import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../http/env.js';
import type { Caller } from '../../auth/caller.js';
import { answerChat, type ChatConversations } from '../chat-exchange.js';
import type { ChatSettings } from '../chat-limits.js';
import { parseChatRequest } from '../chat-request.js';
import { chatCompletion, completionStreamResponse, modelName, uiMessageStreamResponse } from './chat-responses.js';
import { releaseWhenSent } from '../../http/release-when-sent.js';
import { admitCaller, claimStream, type RunAdmission } from './run-admission.js';
import { cutIfUnflushed, nodeResponseOf, withWriteTimeout } from '../../http/write-timeout.js';

/** What the chat routes need. */
export interface ChatDeps {
  admission: RunAdmission;
  conversations: ChatConversations;
  settings: ChatSettings;
}

/** Builds a route's answer for an admitted caller. */
type Answer = (c: Context<AppEnv>, caller: Caller) => Promise<Response>;

/**
 * Admits the request (address and identity budgets, 429 + Retry-After; 401/403), claims an
 * open-answer slot for the identity and the address (429), answers, and frees the slot when
 * the answer is sent, cut or abandoned — or at once when answering fails. An answer that is not
 * streamed (an error, `stream: false`) gets the write timeout too, counted from when it is handed over.
 */
function admitted(deps: ChatDeps, answer: Answer) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    let release = (): void => {};
    try {
      const caller = await admitCaller(deps.admission, c, 'chat');
      release = claimStream(deps.admission, c, caller);
      const response = await answer(c, caller);
      if (!response.headers.get('content-type')?.startsWith('text/event-stream')) cutIfUnflushed(nodeResponseOf(c), deps.settings.writeTimeoutMs);
      return releaseWhenSent(c, response, release);
    } catch (error) {
      release();
      // A refusal queued behind stalled answers on a pipelining socket would otherwise wait forever.
      cutIfUnflushed(nodeResponseOf(c), deps.settings.writeTimeoutMs);
      throw error;
    }
  };
}

/**
 * `POST /chat`, mounted at `/run/api`: the hosted chat endpoint. Checks the caller (401/403)
 * and its budgets (429), the body (400/413/422), stores the turn (404/422), then answers with
 * the AI SDK UI message stream, or with one `chat.completion` object for `stream: false`.
 */
export function chatRoutes(deps: ChatDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post(
    '/chat',
    admitted(deps, async (c, caller) => {
      const request = parseChatRequest(await c.req.text(), deps.settings.limits);
      const turn = await answerChat(deps.conversations, caller, request, deps.settings.limits);
      if (!request.stream) return c.json(chatCompletion(turn, modelName(caller.agentId)), 200, { 'cache-control': 'no-store' });
      return withWriteTimeout(uiMessageStreamResponse(turn), nodeResponseOf(c), deps.settings.writeTimeoutMs);
    }),
  );
  return routes;
}

/**
 * `POST /chat/completions`, mounted at `/run/v1`: the OpenAI-compatible form of the same chat
 * (same callers, budgets, body rules and conversations), streamed as `chat.completion.chunk` events.
 */
export function chatCompletionRoutes(deps: ChatDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post(
    '/chat/completions',
    admitted(deps, async (c, caller) => {
      const request = parseChatRequest(await c.req.text(), deps.settings.limits);
      const turn = await answerChat(deps.conversations, caller, request, deps.settings.limits);
      const model = modelName(caller.agentId);
      if (!request.stream) return c.json(chatCompletion(turn, model), 200, { 'cache-control': 'no-store' });
      return withWriteTimeout(completionStreamResponse(turn, model), nodeResponseOf(c), deps.settings.writeTimeoutMs);
    }),
  );
  return routes;
}
