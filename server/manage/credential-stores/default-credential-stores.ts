import { CredentialStoreRegistry } from './credential-store.js';
import { KeychainCredentialStore } from './keychain-credential-store.js';
import { MemoryCredentialStore } from './memory-credential-store.js';
import { NangoCredentialStore } from './nango-credential-store.js';

/** The three default stores the seed platform offers: `memory-default`, `keychain-default`, `nango-default`. */
export function defaultCredentialStores(env: NodeJS.ProcessEnv = process.env): CredentialStoreRegistry {
  return new CredentialStoreRegistry([
    new MemoryCredentialStore('memory-default'),
    new KeychainCredentialStore('keychain-default', env),
    NangoCredentialStore.fromEnv('nango-default', env),
  ]);
}
