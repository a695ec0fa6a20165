// decodeSessionToken: what a session token's claims mean on the page's clock. With `iat` the token
// lives `exp − iat` from its arrival (a device clock hours off changes nothing); without, `exp`.
import { decodeSessionToken } from '../../src/session/jwt.js';
import { InkAuthError } from '../../src/index.js';
import { equal, ok } from './helpers/harness.js';

/** An unsigned JWT with `claims` (the element reads claims, it never verifies). */
function token(claims: Record<string, unknown>): string {
  const part = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2ln`;
}

function refusal(run: () => unknown): InkAuthError {
  try {
    run();
  } catch (error) {
    ok(error instanceof InkAuthError, `an InkAuthError (${String(error)})`);
    return error;
  }
  throw new Error('no error');
}

const HOUR = 3_600_000;
const pageNow = Date.UTC(2026, 0, 1, 12);
const sub = 'anon_00000000-0000-4000-8000-000000000000';

describe('decodeSessionToken', () => {
  for (const [name, skew] of [['in step', 0], ['3 h fast', 3 * HOUR], ['3 h slow', -3 * HOUR], ['2 days fast', 48 * HOUR]] as const) {
    it(`a fresh 1 h token with iat, page clock ${name}: expires 1 h from now on the page's clock`, () => {
      const serverNow = (pageNow - skew) / 1000;
      const decoded = decodeSessionToken(token({ sub, iat: serverNow, exp: serverNow + 3600 }), pageNow);
      equal(decoded.anonId, sub, 'anonId');
      equal(decoded.expiresAt, pageNow + HOUR, 'expiresAt');
      equal(decoded.issuedAt, serverNow * 1000, 'issuedAt (the server clock)');
    });
  }

  it('without iat: exp as it is, and refused once past on the page\'s clock', () => {
    const exp = pageNow / 1000 + 600;
    equal(decodeSessionToken(token({ sub, exp }), pageNow).expiresAt, exp * 1000, 'expiresAt');
    equal(refusal(() => decodeSessionToken(token({ sub, exp: pageNow / 1000 - 1 }), pageNow)).code, 'invalid_token', 'past exp');
  });

  it('expired when issued (exp at or before iat): refused whatever the clock', () => {
    for (const skew of [0, 3 * HOUR, -3 * HOUR]) {
      const iat = (pageNow - skew) / 1000;
      const error = refusal(() => decodeSessionToken(token({ sub, iat, exp: iat }), pageNow));
      equal(error.code, 'invalid_token', `code (skew ${skew})`);
      equal(error.detail, 'The session token has already expired.', 'detail');
    }
  });

  it('refuses what is not a session token', () => {
    equal(refusal(() => decodeSessionToken('not.a.jwt', pageNow)).code, 'invalid_token', 'not a JWT');
    equal(refusal(() => decodeSessionToken(token({ exp: pageNow / 1000 + 60 }), pageNow)).detail, 'The session token has no subject (anon_ id).', 'no sub');
    equal(refusal(() => decodeSessionToken(token({ sub }), pageNow)).detail, 'The session token has no expiry.', 'no exp');
  });
});
