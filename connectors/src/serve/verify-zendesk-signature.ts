import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a webhook request was refused; each maps to one HTTP status in the server. */
export type SignatureRejection =
  'missing_signature' | 'malformed_signature' | 'bad_signature' | 'stale_timestamp';

export type SignatureCheck =
  | { readonly ok: true; readonly signedAt: Date }
  | { readonly ok: false; readonly reason: SignatureRejection; readonly message: string };

export interface SignatureInput {
  readonly secret: string;
  /** Raw `X-Zendesk-Webhook-Signature` header (base64). */
  readonly signature: string | undefined;
  /** Raw `X-Zendesk-Webhook-Signature-Timestamp` header (ISO 8601, as Zendesk sends it). */
  readonly timestamp: string | undefined;
  /** The request body exactly as received. GET/DELETE without a body: an empty buffer. */
  readonly rawBody: Buffer;
  readonly now: Date;
  /** How far the timestamp may be from `now`, either way. */
  readonly toleranceSeconds: number;
}

const BASE64 = /^[A-Za-z0-9+/]{43}=$/;

/** base64(HMAC-SHA256(secret, timestamp + rawBody)) — Zendesk's webhook signature. */
export function signZendeskWebhook(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(timestamp).update(rawBody).digest('base64');
}

/**
 * Checks a Zendesk webhook signature in constant time, then its timestamp against the replay window.
 * The signature is checked first so an attacker learns nothing about the clock from a forged request.
 */
export function verifyZendeskSignature(input: SignatureInput): SignatureCheck {
  const { signature, timestamp } = input;
  if (signature === undefined || signature === '' || timestamp === undefined || timestamp === '') {
    return {
      ok: false,
      reason: 'missing_signature',
      message: 'X-Zendesk-Webhook-Signature and X-Zendesk-Webhook-Signature-Timestamp are both required.',
    };
  }
  if (!BASE64.test(signature)) {
    return {
      ok: false,
      reason: 'malformed_signature',
      message: 'X-Zendesk-Webhook-Signature is not a base64 SHA-256 digest.',
    };
  }
  const expected = createHmac('sha256', input.secret).update(timestamp).update(input.rawBody).digest();
  const given = Buffer.from(signature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      ok: false,
      reason: 'bad_signature',
      message: 'The webhook signature does not match its body and timestamp.',
    };
  }
  const signedAt = parseSignatureTimestamp(timestamp);
  if (signedAt === null) {
    return {
      ok: false,
      reason: 'malformed_signature',
      message: `X-Zendesk-Webhook-Signature-Timestamp "${timestamp}" is not a date.`,
    };
  }
  const skewSeconds = Math.abs(input.now.getTime() - signedAt.getTime()) / 1000;
  if (skewSeconds > input.toleranceSeconds) {
    return {
      ok: false,
      reason: 'stale_timestamp',
      message: `The webhook was signed ${Math.round(skewSeconds)} s away from now; the window is ${input.toleranceSeconds} s.`,
    };
  }
  return { ok: true, signedAt };
}

/** ISO 8601 (Zendesk's format) or whole epoch seconds. */
function parseSignatureTimestamp(raw: string): Date | null {
  if (/^\d{9,11}$/.test(raw)) return new Date(Number(raw) * 1000);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(raw)) return null;
  const date = new Date(raw);
  return Number.isNaN(date.getTime()) ? null : date;
}
