/** Most chunks one reply is streamed in, whatever its length. */
export const MAX_REPLY_CHUNKS = 8;
/** Smallest chunk worth an event, so short replies still arrive as a (short) stream. */
const MIN_CHUNK_BYTES = 16;

/**
 * The deterministic assistant (no model, no network): it greets the caller, quotes the user's
 * last message and says how many messages the conversation holds with this reply.
 */
export function assistantReply(callerId: string, userText: string, messageCount: number): string {
  const noun = messageCount === 1 ? 'message' : 'messages';
  return `Hello ${callerId}! You said: "${userText}". This conversation holds ${messageCount} ${noun}.`;
}

/**
 * Splits a text into at most {@link MAX_REPLY_CHUNKS} pieces of about equal UTF-8 size, never
 * inside a character: the stream's event count is bounded by this constant, not by the input,
 * so a long message costs the same handful of events as a short one.
 */
export function chunkByBytes(text: string, maxChunks: number = MAX_REPLY_CHUNKS): string[] {
  const total = Buffer.byteLength(text, 'utf8');
  if (total === 0) return [];
  const count = Math.max(1, Math.min(maxChunks, Math.ceil(total / MIN_CHUNK_BYTES)));
  const target = Math.ceil(total / count);
  const chunks: string[] = [];
  let current = '';
  let currentBytes = 0;
  for (const char of text) {
    const bytes = Buffer.byteLength(char, 'utf8');
    if (currentBytes + bytes > target && current !== '' && chunks.length < count - 1) {
      chunks.push(current);
      current = '';
      currentBytes = 0;
    }
    current += char;
    currentBytes += bytes;
  }
  chunks.push(current);
  return chunks;
}
