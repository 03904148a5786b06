// The media inputs are part of every multipart cassette (matched by SHA-256): they must not drift.
import { inflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { MEDIA, makePng, makeWav } from './media.ts';
import { sha256 } from '../http/wire.ts';

describe('media inputs', () => {
  test('the 4×4 PNG is a valid PNG whose pixel data inflates to 4 rows of 1 + 12 bytes', () => {
    const png = Buffer.from(makePng());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(4); // width
    expect(png.readUInt32BE(20)).toBe(4); // height
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('latin1')).toBe('IDAT');
    expect(inflateSync(png.subarray(41, 41 + idatLength))).toEqual(Buffer.alloc(4 * 13));
  });

  test('the WAV is one second of 16 kHz, 16-bit mono silence', () => {
    const wav = Buffer.from(makeWav());
    expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(16_000);
    expect(wav.readUInt16LE(22)).toBe(1);
    expect(wav.readUInt32LE(40)).toBe(32_000);
    expect(wav.length).toBe(32_044);
  });

  test('their bytes are pinned: cassettes match uploads on these hashes', () => {
    expect({ image: sha256(MEDIA.image.bytes), audio: sha256(MEDIA.audio.bytes) }).toMatchInlineSnapshot(`
      {
        "audio": "643f8a8dc8bd9c19225afffad2becfec5426180b3749cb208abdf1a6c8354efc",
        "image": "5fdf52b823829b8847e5de634b7bfaeef3c82f38c1055e0077b37ac48444c449",
      }
    `);
  });
});
