import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './http/env.js';
import { checkAdminKey } from './manage/admin-auth.js';
import { resolvePairingApp } from './pairing/pairing-app.js';
import { PairingService } from './pairing/pairing-service.js';
import { ProofOfWork } from './auth/pow.js';
import { escapingLog } from './core/log-text.js';
import { cors, RUN_CORS } from './http/cors.js';
import { ServerError } from './core/errors.js';
import { problemErrorHandler, problemResponse } from './http/problem-response.js';
import { clientAddress } from './http/client-address-middleware.js';
import { requestIds, requestLog } from './http/request-log.js';
import { completeChatSettings } from './chat/chat-limits.js';
import { completeChatRateLimits } from './chat/chat-rate-limits.js';
import { StreamSlots } from './chat/stream-slots.js';
import { MemoryRateLimitStore } from './state/memory/rate-limit-store.js';
import { MemoryReplayStore } from './state/memory/replay-store.js';
import { ManageSessions } from './manage/manage-session.js';
import type { CallerAuthDeps } from './auth/caller.js';
import { chatCompletionRoutes, chatRoutes } from './chat/routes/chat.js';
import { conversationRoutes } from './conversations/routes/conversations.js';
import { feedbackEventRoutes } from './conversations/routes/feedback-events.js';
import { manageRoutes } from './manage/routes/index.js';
import { pairingRoutes } from './pairing/routes/pairing.js';
import { runAuthRoutes } from './auth/routes/run-auth.js';
import type { AppDeps } from './types.js';

/** Largest request body accepted on any route. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Builds the Hono app: request ids and logging, CORS on `/run/*`, the body
 * limit, the routes, and one error handler that answers every failure with
 * application/problem+json (5xx without internals; an unavailable store is 503 + Retry-After).
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const log = escapingLog(deps.log ?? ((line: string) => console.log(line)));
  const app = new Hono<AppEnv>();
  const now = deps.now ?? Date.now;
  const pow = deps.config.pow ? new ProofOfWork(deps.config.pow, { replay: deps.replay, limits: deps.rateLimits, now }) : null;

  app.use('*', requestIds());
  app.use('*', requestLog({ onRequest: deps.onRequest, log }));
  app.use('*', clientAddress(deps.config.trustedProxies ?? []));
  app.use('/run/*', cors(RUN_CORS));
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => problemResponse(c, new ServerError('payload_too_large', `Request body must not exceed ${MAX_BODY_BYTES} bytes.`)),
    }),
  );

  app.route('/run/auth', runAuthRoutes({ jwtSecret: deps.config.jwtSecret, sessionLifetimeSeconds: deps.config.sessionLifetimeSeconds, registry: deps.registry, pow, now }));
  const pairing = deps.pairing ?? new PairingService({ apps: deps.registry, log, onPairingCode: deps.onPairingCode, now });
  const adminKeys = deps.manage?.adminKeys ?? [];
  // One caller authentication for every run route: session tokens, service keys, paired keys.
  const auth: CallerAuthDeps = {
    jwtSecret: deps.config.jwtSecret,
    registry: deps.registry,
    serviceKeys: deps.serviceKeys,
    verifyPairedKey: (key) => pairing.verifyApiKey(key),
    now,
  };
  const admission = {
    auth,
    limits: deps.rateLimits ?? new MemoryRateLimitStore(),
    rates: completeChatRateLimits(deps.chat?.rateLimits),
    streams: new StreamSlots(),
  };
  const { conversations } = deps;
  const chat = { admission, conversations, settings: completeChatSettings(deps.chat) };
  app.route('/run/api', chatRoutes(chat));
  app.route('/run/v1', chatCompletionRoutes(chat));
  const { maxMessagesPerConversation, maxConversationsPerOwner } = chat.settings.limits;
  app.route('/run/v1', conversationRoutes({ admission, conversations, maxMessagesPerPage: maxMessagesPerConversation, maxConversationsPerOwner }));
  app.route('/run/v1', feedbackEventRoutes({ admission, conversations }));
  const pairingApp = deps.config.pairingApp ?? resolvePairingApp({ apps: deps.config.apps });
  app.route(
    '/v1/auth',
    pairingRoutes({ pairing, registry: deps.registry, pairingApp, adminAuth: (key, tenant) => checkAdminKey(adminKeys, key, tenant) }),
  );
  if (deps.manage) {
    // Sign-outs live in the replay store: shared by instances on one database, swept at expiry.
    const sessions = new ManageSessions({ secret: deps.config.jwtSecret, keys: adminKeys, revocations: deps.replay ?? new MemoryReplayStore({ now }), now });
    app.route('/', manageRoutes({ serviceKeys: deps.serviceKeys, sessions, ...deps.manage }));
  }

  app.notFound((c) => problemResponse(c, new ServerError('not_found', `No route for ${c.req.method} ${c.req.path}`)));
  app.onError(problemErrorHandler(log));

  return app;
}
