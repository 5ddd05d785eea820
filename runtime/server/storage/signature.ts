import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 tokens for upload tickets and read URLs: `<payload>.<mac>`,
 * both base64url. The payload is JSON; whoever holds the secret can mint
 * them, so it stays on the server.
 */
export class Signer {
  private readonly secret: Buffer;

  constructor(secret: string | Uint8Array) {
    this.secret = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
    // Guessable secrets make every token forgeable (RFC 2104 §3: at least the hash output length).
    if (this.secret.length < 32) throw new Error('trackhub-sync: the storage secret needs at least 32 bytes');
  }

  /** The MAC of `text`, base64url. */
  mac(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('base64url');
  }

  /** True when `mac` is the MAC of `text` (constant-time). */
  verifyMac(text: string, mac: string): boolean {
    const expected = Buffer.from(this.mac(text));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** A token carrying `payload`. */
  sign(payload: object): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The payload of a token this signer made, or null when it is forged or malformed. */
  verify<T>(token: string): T | null {
    const dot = token.indexOf('.');
    if (dot <= 0) return null;
    const body = token.slice(0, dot);
    if (!this.verifyMac(body, token.slice(dot + 1))) return null;
    try {
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
    } catch {
      return null;
    }
  }
}
