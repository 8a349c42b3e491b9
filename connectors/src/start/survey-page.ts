/**
 * The tiny survey page `boucle start` serves in sandbox mode: a customer's answer (NPS, CES, company effort,
 * comment) for a ticket, forwarded server-side to the connector's POST /feedback with its bearer token (the
 * browser never holds the token). Lets one watch the loop react to a new answer live.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface SurveyPageOptions {
  /** The automation service, e.g. http://127.0.0.1:40123 */
  readonly serviceUrl: string;
  readonly surveyToken: string;
  /** Where "back to the ticket" links go: `${agentUrl}/agent/tickets/<id>`. */
  readonly agentUrl: string;
  readonly defaultTicketId: number;
}

export interface RunningSurveyPage {
  readonly url: string;
  close(): Promise<void>;
}

const esc = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function page(body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Boucle — customer survey (sandbox)</title>
<style>body{font-family:system-ui,sans-serif;max-width:560px;margin:32px auto;color:#2f3941}label{display:block;margin:12px 0 4px;font-weight:600}
input,textarea{width:100%;padding:6px;font:inherit;box-sizing:border-box}button{margin-top:16px;padding:8px 16px;font:inherit;background:#1f73b7;color:#fff;border:0;border-radius:4px}
.hint{color:#68737d;font-size:13px}pre{background:#f8f9f9;padding:8px;white-space:pre-wrap}</style></head><body>${body}</body></html>`;
}

function form(options: SurveyPageOptions, ticketId: string): string {
  return page(`<h1>Customer survey</h1>
<p class="hint">What the customer answers after their ticket. Sent to the Boucle connector's survey endpoint, as a survey tool would.</p>
<form method="post" action="/submit" data-testid="survey-form">
<label for="ticket">Ticket</label><input id="ticket" name="ticket" value="${esc(ticketId)}" inputmode="numeric" required>
<label for="nps">How likely are you to recommend us? (0–10)</label><input id="nps" name="nps" type="number" min="0" max="10" value="2" required>
<label for="ces">How much effort did you personally have to put in? (1–7)</label><input id="ces" name="ces" type="number" min="1" max="7" value="7" required>
<label for="ke">How much effort did the company put in? (1–7)</label><input id="ke" name="ke" type="number" min="1" max="7" value="2" required>
<label for="comment">Comment</label><textarea id="comment" name="comment" rows="3">Toujours pas résolu, c'est la troisième fois que j'appelle.</textarea>
<button type="submit">Send the answer</button></form>`);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) {
    text += (chunk as Buffer).toString();
    if (text.length > 100_000) throw new Error('body too large');
  }
  return text;
}

async function submit(options: SurveyPageOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const fields = new URLSearchParams(await readBody(req));
  const ticketId = (fields.get('ticket') ?? '').trim();
  const at = new Date().toISOString();
  const interactionId = `sandbox-${ticketId}-${Date.now()}`;
  const comment = (fields.get('comment') ?? '').trim();
  const answer = (kind: string, score: string | null) => ({
    kind,
    score: Number(score),
    ticketId,
    respondedAt: at,
    externalId: `${interactionId}-${kind}`,
    ...(kind === 'nps' && comment !== '' ? { comment } : {}),
  });
  const body = {
    answers: [
      answer('nps', fields.get('nps')),
      answer('ces', fields.get('ces')),
      answer('company_effort', fields.get('ke')),
    ],
  };
  const response = await fetch(`${options.serviceUrl}/feedback`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.surveyToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const ok = response.ok;
  res.writeHead(ok ? 200 : 400, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    page(`<h1 data-testid="survey-result">${ok ? 'Answer sent' : 'Answer refused'}</h1>
<p>The connector answered ${response.status}:</p><pre>${esc(text)}</pre>
<p><a href="${esc(`${options.agentUrl}/agent/tickets/${encodeURIComponent(ticketId)}`)}">Back to ticket ${esc(ticketId)}</a> ·
<a href="/?ticket=${esc(encodeURIComponent(ticketId))}">Send another answer</a></p>`),
  );
}

export async function startSurveyPage(options: SurveyPageOptions): Promise<RunningSurveyPage> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(form(options, url.searchParams.get('ticket') ?? String(options.defaultTicketId)));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/submit') {
      submit(options, req, res).catch((error: unknown) => {
        res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`Could not reach the connector: ${(error as Error).message}\n`);
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
