import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_JSON_DEPTH, MAX_JSON_FIELD_BYTES } from '../../server/core/json-bounds.js';
import { expectProblem, manageServerPerSuite } from '../server/manage/manage-fixture.js';

/** `{"a":{"a":…{}}}` nested `depth` levels, as raw JSON text (never built as an object). */
function nested(depth: number): string {
  return '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
}

const reference = (id: string, retrievalParams: string) =>
  `{"id":"${id}","name":"deep","type":"memory","credentialStoreId":"memory-default","retrievalParams":${retrievalParams}}`;

describe('stored JSON fields are bounded in depth and size', () => {
  const h = manageServerPerSuite();

  test('retrievalParams 5 000 levels deep → 400 naming the field and the bound, on POST and on PUT', async () => {
    const deep = nested(5_000);
    const post = expectProblem(await h.call('POST', '/credentials', reference('deep-post', deep)), 400, 'bad_request');
    assert.equal(post.detail, `Validation failed: 'retrievalParams' must be nested at most ${MAX_JSON_DEPTH} levels deep`);
    assert.equal((await h.call('POST', '/credentials', reference('deep-put', '{"key":"k"}'))).status, 201);
    const put = expectProblem(await h.call('PUT', '/credentials/deep-put', `{"retrievalParams":${deep}}`), 400, 'bad_request');
    assert.match(put.detail, /'retrievalParams' must be nested at most/);
    assert.equal((await h.call('GET', '/credentials/deep-put')).body.data.retrievalParams.key, 'k', 'the stored reference is unchanged');
  });

  test(`the bound is exact: ${MAX_JSON_DEPTH} levels are stored, ${MAX_JSON_DEPTH + 1} refused`, async () => {
    assert.equal((await h.call('POST', '/credentials', reference('at-bound', nested(MAX_JSON_DEPTH)))).status, 201);
    expectProblem(await h.call('POST', '/credentials', reference('over-bound', nested(MAX_JSON_DEPTH + 1))), 400, 'bad_request');
  });

  test('a wide retrievalParams over the size bound → 400; metadata of a secret is bounded too', async () => {
    const wide = JSON.stringify({ key: 'k', blob: 'x'.repeat(MAX_JSON_FIELD_BYTES) });
    const problem = expectProblem(await h.call('POST', '/credentials', reference('wide', wide)), 400, 'bad_request');
    assert.match(problem.detail, new RegExp(`'retrievalParams' must be at most ${MAX_JSON_FIELD_BYTES} bytes`));
    const deepMetadata = `{"key":"k","value":"v","metadata":${nested(5_000)}}`;
    expectProblem(await h.call('POST', '/credential-stores/memory-default/credentials', deepMetadata), 400, 'bad_request');
  });

  test('an app whose config carries a 5 000-level extra field → never a 500', async () => {
    const body = `{"name":"n","type":"web_client","config":{"type":"web_client","extra":${nested(5_000)},"webClient":{"allowedDomains":["x.example"],"allowAnonymous":true}}}`;
    const reply = await h.call('POST', '/apps', body);
    assert.ok(reply.status < 500, reply.text);
  });
});
