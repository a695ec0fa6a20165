// A site's signing key for signed-in users, made per test (WebCrypto through jose): what a site's
// backend holds. Its public half goes into the test server's `publicKeys`.
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import type { TestServerOptions } from './server.js';

export interface SiteKey {
  /** The app's `publicKeys` entry for this key. */
  publicKeys: NonNullable<TestServerOptions['publicKeys']>;
  /** A user token for `sub`, valid for `lifetimeSeconds` (negative: already expired). */
  sign(sub: string, lifetimeSeconds?: number): Promise<string>;
}

/** A new ES256 key pair under `kid`. */
export async function siteKey(kid: string): Promise<SiteKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const pem = await exportSPKI(publicKey);
  return {
    publicKeys: [{ kid, publicKey: pem, algorithm: 'ES256' }],
    sign: (sub, lifetimeSeconds = 600) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid }).setSubject(sub).setIssuedAt(now).setExpirationTime(now + lifetimeSeconds).sign(privateKey);
    },
  };
}
