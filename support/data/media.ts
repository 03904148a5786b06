// The media inputs the suite sends: a 4×4 PNG and a one-second WAV of silence, the same inputs
// as runner-observed.md (img.png, audio.wav). They are made here byte for byte, without a
// compressor whose output could change between Node or zlib versions, because cassettes match
// uploads on the SHA-256 of their bytes (pinned in media.test.ts).
import { crc32 } from 'node:zlib';

/** zlib stream with one stored (uncompressed) deflate block: deterministic everywhere. */
function storedZlib(data: Uint8Array): Buffer {
  if (data.length > 0xffff) throw new Error('storedZlib: one block holds at most 65535 bytes');
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  const header = Buffer.from([0x78, 0x01, 0x01, data.length & 0xff, data.length >> 8, ~data.length & 0xff, (~data.length >> 8) & 0xff]);
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(((b << 16) | a) >>> 0);
  return Buffer.concat([header, data, adler]);
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed) >>> 0);
  return Buffer.concat([length, typed, crc]);
}

/** A size×size RGB PNG of one colour (default black). */
export function makePng(size = 4, rgb: [number, number, number] = [0, 0, 0]): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', ihdr),
      pngChunk('IDAT', storedZlib(pixels)),
      pngChunk('IEND', new Uint8Array()),
    ]),
  );
}

/** A PCM WAV of silence: 16-bit mono, `seconds` long at `rate` Hz. */
export function makeWav(seconds = 1, rate = 16_000): Uint8Array {
  const samples = Math.round(seconds * rate);
  const dataBytes = samples * 2;
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  h.writeUInt32LE(16, 16); // fmt chunk size
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28); // byte rate
  h.writeUInt16LE(2, 32); // block align
  h.writeUInt16LE(16, 34); // bits per sample
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes, 40);
  return new Uint8Array(Buffer.concat([h, Buffer.alloc(dataBytes)]));
}

export interface MediaFile {
  bytes: Uint8Array;
  filename: string;
  contentType: string;
}

/** The inputs of every multipart request, by kind of file field. */
export const MEDIA: Record<'image' | 'audio', MediaFile> = {
  image: { bytes: makePng(), filename: 'tiny.png', contentType: 'image/png' },
  audio: { bytes: makeWav(), filename: 'one-second.wav', contentType: 'audio/wav' },
};
