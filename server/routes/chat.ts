import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../env.js';
import { echoChunks, lastUserMessage, parseChatBody } from '../domain/chat-messages.js';
import { originAllowed } from '../domain/origin.js';
import { ProblemError } from '../domain/problem.js';
import { bearerToken, verifySessionToken } from '../domain/tokens.js';
import { webClientOf, type AppRegistry } from '../store/app-registry.js';
import type { ServerConfig } from '../types.js';

/** What the chat route needs. */
export interface ChatDeps {
  config: ServerConfig;
  registry: AppRegistry;
  /** Code pairing: the record of a valid paired API key (it serves `appId` only), else `undefined`. */
  verifyApiKey?: (apiKey: string) => Promise<{ id: string; appId: string } | undefined>;
}

const UNAUTHORIZED = 'A valid session token for this app is required.';

/**
 * `POST /chat`, mounted at `/run/api`: the protected endpoint chat elements call.
 * Checks token and app (401), origin and agent (403), body (400/422), then
 * streams an echo as Server-Sent Events: `delta` events, then one `done`.
 */
export function chatRoutes(deps: ChatDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.post('/chat', async (c) => {
    const token = bearerToken(c.req.header('authorization'));
    const appId = c.req.header('x-inkeep-app-id');
    if (!token || !appId) throw new ProblemError('unauthorized', UNAUTHORIZED, { 'www-authenticate': 'Bearer' });
    const claims = await verifySessionToken(deps.config.jwtSecret, token);
    const key = claims ? undefined : await deps.verifyApiKey?.(token);
    const callerId = claims?.app === appId ? claims.sub : key?.appId === appId ? key.id : undefined;
    if (!callerId) {
      throw new ProblemError('unauthorized', UNAUTHORIZED, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    const app = await deps.registry.get(appId);
    const web = app?.enabled ? webClientOf(app) : undefined;
    if (key) {
      // A paired key was approved by a person, not by anonymous-session rules; a browser
      // using it must still be on one of the app's origins.
      if (!app?.enabled) throw new ProblemError('unauthorized', UNAUTHORIZED, { 'www-authenticate': 'Bearer error="invalid_token"' });
      const origin = c.req.header('origin');
      if (web && origin !== undefined && !originAllowed(origin, web.allowedDomains)) {
        throw new ProblemError('forbidden', 'Origin not allowed');
      }
    } else {
      if (!app || !web || !web.allowAnonymous) {
        throw new ProblemError('unauthorized', 'This app no longer accepts anonymous sessions.', {
          'www-authenticate': 'Bearer error="invalid_token"',
        });
      }
      if (!originAllowed(c.req.header('origin'), web.allowedDomains)) throw new ProblemError('forbidden', 'Origin not allowed');
    }
    const agentId = c.req.header('x-inkeep-agent-id');
    if (agentId !== undefined && agentId !== app?.defaultAgentId) {
      throw new ProblemError('forbidden', 'Agent not allowed for this app');
    }
    const message = lastUserMessage(parseChatBody(await c.req.text()));

    return streamSSE(c, async (stream) => {
      for (const text of echoChunks(callerId, message)) {
        await stream.writeSSE({ event: 'delta', data: JSON.stringify({ text }) });
      }
      await stream.writeSSE({ event: 'done', data: JSON.stringify({ anonId: callerId, appId }) });
    });
  });

  return routes;
}
