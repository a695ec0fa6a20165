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
export { MemoryAppRegistry } from './store/app-registry.js';
export { openState, type OpenStateOptions, type State } from './store/state.js';
export type { ConfigMode, StateSettings } from './store/state-settings.js';
export type { AppRecord, AppRegistry, WebClientConfig } from './store/app-registry.js';
export type { AppDeps, PowSettings, RequestLogEntry, RunningServer, ServerConfig, StartOptions } from './types.js';
export type { ProblemBody, ProblemCode } from './domain/problem.js';
