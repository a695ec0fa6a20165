// The demo site's own "backend" for signed-in users (what a real site does on its server): a key
// pair made at start (never written anywhere), its public key registered on the demo app through
// the manage API (…/apps/{id}/auth-keys, replacing the demo's keys of earlier runs), and a signer
// the Vite dev server answers POST /demo/user-token with. Used by scripts/start.ts only.
import { randomBytes } from 'node:crypto';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';

/** The demo's one signed-in user. */
export const DEMO_USER = 'demo_user';
const KID_PREFIX = 'demo-run-';

export interface DemoSignIn {
  /** A fresh user token for {@link DEMO_USER} (10 minutes). */
  sign(): Promise<string>;
}

/** Where the demo app lives and the admin key that may change it. */
export interface DemoApp {
  apiUrl: string;
  tenantId: string;
  projectId: string;
  appId: string;
  adminKey: string;
}

/** Makes the key pair, registers its public half on the app, and returns the signer. */
export async function setUpDemoSignIn(app: DemoApp): Promise<DemoSignIn> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const kid = `${KID_PREFIX}${randomBytes(6).toString('hex')}`;
  const keys = `${app.apiUrl}/manage/tenants/${app.tenantId}/projects/${app.projectId}/apps/${app.appId}/auth-keys`;
  const headers = { authorization: `Bearer ${app.adminKey}`, 'content-type': 'application/json' };
  const listed = await fetch(keys, { headers });
  if (!listed.ok) throw new Error(`the demo app's keys could not be listed: HTTP ${listed.status}`);
  // Earlier runs' keys are of no use (their private halves are gone) and count against the 10-key bound.
  for (const key of ((await listed.json()) as { data: Array<{ kid: string }> }).data) {
    if (key.kid.startsWith(KID_PREFIX)) await fetch(`${keys}/${encodeURIComponent(key.kid)}`, { method: 'DELETE', headers });
  }
  const added = await fetch(keys, { method: 'POST', headers, body: JSON.stringify({ kid, algorithm: 'ES256', publicKey: await exportSPKI(publicKey) }) });
  if (added.status !== 201) throw new Error(`the demo's public key was refused: HTTP ${added.status} ${await added.text()}`);
  return {
    sign: () =>
      new SignJWT({ name: 'Demo User' })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setSubject(DEMO_USER)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey),
  };
}
