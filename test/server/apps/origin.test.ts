import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { originAllowed } from '../../../server/apps/origin.js';

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

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const domain = fc.tuple(label, fc.constantFrom('com', 'org', 'test')).map(([l, tld]) => `${l}.${tld}`);
const port = fc.integer({ min: 1, max: 65535 });

test('property: "*.d" allows d and any subdomain of d on any port, and nothing that merely ends with d', () => {
  fc.assert(
    fc.property(domain, fc.array(label, { maxLength: 3 }), port, label, (d, subs, p, junk) => {
      const host = [...subs, d].join('.');
      assert.equal(originAllowed(`https://${host}:${p}`, [`*.${d}`]), true);
      assert.equal(originAllowed(`https://${junk}${d}`, [`*.${d}`]), false);
    }),
  );
});

test('property: an entry with a port allows exactly that port', () => {
  fc.assert(
    fc.property(domain, port, port, (d, p, q) => {
      assert.equal(originAllowed(`http://${d}:${q}`, [`${d}:${p}`]), p === q);
    }),
  );
});
