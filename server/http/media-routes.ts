/**
 * Images over HTTP: `POST /media/<site>/uploads` (the bytes as the body,
 * `Authorization: Bearer <ticket>`, CORS for the site's origins only) and
 * `GET /media/<site>/<sha256>[.thumb].<ext>` (any origin may show them; the
 * headers keep a browser from taking them for anything but an image).
 */
import type { IncomingMessage } from 'node:http';
import { Router } from 'express';
import type { Request, Response } from 'express';
import { ErrorCode } from '../../protocol/index.js';
import type { MediaService, UploadRefusal } from '../media/media-service.js';
import { TYPE_OF_EXTENSION, uploadLimits } from '../media/media-service.js';
import { isOriginAcceptedBy } from '../security/origin.js';
import type { SiteRegistry } from '../services/sites.js';

export interface MediaRouteDeps {
  media: MediaService;
  sites: SiteRegistry;
}

const FILE_NAME = /^([0-9a-f]{64})(\.thumb)?\.(png|jpg|webp|gif)$/;
const SITE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/i;
const PREFLIGHT_MAX_AGE_S = 600;

function refuse(res: Response, { status, code, message }: UploadRefusal): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error: { code, message } });
}

/** The body, or `undefined` once it passed `max` bytes (then the rest is drained, not kept). */
function readCapped(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', reject);
  });
}

export function mediaRoutes({ media, sites }: MediaRouteDeps): Router {
  const router = Router();

  /** CORS for the site's origins: answers whether the request may go on. */
  const cors = async (req: Request, res: Response) => {
    const siteId = String(req.params.site ?? '');
    const site = SITE_ID.test(siteId) ? await sites.get(siteId) : undefined;
    if (!site) {
      refuse(res, { status: 404, code: ErrorCode.UnknownSite, message: 'no such site' });
      return undefined;
    }
    const origin = req.get('Origin');
    if (!isOriginAcceptedBy(origin, site)) {
      refuse(res, { status: 403, code: ErrorCode.OriginNotAllowed, message: 'this origin may not upload to this site' });
      return undefined;
    }
    if (origin !== undefined) res.set({ 'Access-Control-Allow-Origin': origin, Vary: 'Origin' });
    return site;
  };

  router.options('/media/:site/uploads', async (req, res) => {
    if (!(await cors(req, res))) return;
    res
      .set({
        'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
        'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_S),
      })
      .status(204)
      .end();
  });

  router.post('/media/:site/uploads', async (req, res, next) => {
    try {
      const site = await cors(req, res);
      if (!site) return void req.resume();
      const bearer = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(req.get('Authorization') ?? '');
      const ticket = bearer && media.admit(site, bearer[1]!);
      if (!ticket) {
        req.resume();
        return refuse(res, { status: 401, code: ErrorCode.TicketInvalid, message: 'the upload ticket is missing, expired, used or not for this site' });
      }
      const { maxBytes } = uploadLimits(site);
      const tooLarge = { status: 413, code: ErrorCode.ImageTooLarge, message: `the file is larger than ${maxBytes} bytes` };
      const declared = Number(req.get('Content-Length') ?? '0');
      if (declared > maxBytes) {
        res.set('Connection', 'close');
        req.resume();
        return refuse(res, tooLarge);
      }
      const body = await readCapped(req, maxBytes);
      if (!body) {
        res.set('Connection', 'close');
        return refuse(res, tooLarge);
      }
      const result = await media.upload(site, ticket.user, body);
      if ('status' in result) return refuse(res, result);
      res.status(201).set('Cache-Control', 'no-store').json(result);
    } catch (err) {
      next(err);
    }
  });

  router.get('/media/:site/:file', async (req, res, next) => {
    try {
      const fileName = String(req.params.file);
      const siteId = String(req.params.site);
      const name = FILE_NAME.exec(fileName);
      if (!name || !SITE_ID.test(siteId)) return void res.status(404).end();
      const file = await media.open(siteId, fileName);
      if (!file) return void res.status(404).set('Cache-Control', 'no-store').end();
      res.set({
        'Content-Type': TYPE_OF_EXTENSION[name[3]!],
        'Content-Length': String(file.length),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'public, max-age=31536000, immutable',
        'Cross-Origin-Resource-Policy': 'cross-origin',
        'Content-Disposition': 'inline',
      });
      file.stream.on('error', next).pipe(res);
    } catch (err) {
      next(err);
    }
  });

  return router;
}
