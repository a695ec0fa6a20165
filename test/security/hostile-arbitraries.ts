import fc from 'fast-check';
import type { OutgoingHttpHeaders } from 'node:http';
import { ADMIN_KEY, ALLOWED_ORIGIN, APP_ID, OTHER_APP_ID, OTHER_TENANT, OTHER_TENANT_KEY, PROJECT, TENANT } from './harness.js';
import { MAX_BODY_BYTES } from '../../server/app.js';

/** A generated request for `send()`. */
export interface HostileRequest {
  method: string;
  path: string;
  headers: OutgoingHttpHeaders;
  body: string | Buffer | undefined;
  chunked: boolean;
}

const MB = 1024 * 1024;
// Allocated once: a 10 MB body per generated case would dominate the run time.
const BIG = { limitPlusOne: Buffer.alloc(MAX_BODY_BYTES + 1, 'x'), oneMb: Buffer.alloc(MB, '['), tenMb: Buffer.alloc(10 * MB, '{') };

const b64url = (s: string | Uint8Array) => Buffer.from(s).toString('base64url');

/** Header-safe Latin-1 text (what `node:http` lets through): no controls, may be non-ASCII. */
export const latin1 = (maxLength: number) =>
  fc
    .array(fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f), { maxLength })
    .map((codes) => String.fromCharCode(...codes));

const nastySegment = fc.constantFrom(
  '%00', '%2e%2e', '..', '.', '%2F', '%ff%fe', '%E0%A4%A', '__proto__', 'constructor', 'prototype',
  'a'.repeat(300), '%252e', '%u002e', 'app_', 'null', 'undefined', '%0d%0aSet-Cookie:x=1',
);
const idLike = fc.oneof(
  fc.constantFrom(APP_ID, OTHER_APP_ID, 'memory-default', 'key_0123456789abcdef'),
  fc.stringMatching(/^[a-zA-Z0-9_.-]{1,40}$/),
  fc.string({ maxLength: 30, unit: 'grapheme' }).map(encodeURIComponent),
  nastySegment,
);
const tenant = fc.oneof(fc.constantFrom(TENANT, OTHER_TENANT), idLike);
const project = fc.oneof(fc.constant(PROJECT), idLike);

const query = fc.oneof(
  fc.constant(''),
  fc.tuple(fc.constantFrom('page', 'limit', 'type', '__proto__', 'x'), fc.oneof(fc.constantFrom('-1', '0', '1e9', '9'.repeat(40), 'NaN', '', '1.5'), latin1(20)))
    .map(([k, v]) => `?${k}=${encodeURIComponent(v)}`),
);

/** Paths of every route with fuzzed ids, plus random paths. */
export const pathArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      fc.constant('/run/auth/pow/challenge'),
      fc.oneof(fc.constant(''), idLike.map((id) => `?appId=${id}`)).map((q) => `/run/auth/challenge${q}`),
      idLike.map((id) => `/run/auth/apps/${id}/anonymous-session`),
      fc.constant('/run/api/chat'),
      fc.constantFrom('/v1/auth/challenges', '/v1/auth/api_keys'),
      idLike.map((id) => `/v1/auth/api_keys/${id}`),
      fc.tuple(tenant, project, fc.constantFrom('apps', 'credentials', 'credential-stores'), fc.option(idLike, { nil: undefined })).map(
        ([t, p, kind, id]) => `/manage/tenants/${t}/projects/${p}/${kind}${id === undefined ? '' : `/${id}`}`,
      ),
      fc.tuple(tenant, project, idLike).map(([t, p, id]) => `/manage/tenants/${t}/projects/${p}/credential-stores/${id}/credentials`),
      tenant.map((t) => `/manage/tenants/${t}/session`),
      fc.array(idLike, { maxLength: 6 }).map((segments) => `/${segments.join('/')}`),
    ),
    query,
  )
  .map(([path, q]) => path + q);

