/**
 * Images: tickets for a socket, the HTTP upload behind them, the claim of an
 * upload by `message:send`, and the sweep that removes uploads no message
 * keeps (deleted, erased, pruned, never sent) with their files.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ErrorCode, IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS, UPLOAD_TICKET_MS } from '../../protocol/index.js';
import type { Ack, ImageInfo, UploadResult, UploadTicket } from '../../protocol/index.js';
import { fail, ok } from '../result.js';
import type { ChatStore, Site } from '../storage/store.js';
import type { ImageCodec, ImageType } from './image-codec.js';
import type { MediaFiles } from './media-files.js';
import { signTicket, verifyTicket } from './ticket.js';

/** A site's stored images together, unless it sets `uploadQuotaBytes`. */
export const UPLOAD_QUOTA_BYTES = 1024 ** 3;
/** An upload no message carries is removed after this long. */
export const UNUSED_UPLOAD_MS = 24 * 60 * 60_000;
const SWEEP_BATCH = 500;
/**
 * A site's sweeps asked for by deletions run at most this often: a sweep reads
 * the site's uploads, so a burst of deletions (a visitor deleting their own
 * messages) costs one sweep per gap, not one each.
 */
export const SWEEP_GAP_MS = 300;

const EXTENSIONS: Record<ImageType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif' };
export const TYPE_OF_EXTENSION: Record<string, ImageType> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };

export function uploadLimits(site: Site) {
  return {
    maxBytes: site.uploadMaxBytes ?? IMAGE_MAX_BYTES,
    maxPixels: site.uploadMaxPixels ?? IMAGE_MAX_PIXELS,
    quota: site.uploadQuotaBytes ?? UPLOAD_QUOTA_BYTES,
  };
}

/** A refused upload: its error code and HTTP status. */
export interface UploadRefusal {
  status: number;
  code: ErrorCode;
  message: string;
}

export class MediaService {
  /** Signatures of tickets already used on this node, until they expire: one upload per ticket. */
  private readonly spent = new Map<string, number>();

  constructor(
    private readonly store: ChatStore,
    private readonly files: MediaFiles,
    private readonly codec: ImageCodec,
  ) {}

  async ticket(site: Site, user: string, room: string, now = Date.now()): Promise<Ack<UploadTicket>> {
    const { maxBytes, maxPixels, quota } = uploadLimits(site);
    if ((await this.store.uploadBytes(site.id)) >= quota) return fail(ErrorCode.UploadQuota, 'this site stores no more images for now');
    const expiresAt = now + UPLOAD_TICKET_MS;
    const token = signTicket(site.idKey, { site: site.id, user, room, exp: expiresAt });
    return ok({ url: `/media/${site.id}/uploads`, token, expiresAt, maxBytes, maxPixels });
  }

  /** The ticket's user, when the ticket holds and was not used yet. */
  admit(site: Site, token: string, now = Date.now()): { user: string } | undefined {
    const claims = verifyTicket(token, site.id, site.idKey, now);
    if (!claims) return undefined;
    for (const [sig, exp] of this.spent) if (exp <= now) this.spent.delete(sig);
    if (this.spent.has(token)) return undefined;
    this.spent.set(token, claims.exp);
    return { user: claims.user };
  }

  async upload(site: Site, user: string, bytes: Buffer): Promise<UploadResult | UploadRefusal> {
    const { maxPixels, quota } = uploadLimits(site);
    const encoded = await this.codec.encode(bytes, maxPixels);
    if (!encoded.ok) {
      if (encoded.code === ErrorCode.RateLimited) return { status: 503, code: encoded.code, message: 'the server is busy with other images: retry shortly' };
      if (encoded.code === ErrorCode.ImageTooManyPixels) return { status: 413, code: encoded.code, message: `the picture has more than ${maxPixels} pixels` };
      return { status: 415, code: encoded.code, message: 'the file is not a whole PNG, JPEG, WebP or GIF image' };
    }
    const { image: e } = encoded;
    const stored = e.body.length + e.thumb.length;
    if ((await this.store.uploadBytes(site.id)) + stored > quota) return { status: 413, code: ErrorCode.UploadQuota, message: 'this site stores no more images for now' };
    const id = createHash('sha256').update(e.body).digest('hex');
    const ext = EXTENSIONS[e.type];
    await this.files.put(site.id, `${id}.${ext}`, e.body);
    await this.files.put(site.id, `${id}.thumb.${ext}`, e.thumb);
    const image: ImageInfo = {
      id,
      url: `/media/${site.id}/${id}.${ext}`,
      type: e.type,
      width: e.width,
      height: e.height,
      bytes: e.body.length,
      thumbUrl: `/media/${site.id}/${id}.thumb.${ext}`,
      thumbWidth: e.thumbWidth,
      thumbHeight: e.thumbHeight,
    };
    const uploadId = randomBytes(16).toString('base64url');
    await this.store.addUpload(site.id, { id: uploadId, user, image, bytes: stored, created: Date.now() });
    return { uploadId, image };
  }

  /** The image of the user's upload for the send `clientId` (a retry of that send claims it again); `unknown_upload` otherwise. */
  async claim(site: string, user: string, uploadId: string, clientId: string): Promise<Ack<ImageInfo>> {
    const upload = await this.store.getUpload(site, uploadId);
    if (!upload || !(await this.store.claimUpload(site, uploadId, user, clientId))) {
      return fail(ErrorCode.UnknownUpload, 'no upload of yours by that id that no other message carries');
    }
    return ok(upload.image);
  }

  async attach(site: string, uploadId: string, messageId: string): Promise<void> {
    await this.store.setUploadMessage(site, uploadId, messageId);
  }

  /** Sites with a sweep asked for and not yet run, and when each site's last asked-for sweep started. */
  readonly #due = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #swept = new Map<string, number>();

  /**
   * After a deletion or an erase: the site's images no message keeps go soon
   * (within `SWEEP_GAP_MS`) rather than at the next periodic sweep, however many ask.
   */
  sweepSoon(site: string, failed: (err: unknown) => void): void {
    if (this.#due.has(site)) return;
    const wait = Math.max(0, (this.#swept.get(site) ?? 0) + SWEEP_GAP_MS - Date.now());
    const timer = setTimeout(() => {
      this.#due.delete(site);
      this.#swept.set(site, Date.now());
      this.sweep(site).catch(failed);
    }, wait);
    timer.unref();
    this.#due.set(site, timer);
  }

  /** Drops the sweeps asked for and not yet run (the server is closing; the next start's sweep does their work). */
  stop(): void {
    for (const timer of this.#due.values()) clearTimeout(timer);
    this.#due.clear();
  }

  /** Removes the uploads no message keeps, and the files of content addresses no upload holds any more. */
  async sweep(site: string, now = Date.now()): Promise<number> {
    const { removed, unreferenced } = await this.store.releaseUploads(site, now - UNUSED_UPLOAD_MS, SWEEP_BATCH);
    for (const id of unreferenced) {
      for (const ext of Object.values(EXTENSIONS)) {
        await this.files.remove(site, `${id}.${ext}`);
        await this.files.remove(site, `${id}.thumb.${ext}`);
      }
    }
    return removed;
  }

  open(site: string, name: string) {
    return this.files.open(site, name);
  }
}
