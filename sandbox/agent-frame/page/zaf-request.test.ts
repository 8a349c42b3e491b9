import { describe, expect, it } from 'vitest';
import { buildHttpRequest, toResponseArgs } from './zaf-request.ts';

describe('buildHttpRequest', () => {
  it('resolves relative URLs, puts GET data in the query and JSON data in the body', () => {
    const get = buildHttpRequest(
      { url: '/api/v2/search.json', data: { query: 'type:ticket', ids: [1, 2] } },
      'http://localhost:1',
    );
    expect(get.ok && get.spec.url).toBe(
      'http://localhost:1/api/v2/search.json?query=type%3Aticket&ids%5B%5D=1&ids%5B%5D=2',
    );
    const put = buildHttpRequest(
      {
        url: '/api/v2/tickets/1.json',
        type: 'put',
        contentType: 'application/json',
        data: { ticket: { priority: 'high' } },
      },
      'http://localhost:1',
    );
    expect(put.ok && put.spec).toMatchObject({
      method: 'PUT',
      body: '{"ticket":{"priority":"high"}}',
      headers: { 'Content-Type': 'application/json' },
    });
    const form = buildHttpRequest(
      { url: 'http://x.test/a', type: 'POST', data: { a: 1 } },
      'http://localhost:1',
    );
    expect(form.ok && form.spec.body).toBe('a=1');
  });

  it('says what is wrong with bad options', () => {
    expect(buildHttpRequest({}, 'http://localhost:1')).toEqual({
      ok: false,
      message: 'client.request needs a url (a string), e.g. "/api/v2/tickets/1.json".',
    });
    expect(buildHttpRequest({ url: 'file:///etc/passwd' }, 'http://localhost:1').ok).toBe(false);
    expect(buildHttpRequest({ url: '/x', type: 'GET /' }, 'http://localhost:1').ok).toBe(false);
  });
});

describe('toResponseArgs', () => {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  it('resolves with parsed JSON, or the complete response on request', () => {
    const ok = toResponseArgs({}, { status: 200, statusText: 'OK', headers: json, text: '{"a":1}' });
    expect(ok.ok).toBe(true);
    expect(ok.responseArgs[0]).toEqual({ a: 1 });
    expect(ok.responseArgs[1]).toBe('success');
    const complete = toResponseArgs(
      { httpCompleteResponse: true },
      { status: 201, statusText: 'Created', headers: json, text: '{"a":1}' },
    );
    expect(complete.responseArgs[0]).toMatchObject({ status: 201, responseJSON: { a: 1 } });
    const text = toResponseArgs(
      {},
      { status: 200, statusText: 'OK', headers: { 'content-type': 'text/plain' }, text: 'hi' },
    );
    expect(text.responseArgs[0]).toBe('hi');
  });

  it('fails with a jqXHR-like object on HTTP errors and unparsable JSON', () => {
    const notFound = toResponseArgs(
      {},
      { status: 404, statusText: 'Not Found', headers: json, text: '{"error":"RecordNotFound"}' },
    );
    expect(notFound.ok).toBe(false);
    expect(notFound.responseArgs[0]).toMatchObject({
      status: 404,
      responseJSON: { error: 'RecordNotFound' },
    });
    const broken = toResponseArgs(
      { dataType: 'json' },
      { status: 200, statusText: 'OK', headers: {}, text: '<html>' },
    );
    expect(broken.ok).toBe(false);
    expect(broken.responseArgs[1]).toBe('parsererror');
  });
});
