import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { detectMode } from './start-boucle.ts';
import { startSurveyPage } from './survey-page.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('detectMode', () => {
  const real = {
    SALESFORCE_LOGIN_URL: 'https://acme.my.salesforce-like.example',
    ZENDESK_URL: 'https://acme.zendesk-like.example',
    ZENDESK_EMAIL: 'ops@acme.example',
    ZENDESK_API_TOKEN: 'tok-123',
  };
  it('is real only with non-local URLs and credentials', () => {
    expect(detectMode(real)).toBe('real');
    expect(detectMode({})).toBe('sandbox');
    expect(detectMode({ ...real, ZENDESK_URL: 'http://127.0.0.1:4020' })).toBe('sandbox');
    expect(detectMode({ ...real, SALESFORCE_LOGIN_URL: 'http://localhost:4010' })).toBe('sandbox');
    expect(detectMode({ ...real, ZENDESK_API_TOKEN: 'replace-me' })).toBe('sandbox');
    expect(detectMode({ ...real, ZENDESK_URL: 'not a url' })).toBe('sandbox');
  });
});

describe('survey page', () => {
  it('forwards the three answers to the survey endpoint with the bearer token', async () => {
    const received: { auth: string | undefined; body: unknown }[] = [];
    const service = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        received.push({ auth: req.headers.authorization, body: JSON.parse(text) as unknown });
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('{"accepted":3}');
      });
    });
    await new Promise<void>((done) => service.listen(0, '127.0.0.1', done));
    cleanups.push(() => new Promise<void>((done) => service.close(() => done())));
    const page = await startSurveyPage({
      serviceUrl: `http://127.0.0.1:${(service.address() as { port: number }).port}`,
      surveyToken: 'token-0123456789-0123456789',
      agentUrl: 'http://localhost:1',
      defaultTicketId: 42,
    });
    cleanups.push(() => page.close());
    const form = await (await fetch(`${page.url}/`)).text();
    expect(form).toContain('value="42"');
    const response = await fetch(`${page.url}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ticket: '42',
        nps: '1',
        ces: '7',
        ke: '2',
        comment: 'still waiting <b>',
      }).toString(),
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Answer sent');
    expect(html).toContain('/agent/tickets/42');
    expect(received).toHaveLength(1);
    expect(received[0]!.auth).toBe('Bearer token-0123456789-0123456789');
    const answers = (received[0]!.body as { answers: { kind: string; score: number; ticketId: string }[] })
      .answers;
    expect(answers.map((a) => [a.kind, a.score, a.ticketId])).toEqual([
      ['nps', 1, '42'],
      ['ces', 7, '42'],
      ['company_effort', 2, '42'],
    ]);
    expect((await fetch(`${page.url}/nope`)).status).toBe(404);
  });
});
