import type { OpenStores } from './harness.js';
import { conversationContract } from './conversations.js';
import { pairedKeyContract, pairingChallengeContract } from './pairing.js';
import { rateLimitContract, replayContract } from './replay-and-limits.js';
import { serviceKeyContract } from './service-keys.js';

export type { ContractStores, FakeClock, OpenStores } from './harness.js';

/** The behaviour every engine's stores must share, run once per engine. */
export function storeContract(open: OpenStores): void {
  replayContract(open);
  rateLimitContract(open);
  pairingChallengeContract(open);
  pairedKeyContract(open);
  serviceKeyContract(open);
  conversationContract(open);
}
