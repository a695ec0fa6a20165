/** Hono environment shared by the app, its middleware and its routes. */
export interface AppEnv {
  /** `clientAddress`: who the request is from, for per-client limits (see client-address-middleware.ts). */
  Variables: { requestId: string; clientAddress: string };
}
