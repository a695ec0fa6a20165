import { test } from 'node:test';
import assert from 'node:assert/strict';
import { originAllowed } from '../../server/domain/origin.js';

const table: Array<[origin: string | undefined, allowed: string[], expected: boolean, why: string]> = [
  [undefined, ['*'], false, 'missing origin'],
  ['', ['*'], false, 'empty origin'],
  ['not a url', ['*'], false, 'garbage origin'],
  ['null', ['*'], false, 'opaque origin'],
  ['https://example.com', [], false, 'empty list'],
  ['https://anything.test', ['*'], true, 'star allows any origin'],
  ['https://example.com', ['example.com'], true, 'exact host'],
  ['http://example.com', ['example.com'], true, 'scheme ignored'],
  ['https://example.com:8443', ['example.com'], true, 'no port in entry: any port'],
  ['https://EXAMPLE.com', ['Example.COM'], true, 'case-insensitive'],
  ['https://evil.com', ['example.com'], false, 'other host'],
  ['https://notexample.com', ['example.com'], false, 'suffix is not a match'],
  ['https://example.com.evil.com', ['example.com'], false, 'prefix is not a match'],
  ['https://www.example.com', ['example.com'], false, 'plain entry does not cover subdomains'],
  ['https://www.example.com', ['*.example.com'], true, 'wildcard subdomain'],
  ['https://a.b.example.com', ['*.example.com'], true, 'wildcard nested subdomain'],
  ['https://example.com', ['*.example.com'], true, 'wildcard covers bare domain'],
  ['https://badexample.com', ['*.example.com'], false, 'wildcard needs a dot boundary'],
  ['https://example.com.evil.com', ['*.example.com'], false, 'wildcard is anchored at the end'],
  ['http://localhost:5173', ['localhost:5173'], true, 'port entry matches exactly'],
  ['http://localhost:5174', ['localhost:5173'], false, 'port entry refuses other ports'],
  ['http://localhost', ['localhost:5173'], false, 'port entry refuses default port'],
  ['https://example.com', ['example.com:443'], true, 'default https port is 443'],
  ['http://localhost:3000', ['localhost'], true, 'localhost is an ordinary entry'],
  ['http://127.0.0.1:8080', ['127.0.0.1'], true, '127.0.0.1 is an ordinary entry'],
  ['http://127.0.0.1:8080', ['localhost'], false, 'localhost does not imply 127.0.0.1'],
  ['http://[::1]:8080', ['[::1]:8080'], true, 'IPv6 with port'],
  ['https://app.example.com', ['https://app.example.com'], true, 'scheme in entry ignored'],
  ['https://x.example.com:9000', ['*.example.com:9000'], true, 'wildcard with port'],
  ['https://x.example.com:9001', ['*.example.com:9000'], false, 'wildcard with other port'],
  ['https://example.com', ['bad entry with spaces', 'example.com'], true, 'a garbage entry is skipped'],
];

for (const [origin, allowed, expected, why] of table) {
  test(`originAllowed: ${why} (${String(origin)} vs ${JSON.stringify(allowed)})`, () => {
    assert.equal(originAllowed(origin, allowed), expected);
  });
}
