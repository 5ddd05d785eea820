import { describe, expect, it } from 'vitest';
import { sqliteDateTime } from './rawPage';

// The SQLite DateTime fast path (Prisma's own text, sliced instead of parsed) must give what a
// Date round trip gives, which is what findMany's decoding sends (tests/server/rawPull.test.ts
// compares whole pages on a real database).
describe('sqliteDateTime', () => {
  const viaDate = (text: string) => new Date(text.replace(/\+00:00$/, 'Z')).toISOString();

  it('equals a Date round trip for every day of leap and common years, and the ends of the range', () => {
    const texts: string[] = [];
    for (const year of ['0000', '1900', '1970', '2000', '2023', '2024', '9999']) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 1; day <= 31; day++) {
          texts.push(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T23:59:59.999+00:00`);
        }
      }
    }
    for (const text of texts) expect(sqliteDateTime(text), text).toBe(viaDate(text));
  });

  it('leaves out-of-range times and other forms to the Date path', () => {
    for (const text of [
      '2025-01-01T24:00:00.000+00:00',
      '2025-01-01T00:00:00.000+02:00',
      '2025-01-01T10:00:00+00:00',
      '2025-01-01 10:00:00.123+00:00',
      '2025-01-01T10:00:00.1234+00:00',
    ]) {
      expect(sqliteDateTime(text), text).toBe(new Date(text.replace(' ', 'T')).toISOString());
    }
    expect(() => sqliteDateTime('2025-13-01T00:00:00.000+00:00')).toThrow(RangeError);
    expect(() => sqliteDateTime('2025-01-01T00:60:00.000+00:00')).toThrow(RangeError);
    expect(sqliteDateTime('n1717171717171')).toBe('2024-05-31T16:08:37.171Z');
    expect(sqliteDateTime('2025-01-02 03:04:05')).toBe('2025-01-02T03:04:05.000Z');
  });
});
