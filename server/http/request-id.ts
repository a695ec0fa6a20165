import { randomBytes } from 'node:crypto';

/** A fresh request id, `req_` + 16 random bytes in hex. Never taken from the client. */
export function newRequestId(): string {
  return `req_${randomBytes(16).toString('hex')}`;
}