const jsonB64 = (value: unknown) => b64url(JSON.stringify(value));
/** JWT-shaped strings: three base64url parts with plausible, hostile or random contents. */
export const jwtShaped: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      fc.constantFrom('none', 'HS256', 'RS256', 'HS512', 'ES256', '').map((alg) => jsonB64({ alg, typ: 'JWT' })),
      fc.jsonValue().map(jsonB64),
      fc.uint8Array({ maxLength: 40 }).map(b64url),
    ),
    fc.oneof(
      fc.record({
        sub: fc.oneof(fc.constant('anon_00000000-0000-4000-8000-000000000000'), fc.string()),
        iss: fc.constantFrom('inkeep', 'evil'),
        app: fc.constantFrom(APP_ID, OTHER_APP_ID),
        type: fc.constantFrom('anonymous', 'admin'),
        exp: fc.integer(),
        iat: fc.integer(),
      }).map(jsonB64),
      fc.jsonValue().map(jsonB64),
      fc.uint8Array({ maxLength: 80 }).map(b64url),
    ),
    fc.oneof(fc.constant(''), fc.uint8Array({ maxLength: 64 }).map(b64url)),
  )
  .map((parts) => parts.join('.'));

const authorization = fc.option(
  fc.oneof(
    jwtShaped.map((t) => `Bearer ${t}`),
    fc.constantFrom(`Bearer ${ADMIN_KEY}`, `Bearer ${OTHER_TENANT_KEY}`, `bearer ${ADMIN_KEY}`, 'Bearer', 'Bearer  ', 'Basic YWRtaW46YWRtaW4='),
    latin1(60).map((s) => `Bearer ${s}`),
    latin1(60),
  ),
  { nil: undefined },
);

/** Manage session cookies: JWT-shaped or random values, alone or among other cookies. */
const sessionCookie = fc.option(
  fc.oneof(jwtShaped, latin1(60), fc.constant('')).chain((value) =>
    fc.constantFrom(`better-auth.session_token=${value}`, `a=1; better-auth.session_token=${value}`, `better-auth.session_token=${value}; better-auth.session_token=x`),
  ),
  { nil: undefined },
);

const solutionHeader = fc.option(
  fc.oneof(
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64')),
    fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString('base64')),
    fc
      .record({ algorithm: fc.jsonValue(), challenge: fc.jsonValue(), number: fc.jsonValue(), salt: fc.jsonValue(), signature: fc.jsonValue() })
      .map((v) => Buffer.from(JSON.stringify(v)).toString('base64')),
    latin1(100),
    fc.constant('A'.repeat(12 * 1024)),
  ),
  { nil: undefined },
);

const origin = fc.option(
  fc.oneof(fc.constantFrom(ALLOWED_ORIGIN, 'null', 'https://example.com.evil.test', 'https://evilexample.com', 'http://localhost:5173'), latin1(60)),
  { nil: undefined },
);

/** Extra headers: random names, Latin-1 values, duplicates (arrays) and the occasional oversized one. */
const extraHeaders = fc.dictionary(
  fc.oneof(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), fc.constantFrom('origin', 'x-inkeep-app-id', 'content-type', 'x-inkeep-agent-id', 'accept')),
  fc.oneof(
    { arbitrary: latin1(80), weight: 6 },
    { arbitrary: fc.array(latin1(40), { minLength: 2, maxLength: 4 }), weight: 3 },
    { arbitrary: fc.integer({ min: 4_000, max: 20_000 }).map((n) => 'h'.repeat(n)), weight: 1 },
  ),
  { maxKeys: 3 },
);

const protoBody = fc.record({
  name: fc.oneof(fc.constant('fuzz app'), fc.jsonValue()),
  type: fc.constantFrom('web_client', 'api', 'nope'),
  config: fc.constantFrom({ type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: true } }, null, 'x'),
}).map((fields) => `{"__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}},${JSON.stringify(fields).slice(1)}`);

const wrongTypes = fc
  .dictionary(
    fc.constantFrom('name', 'type', 'config', 'messages', 'app_name', 'app_id', 'challenge_id', 'code', 'key', 'value', 'metadata', 'id', 'enabled', 'credentialStoreId'),
    fc.jsonValue({ maxDepth: 3 }),
  )
  .map((v) => JSON.stringify(v));

const deepNesting = fc
  .tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) => (arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)));

