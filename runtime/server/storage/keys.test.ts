import { describe, expect, it } from 'vitest';
import { acceptsType } from './accept';
import { ownsUploadKey, parseUploadKey, uploadKey } from './keys';
import { Signer } from './signature';

const upload = '0b9a4f6e-3c2d-4e1f-9a8b-7c6d5e4f3a2b';
const auth = (tenantId: string) => ({ tenantId, userId: null });

describe('upload keys', () => {
  it('are t/<tenant>/<uploadId>, derived, and owned only by their tenant', () => {
    expect(uploadKey('acme', upload)).toBe(`t/acme/${upload}`);
    expect(uploadKey('a/b c', upload.toUpperCase())).toBe(`t/a%2Fb%20c/${upload}`);
    expect(parseUploadKey(uploadKey('a/b c', upload))).toEqual({ tenantId: 'a/b c', uploadId: upload });
    expect(ownsUploadKey(auth('acme'), `t/acme/${upload}`)).toBe(true);
    expect(ownsUploadKey(auth('acme'), `t/acme2/${upload}`)).toBe(false);
    expect(ownsUploadKey(auth('a/b'), `t/a/b/${upload}`)).toBe(false);
    // Another spelling of the same prefix, a non-UUID or extra segments: nobody's key.
    for (const key of [`t/%61cme/${upload}`, 't/acme/not-a-uuid', `t/acme/${upload}/x`, `t/acme/${upload.toUpperCase()}`, `x/acme/${upload}`]) {
      expect(parseUploadKey(key), key).toBeNull();
    }
    expect(() => uploadKey('acme', '../../etc')).toThrow(/not a UUID/);
  });
});

describe('acceptsType', () => {
  it('matches exact types and wildcards, ignoring parameters and case', () => {
    const accept = ['image/*', 'application/pdf'];
    expect(acceptsType(accept, 'image/png')).toBe(true);
    expect(acceptsType(accept, 'Application/PDF; name=x')).toBe(true);
    expect(acceptsType(accept, 'text/html')).toBe(false);
    expect(acceptsType(accept, 'image')).toBe(false);
  });
});

describe('Signer', () => {
  it('verifies its own tokens and refuses tampered or foreign ones', () => {
    const signer = new Signer('s'.repeat(32));
    const token = signer.sign({ k: 'key', e: 1 });
    expect(signer.verify(token)).toEqual({ k: 'key', e: 1 });
    const [body, mac] = token.split('.');
    const other = Buffer.from(JSON.stringify({ k: 'other', e: 1 })).toString('base64url');
    expect(signer.verify(`${other}.${mac}`)).toBeNull();
    expect(signer.verify(`${body}.${mac!.slice(1)}`)).toBeNull();
    expect(new Signer('t'.repeat(32)).verify(token)).toBeNull();
    expect(() => new Signer('short')).toThrow(/32 bytes/);
  });
});
