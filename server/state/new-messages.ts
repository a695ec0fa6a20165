import type { StoredMessage } from './conversation-store.js';

/**
 * Messages of a batch a conversation does not hold yet (a client may resend its history);
 * within the batch the first of a repeated id wins. Every engine appends only these.
 */
export function newMessages(stored: ReadonlySet<string>, batch: readonly StoredMessage[]): StoredMessage[] {
  const seen = new Set(stored);
  return batch.filter((message) => !seen.has(message.id) && (seen.add(message.id), true));
}
