/** OAuth 2.0 and SOAP login for the emulator: credentials, sessions, refresh tokens, JWT bearer. */
import { type KeyObject, createPublicKey, randomBytes, verify } from 'node:crypto';
import type { EmulatorClock } from './clock.ts';
import { KEY_PREFIX, makeId } from './ids.ts';

export interface SalesforceCredentials {
  /** Connected app consumer key. */
  readonly clientId: string;
  /** Connected app consumer secret. */
  readonly clientSecret: string;
  readonly username: string;
  readonly password: string;
  /** Appended to the password by the username-password flows (either form is accepted). */
  readonly securityToken: string;
}

/** The credentials the emulator accepts unless told otherwise. Not secrets: a local stand-in's defaults. */
export const SALESFORCE_SANDBOX_CREDENTIALS: SalesforceCredentials = {
  clientId: '3MVG9boucle.sandbox.consumer.key',
  clientSecret: 'boucle-sandbox-consumer-secret',
  username: 'integration@boucle.example',
  password: 'boucle-sandbox-password',
  securityToken: 'BOUCLESANDBOXTOKEN',
};

export const ORG_ID = makeId(KEY_PREFIX.Organization, 1);
export const USER_ID = makeId(KEY_PREFIX.User, 1);

export interface Session {
  readonly accessToken: string;
  readonly issuedAt: number;
  expiresAt: number;
  readonly grant: string;
}

export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  readonly description: string;
  constructor(status: number, error: string, description: string) {
    super(`${error}: ${description}`);
    this.status = status;
    this.error = error;
    this.description = description;
  }
}

export interface AuthOptions {
  readonly credentials: SalesforceCredentials;
  readonly sessionTtlMs: number;
  readonly jwtPublicKey: KeyObject | null;
  readonly clock: EmulatorClock;
}

export class AuthService {
  readonly sessions = new Map<string, Session>();
  readonly refreshTokens = new Set<string>();
  readonly authorizationCodes = new Map<string, number>();
  private readonly options: AuthOptions;

  constructor(options: AuthOptions) {
    this.options = options;
  }

  get credentials(): SalesforceCredentials {
    return this.options.credentials;
  }

  /** A new session (access token) as any successful grant issues it. */
  issueSession(grant: string): Session {
    const now = this.options.clock.now();
    const token = `${ORG_ID.slice(0, 15)}!${randomBytes(36).toString('base64url')}`;
    const session: Session = {
      accessToken: token,
      issuedAt: now,
      expiresAt: now + this.options.sessionTtlMs,
      grant,
    };
    this.sessions.set(token, session);
    return session;
  }

  issueRefreshToken(): string {
    const token = `5Aep861${randomBytes(40).toString('base64url')}`;
    this.refreshTokens.add(token);
    return token;
  }

  issueAuthorizationCode(): string {
    const code = `aPrx${randomBytes(24).toString('base64url')}`;
    this.authorizationCodes.set(code, this.options.clock.now() + 15 * 60_000);
    return code;
  }

  /** The live session of a bearer token, or null (unknown, revoked or expired). */
  check(token: string): Session | null {
    const session = this.sessions.get(token);
    if (session === undefined) return null;
    const now = this.options.clock.now();
    if (session.expiresAt <= now) {
      this.sessions.delete(token);
      return null;
    }
    session.expiresAt = now + this.options.sessionTtlMs; // the timeout counts from the last use
    return session;
  }

  expireAllSessions(): void {
    this.sessions.clear();
  }

  revoke(token: string): boolean {
    return this.sessions.delete(token) || this.refreshTokens.delete(token);
  }

  private checkClient(params: URLSearchParams, secretRequired: boolean): void {
    const { clientId, clientSecret } = this.options.credentials;
    if (params.get('client_id') !== clientId)
      throw new OAuthError(400, 'invalid_client_id', 'client identifier invalid');
    const secret = params.get('client_secret');
    if ((secretRequired || secret !== null) && secret !== clientSecret) {
      throw new OAuthError(400, 'invalid_client', 'invalid client credentials');
    }
  }

