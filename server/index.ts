/**
 * Programmatic API of the ink-auth reference server.
 *
 * ```ts
 * const server = await startServer({ config: { pow: null }, log: () => {} });
 * await fetch(`${server.url}/run/auth/apps/app_inkauthdemo0000000000/anonymous-session`, …);
 * await server.close();
 * ```
 */
export { createApp } from './app.js';
export { startServer, completeConfig } from './start.js';
export { loadConfigFromEnv, ConfigError } from './config.js';
export { MemoryAppRegistry } from './state/app-registry.js';
export { openState, type OpenStateOptions, type State } from './state/state.js';
export type { ConfigMode, StateSettings } from './state/state-settings.js';
export type { AppRecord, AppRegistry, WebClientConfig } from './state/app-registry.js';
export type { AppDeps, ChatOptions, PowSettings, RequestLogEntry, RunningServer, ServerConfig, StartOptions } from './types.js';
export { DEFAULT_CHAT_LIMITS, DEFAULT_CHAT_SETTINGS } from './chat/chat-limits.js';
export type { ChatLimits } from './chat/chat-limits.js';
export type { ProblemBody } from './http/problem.js';
export { ServerError, type ErrorCode, type ErrorCode as ProblemCode } from './core/errors.js';
