/**
 * A configuration problem that must stop the server before it listens. Startup only: it is never
 * an HTTP answer (those are `ServerError`s, core/errors.ts), so it carries a message, no status.
 */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