const bodyArb: fc.Arbitrary<{ body: string | Buffer | undefined; chunked: boolean }> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 2 },
  { arbitrary: fc.string({ maxLength: 200, unit: 'binary' }), weight: 2 },
  { arbitrary: wrongTypes, weight: 3 },
  { arbitrary: protoBody, weight: 2 },
  { arbitrary: deepNesting, weight: 1 },
  { arbitrary: fc.constantFrom(BIG.limitPlusOne, BIG.oneMb, BIG.tenMb), weight: 1 },
).chain((body) => fc.record({ body: fc.constant(body), chunked: body === undefined ? fc.constant(false) : fc.boolean() }));

/** A whole generated request against a route of the server. */
export const hostileRequest: fc.Arbitrary<HostileRequest> = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND'),
    path: pathArb,
    authorization,
    cookie: sessionCookie,
    solution: solutionHeader,
    origin,
    appId: fc.option(fc.oneof(fc.constantFrom(APP_ID, OTHER_APP_ID), latin1(40)), { nil: undefined }),
    version: fc.option(fc.oneof(fc.constant('2025-11-08'), latin1(20)), { nil: undefined }),
    contentType: fc.option(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16'), { nil: undefined }),
    extra: extraHeaders,
    payload: bodyArb,
  })
  .map((r) => {
    const headers: OutgoingHttpHeaders = { ...r.extra };
    const named: Array<[string, string | undefined]> = [
      ['authorization', r.authorization],
      ['cookie', r.cookie],
      ['x-inkeep-challenge-solution', r.solution],
      ['origin', r.origin],
      ['x-inkeep-app-id', r.appId],
      ['anytype-version', r.version],
      ['content-type', r.contentType],
    ];
    for (const [name, value] of named) if (value !== undefined) headers[name] = value;
    // GET/HEAD bodies are legal but pointless to fuzz; they stay on the body-carrying methods.
    const bodyAllowed = !['GET', 'HEAD', 'OPTIONS'].includes(r.method);
    return { method: r.method, path: r.path, headers, body: bodyAllowed ? r.payload.body : undefined, chunked: r.payload.chunked };
  });

/** Requests `node:http` refuses to build: CR/LF tricks, control bytes, smuggling, broken request lines. */
export const malformedRaw: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.oneof(
      fc.constantFrom('GET', 'POST', 'DELETE'),
      fc.string({ minLength: 1, maxLength: 10, unit: 'binary-ascii' }),
    ),
    fc.oneof(
      pathArb,
      fc.string({ maxLength: 60, unit: 'binary' }).map((s) => `/run/auth/apps/${s}/anonymous-session`),
      fc.constantFrom('/run/api/chat HTTP/1.1\r\nX: y', '*', 'http://evil.test/run/api/chat', '//evil.test/manage', '/\u0000', '/ë✓'),
    ),
    fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/9.9', 'HTTP/1.1 extra', 'http/1.1', ''),
    fc.array(
      fc.oneof(
        fc.constantFrom(
          'X-A: a\nInjected: b',
          'X-A: a\rInjected: b',
          'X-A: a\r\n folded',
          'Origin: https://app.example.com\r\nOrigin: https://evil.test',
          'Content-Length: 5\r\nContent-Length: 6',
          'Content-Length: 4\r\nTransfer-Encoding: chunked',
          'Content-Length: -1',
          'Transfer-Encoding: gzip, chunked',
          'Bad Name: x',
          ': empty-name',
          'X-Null: a\u0000b',
          `Authorization: Bearer ${ADMIN_KEY}\r\nAuthorization: Bearer x`,
          'X-UTF8: ✓ ü 日本',
          'Anytype-Version: 2025-11-08',
        ),
        fc.tuple(fc.string({ minLength: 1, maxLength: 20, unit: 'binary-ascii' }), fc.string({ maxLength: 60, unit: 'binary' })).map(([n, v]) => `${n}: ${v}`),
      ),
      { maxLength: 4 },
    ),
    fc.option(fc.string({ maxLength: 100, unit: 'binary' }), { nil: undefined }),
  )
  .map(([method, path, version, lines, body]) => {
    const head = [`${method} ${path} ${version}`.trimEnd(), 'Host: 127.0.0.1', ...lines, 'Connection: close'];
    if (body !== undefined) head.push(`Content-Length: ${Buffer.byteLength(body)}`);
    return Buffer.from(`${head.join('\r\n')}\r\n\r\n${body ?? ''}`, 'utf8');
  });
