/**
 * Checks and re-encodes an uploaded image. The type comes from the bytes
 * (magic numbers), then a real decode by sharp must agree with it; the
 * re-encode keeps no metadata (sharp writes none unless asked: EXIF with its
 * GPS tags, XMP, ICC comments all go) after applying the EXIF orientation
 * (`rotate()`). GIFs stay animated (sharp reads and writes every frame).
 *
 * Decoding and encoding run in libvips on libuv's thread pool, never on the
 * event loop; `ImageCodec` bounds how many run at once and how many wait.
 */
import sharp from 'sharp';
import { ErrorCode, THUMBNAIL_MAX_SIDE } from '../../protocol/index.js';
import type { ImageInfo } from '../../protocol/index.js';

export type ImageType = ImageInfo['type'];

export interface EncodedImage {
  type: ImageType;
  body: Buffer;
  width: number;
  height: number;
  thumb: Buffer;
  thumbWidth: number;
  thumbHeight: number;
}

export type CodecError = typeof ErrorCode.ImageInvalid | typeof ErrorCode.ImageTooManyPixels | typeof ErrorCode.RateLimited;
export type CodecResult = { ok: true; image: EncodedImage } | { ok: false; code: CodecError };

/** The type the bytes say they are, by their first bytes only. */
export function sniffImageType(bytes: Buffer): ImageType | undefined {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const head6 = bytes.subarray(0, 6).toString('latin1');
  if (head6 === 'GIF87a' || head6 === 'GIF89a') return 'image/gif';
  if (bytes.length >= 12 && bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return undefined;
}

const SHARP_FORMAT: Record<ImageType, keyof sharp.FormatEnum> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** One decode + re-encode + thumbnail, in libvips' threads. */
export async function encodeImage(bytes: Buffer, maxPixels: number): Promise<CodecResult> {
  const type = sniffImageType(bytes);
  if (!type) return { ok: false, code: ErrorCode.ImageInvalid };
  const animated = type === 'image/gif' || type === 'image/webp';
  const input = { limitInputPixels: maxPixels, animated, failOn: 'warning' as const };
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, input).metadata();
  } catch (err) {
    return { ok: false, code: refusal(err) };
  }
  if (meta.format !== SHARP_FORMAT[type] || !meta.width || !meta.height) return { ok: false, code: ErrorCode.ImageInvalid };
  const frameHeight = meta.pageHeight ?? meta.height;
  // Every frame counts: a small file of many large frames is a bomb too.
  if (meta.width * frameHeight * (meta.pages ?? 1) > maxPixels) return { ok: false, code: ErrorCode.ImageTooManyPixels };
  try {
    const full = await sharp(bytes, input).rotate().toFormat(SHARP_FORMAT[type]).toBuffer({ resolveWithObject: true });
    const thumb = await sharp(full.data, { animated, limitInputPixels: maxPixels })
      .resize({ width: THUMBNAIL_MAX_SIDE, height: THUMBNAIL_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .toFormat(SHARP_FORMAT[type])
      .toBuffer({ resolveWithObject: true });
    const height = full.info.pageHeight ?? full.info.height;
    return {
      ok: true,
      image: {
        type,
        body: full.data,
        width: full.info.width,
        height,
        thumb: thumb.data,
        thumbWidth: thumb.info.width,
        thumbHeight: thumb.info.pageHeight ?? thumb.info.height,
      },
    };
  } catch (err) {
    return { ok: false, code: refusal(err) };
  }
}

/** sharp's `limitInputPixels` refusal says so; anything else it cannot read is not a whole image. */
function refusal(err: unknown): CodecError {
  return err instanceof Error && /pixel limit/i.test(err.message) ? ErrorCode.ImageTooManyPixels : ErrorCode.ImageInvalid;
}

/** At most `active` images in the codec at once and `waiting` queued; past that, `rate_limited` (the server is busy). */
export class ImageCodec {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly active = 2,
    private readonly waiting = 16,
  ) {}

  async encode(bytes: Buffer, maxPixels: number): Promise<CodecResult> {
    if (this.running >= this.active) {
      if (this.queue.length >= this.waiting) return { ok: false, code: ErrorCode.RateLimited };
      await new Promise<void>((resolve) => this.queue.push(resolve));
    }
    this.running++;
    try {
      return await encodeImage(bytes, maxPixels);
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }
}
