import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { signZendeskWebhook, verifyZendeskSignature } from './verify-zendesk-signature.ts';

/** The expected signature, computed by openssl, not by our code. */
function opensslSignature(secret: string, message: string): string {
  const digest = execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret, '-binary'], { input: message });
  return digest.toString('base64');
}

const NOW = new Date('2026-11-22T10:00:30Z');
const TIMESTAMP = '2026-11-22T10:00:00Z';

describe('Zendesk webhook signature', () => {
  const vectors = [
    { secret: 'dGhpc19pc19hX3NlY3JldA', body: '{"ticket_id":42,"event":"ticket.updated"}' },
    { secret: 'é-accented secret ✓', body: '{"comment":"toujours pas résolu, troisième fois"}' },
    { secret: 'k', body: '' },
  ];

  it.each(vectors)('matches openssl for secret "$secret"', ({ secret, body }) => {
    const expected = opensslSignature(secret, TIMESTAMP + body);
    expect(signZendeskWebhook(secret, TIMESTAMP, Buffer.from(body))).toBe(expected);
    const check = verifyZendeskSignature({
      secret,
      signature: expected,
      timestamp: TIMESTAMP,
      rawBody: Buffer.from(body),
      now: NOW,
      toleranceSeconds: 300,
    });
    expect(check).toEqual({ ok: true, signedAt: new Date(TIMESTAMP) });
  });

  it('matches a constant cross-checked once with openssl', () => {
    // printf '%s' '2026-11-22T10:00:00Z{"a":1}' | openssl dgst -sha256 -hmac secret -binary | base64
    expect(signZendeskWebhook('secret', TIMESTAMP, '{"a":1}')).toBe(
      'FdN/byS1wLvCw4CrOJ9DA1IfwiBxPysww04HQ+X/B6A=',
    );
  });

  const body = '{"ticket_id":7}';
  const good = opensslSignature('s3cret', TIMESTAMP + body);
  const base = {
    secret: 's3cret',
    signature: good,
    timestamp: TIMESTAMP,
    rawBody: Buffer.from(body),
    now: NOW,
    toleranceSeconds: 300,
  };

  it.each([
    ['no signature', { signature: undefined }, 'missing_signature'],
    ['no timestamp', { timestamp: undefined }, 'missing_signature'],
    ['not base64', { signature: 'not a signature' }, 'malformed_signature'],
    ['tampered body', { rawBody: Buffer.from('{"ticket_id":8}') }, 'bad_signature'],
    ['other secret', { secret: 'other' }, 'bad_signature'],
    ['timestamp swapped after signing', { timestamp: '2026-11-22T10:00:01Z' }, 'bad_signature'],
    ['body + timestamp order', { signature: opensslSignature('s3cret', body + TIMESTAMP) }, 'bad_signature'],
    ['stale by 10 minutes', { now: new Date('2026-11-22T10:10:01Z') }, 'stale_timestamp'],
    ['from the future', { now: new Date('2026-11-22T09:54:00Z') }, 'stale_timestamp'],
  ] as const)('refuses %s', (_name, change, reason) => {
    const check = verifyZendeskSignature({ ...base, ...change });
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.reason).toBe(reason);
      expect(check.message.length).toBeGreaterThan(10);
    }
  });

  it('refuses a signed but unparseable timestamp', () => {
    const stamp = 'yesterday';
    const check = verifyZendeskSignature({
      ...base,
      timestamp: stamp,
      signature: opensslSignature('s3cret', stamp + body),
    });
    expect(check).toMatchObject({ ok: false, reason: 'malformed_signature' });
  });
});
