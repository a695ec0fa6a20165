// What browser tests and the reference-server plugin (Node) exchange. Types only: no Node or DOM code.

/** Options for a reference server started for one browser test (see the test-runner plugin). */
export interface TestServerOptions {
  /** Proof-of-work format the server issues; `off` makes the challenge endpoint answer 404. Default `v1`. */
  pow?: 'v1' | 'v2' | 'off';
  /** `maxnumber` of issued challenges. Default 5000 (fast tests). */
  difficulty?: number;
  sessionLifetimeSeconds?: number;
  allowAnonymous?: boolean;
  enabled?: boolean;
  allowedDomains?: string[];
  /** The web app's public keys (signed-in users): PEM SPKI, with their kid and algorithm. */
  publicKeys?: Array<{ kid: string; publicKey: string; algorithm: 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA' }>;
  /** The app's client id. Default: one of its own per server (cached sessions never cross servers). */
  appId?: string;
}

export interface TestServer {
  id: string;
  /** Base URL, e.g. `http://127.0.0.1:40123` — another origin than the test page. */
  url: string;
  appId: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}