  private checkPassword(username: string | null, password: string | null): boolean {
    const c = this.options.credentials;
    return (
      username !== null &&
      username.toLowerCase() === c.username.toLowerCase() &&
      (password === c.password || password === c.password + c.securityToken)
    );
  }

  /** POST /services/oauth2/token: returns the token response or throws an OAuthError. */
  token(params: URLSearchParams, baseUrl: string): Record<string, string> {
    const grant = params.get('grant_type') ?? '';
    let refreshToken: string | null = null;
    switch (grant) {
      case 'password':
        this.checkClient(params, true);
        if (!this.checkPassword(params.get('username'), params.get('password'))) {
          throw new OAuthError(400, 'invalid_grant', 'authentication failure');
        }
        break;
      case 'client_credentials':
        this.checkClient(params, true);
        break;
      case 'refresh_token': {
        this.checkClient(params, false);
        const token = params.get('refresh_token') ?? '';
        if (!this.refreshTokens.has(token))
          throw new OAuthError(400, 'invalid_grant', 'expired access/refresh token');
        break;
      }
      case 'authorization_code': {
        this.checkClient(params, true);
        const code = params.get('code') ?? '';
        const expires = this.authorizationCodes.get(code);
        this.authorizationCodes.delete(code);
        if (expires === undefined || expires < this.options.clock.now()) {
          throw new OAuthError(400, 'invalid_grant', 'invalid authorization code');
        }
        refreshToken = this.issueRefreshToken();
        break;
      }
      case 'urn:ietf:params:oauth:grant-type:jwt-bearer':
        this.checkJwt(params.get('assertion') ?? '', baseUrl);
        break;
      default:
        throw new OAuthError(400, 'unsupported_grant_type', 'grant type not supported');
    }
    const session = this.issueSession(grant);
    return {
      access_token: session.accessToken,
      ...(refreshToken === null ? {} : { refresh_token: refreshToken }),
      instance_url: baseUrl,
      id: `${baseUrl}/id/${ORG_ID}/${USER_ID}`,
      token_type: 'Bearer',
      issued_at: String(session.issuedAt),
      signature: randomBytes(32).toString('base64'),
      scope: 'api refresh_token',
    };
  }

  private checkJwt(assertion: string, baseUrl: string): void {
    const invalid = (description = 'invalid assertion'): OAuthError =>
      new OAuthError(400, 'invalid_grant', description);
    const parts = assertion.split('.');
    if (parts.length !== 3) throw invalid();
    const [h, p, s] = parts as [string, string, string];
    let header: { alg?: unknown };
    let claims: { iss?: unknown; sub?: unknown; aud?: unknown; exp?: unknown };
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as typeof header;
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      throw invalid();
    }
    if (header.alg !== 'RS256') throw invalid();
    const key = this.options.jwtPublicKey;
    if (key === null || !verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))) {
      throw invalid();
    }
    const c = this.options.credentials;
    if (claims.iss !== c.clientId)
      throw new OAuthError(400, 'invalid_client_id', 'client identifier invalid');
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((a) => typeof a === 'string' && a.replace(/\/$/, '') === baseUrl)) {
      throw invalid('audience is invalid');
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.options.clock.now()) {
      throw invalid('expired authorization code');
    }
    if (typeof claims.sub !== 'string' || claims.sub.toLowerCase() !== c.username.toLowerCase()) {
      throw invalid("user hasn't approved this consumer");
    }
  }

  /** SOAP login(): the session id, or null for INVALID_LOGIN. */
  soapLogin(username: string | null, password: string | null): Session | null {
    return this.checkPassword(username, password) ? this.issueSession('soap') : null;
  }
}

/** Accepts a PEM string or a KeyObject. */
export function toPublicKey(key: string | KeyObject | undefined): KeyObject | null {
  if (key === undefined) return null;
  return typeof key === 'string' ? createPublicKey(key) : key;
}
