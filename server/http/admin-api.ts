/**
 * The admin REST API under `/api`: JSON in and out, small bodies only.
 *
 *   GET    /api/sites                                   admin   list sites (no secrets)
 *   POST   /api/sites                                   admin   create; answers the site with its secret
 *   GET    /api/sites/:id                               site    one site (no secret)
 *   DELETE /api/sites/:id                               admin   remove with all its data
 *   POST   /api/sites/:id/rotate-secret                 site    new secret (the old one stops working)
 *   GET    /api/sites/:id/rooms                         site    rooms with member counts
 *   GET    /api/sites/:id/rooms/:room/members           site    presence of one room
 *   DELETE /api/sites/:id/rooms/:room/messages/:msgId   site    tombstone a message
 *   GET    /api/sites/:id/bans                          site    bans and mutes in force
 *   POST   /api/sites/:id/bans                          site    ban or mute a user and/or an IP
 *   DELETE /api/sites/:id/bans/:banId                   site    lift one
 *   GET    /api/sites/:id/users/:userId/export          site    a user's profile and messages, private ones included
 *   DELETE /api/sites/:id/users/:userId                 site    erase a user
 *
 * "admin" is the server admin token; "site" is the admin token or that site's
 * secret. Errors answer `{ error: { code, message } }`. Requests are limited
 * per address, and an address whose credentials were refused too often is
 * answered 429 (with `Retry-After`) for a while, whatever it sends.
 */
import { isIP } from 'node:net';
import express, { Router } from 'express';
import type { ErrorRequestHandler, Request, Response } from 'express';
import * as v from 'valibot';
import { SITE_ID_PATTERN } from '../../protocol/index.js';
import type { Services } from '../services/index.js';
import type { Logger } from '../logger.js';
import { clientIp } from '../security/client-ip.js';
import { isOriginPattern } from '../security/origin.js';
import type { RateLimits } from '../security/rate-limits.js';
import { erasureRef } from '../services/moderation.js';
import { EDIT_WINDOW_MAX_MINUTES, UPLOAD_MAX_BYTES_LIMIT, UPLOAD_MAX_PIXELS_LIMIT, UPLOAD_QUOTA_LIMIT } from '../services/sites.js';
import type { Site } from '../storage/store.js';
import { ROOM_POLICIES } from '../storage/store.js';
import { roomName } from '../validate.js';
import { authorizeAdmin, authorizeSite } from './admin-auth.js';
import type { AdminAuth } from './admin-auth.js';

const BODY_LIMIT = '16kb';
const MAX_BAN_MS = 10 * 365 * 24 * 3600 * 1000;

export interface AdminApiDeps {
  services: Services;
  adminToken: string | undefined;
  limits: RateLimits;
  /** Trusted proxy hops in front of the server (see `clientIp`). */
  proxyHops: number;
  logger: Logger;
}

/** Longest path parameter read (room names have their own rule; site ids theirs). */
const MAX_PARAM_LENGTH = 128;

const origin = v.pipe(v.string(), v.maxLength(200), v.check(isOriginPattern, 'origins must be origins such as https://example.com or http://localhost:*'));
const room = v.pipe(v.string(), v.transform(roomName), v.string('not a valid room name'));

const newSiteSchema = v.object({
  id: v.pipe(v.string(), v.regex(SITE_ID_PATTERN, 'id must be 1-32 of a-z 0-9 - (starting with a letter or digit)')),
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
  origins: v.pipe(v.array(origin), v.maxLength(50)),
  allowNoOrigin: v.optional(v.boolean()),
  roomPolicy: v.optional(v.picklist(ROOM_POLICIES)),
  rooms: v.optional(v.pipe(v.array(room), v.maxLength(1000))),
  readOnlyRooms: v.optional(v.pipe(v.array(room), v.maxLength(1000))),
  retentionDays: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(36500))),
  rateLimitScale: v.optional(v.pipe(v.number(), v.minValue(0.01), v.maxValue(10_000))),
  editWindowMinutes: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(EDIT_WINDOW_MAX_MINUTES))),
  uploadMaxBytes: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1024), v.maxValue(UPLOAD_MAX_BYTES_LIMIT))),
  uploadMaxPixels: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(UPLOAD_MAX_PIXELS_LIMIT))),
  uploadQuotaBytes: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(UPLOAD_QUOTA_LIMIT))),
});

const banSchema = v.pipe(
  v.object({
    userId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
    ip: v.optional(v.pipe(v.string(), v.maxLength(64), v.check((ip) => isIP(ip) !== 0, 'ip must be an IPv4 or IPv6 address'))),
    kind: v.picklist(['ban', 'mute']),
    durationMs: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(MAX_BAN_MS)),
    reason: v.optional(v.pipe(v.string(), v.maxLength(200))),
  }),
  v.check((b) => b.userId !== undefined || b.ip !== undefined, 'give userId, ip or both'),
);

/** A site as the API shows it: everything but the secret and the id key. */
function publicSite({ secret: _secret, ...site }: Site): Omit<Site, 'secret' | 'idKey'> {
  return withoutIdKey(site);
}

/** The id key never leaves the server: no one needs it, and with it one could compute the id of a `sub`. */
function withoutIdKey<T extends { idKey: string }>({ idKey: _idKey, ...site }: T): Omit<T, 'idKey'> {
  return site;
}

function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

function parseBody<T extends v.GenericSchema>(schema: T, req: Request, res: Response): v.InferOutput<T> | undefined {
  const result = v.safeParse(schema, req.body, { abortEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = issue.path?.map((item) => String(item.key)).join('.') || 'body';
  sendError(res, 400, 'invalid_payload', issue.message.startsWith('Invalid ') ? `${path} is invalid` : `${path}: ${issue.message}`);
  return undefined;
}

export function adminApi({ services, adminToken, limits, proxyHops, logger }: AdminApiDeps): Router {
  const { sites, moderation, presence } = services;
  const router = Router();
  // Counted before anything is read, the body included.
  router.use(async (req, res, next) => {
    const allowed = await limits.adminRequest(clientIp(req, proxyHops));
    if (allowed.ok) return next();
    res.set('Retry-After', String(Math.ceil(allowed.retryAfterMs / 1000)));
    sendError(res, 429, 'rate_limited', 'too many requests from this address');
  });
  router.use(express.json({ limit: BODY_LIMIT }));
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  for (const param of ['room', 'messageId', 'banId', 'userId']) {
    router.param(param, (req, res, next, value: string) => {
      if (value.length > MAX_PARAM_LENGTH) return sendError(res, 400, 'invalid_payload', `${param} is too long`);
      if (param === 'room') {
        const room = roomName(value);
        if (room === undefined) return sendError(res, 400, 'invalid_room', 'not a valid room name');
        // The room as stored: a decomposed spelling in the path names the same room.
        req.params[param] = room;
      }
      next();
    });
  }

  /** Answers a refusal; unknown credentials count against the caller's address. */
  const refuse = async (req: Request, res: Response, auth: Extract<AdminAuth, { ok: false }>): Promise<void> => {
    if (auth.status === 401) {
      await limits.adminAuthFailed(clientIp(req, proxyHops));
      res.set('WWW-Authenticate', 'Bearer');
    }
    sendError(res, auth.status, auth.code, auth.message);
  };
  /** Runs `handle` when the caller is the server admin. */
  const asAdmin = (handle: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    const auth = await authorizeAdmin(req, adminToken, sites);
    if (!auth.ok) return refuse(req, res, auth);
    await handle(req, res);
  };
  /** Runs `handle` when the caller may moderate the site `:id`. */
  const asSite =
    (handle: (site: Site, req: Request<Record<string, string>>, res: Response) => Promise<void>) =>
    async (req: Request<Record<string, string>>, res: Response) => {
      const auth = await authorizeSite(req, req.params.id!, adminToken, sites);
      if (!auth.ok) return refuse(req, res, auth);
      await handle(auth.site!, req, res);
    };

  router.get('/sites', asAdmin(async (_req, res) => {
    res.json({ sites: (await sites.list()).map(publicSite) });
  }));

  router.post('/sites', asAdmin(async (req, res) => {
    const fields = parseBody(newSiteSchema, req, res);
    if (!fields) return;
    const site = await sites.create(fields);
    if (!site) return sendError(res, 409, 'conflict', 'a site with this id exists');
    logger.info('site created', { site: site.id });
    res.status(201).json({ site: withoutIdKey(site) });
  }));

  router.get('/sites/:id', asSite(async (site, _req, res) => {
    res.json({ site: publicSite(site) });
  }));

  router.delete('/sites/:id', asAdmin(async (req, res) => {
    const id = String(req.params.id);
    if (!(await sites.remove(id))) return sendError(res, 404, 'not_found', 'no such site');
    logger.info('site removed', { site: id });
    res.status(204).end();
  }));

  router.post('/sites/:id/rotate-secret', asSite(async (site, _req, res) => {
    const rotated = await sites.rotateSecret(site.id);
    logger.info('site secret rotated', { site: site.id });
    res.json({ site: rotated && withoutIdKey(rotated) });
  }));

  router.get('/sites/:id/rooms', asSite(async (site, _req, res) => {
    res.json({ rooms: await presence.rooms(site.id) });
  }));

  router.get('/sites/:id/rooms/:room/members', asSite(async (site, req, res) => {
    res.json(await presence.overview(site.id, req.params.room!));
  }));

  router.delete('/sites/:id/rooms/:room/messages/:messageId', asSite(async (site, req, res) => {
    const result = await moderation.deleteMessage(site.id, req.params.room!, req.params.messageId!);
    if (!result.ok) return sendError(res, 404, result.error.code, result.error.message);
    logger.info('message deleted through the admin API', { site: site.id, ...result.data });
    res.json({ deleted: result.data });
  }));

  router.get('/sites/:id/bans', asSite(async (site, _req, res) => {
    res.json({ bans: await services.bans.active(site.id) });
  }));

  router.post('/sites/:id/bans', asSite(async (site, req, res) => {
    const request = parseBody(banSchema, req, res);
    if (!request) return;
    const ban = await moderation.ban(site.id, request);
    logger.info('ban added through the admin API', { site: site.id, ban: ban.id, kind: ban.kind });
    res.status(201).json({ ban });
  }));

  router.delete('/sites/:id/bans/:banId', asSite(async (site, req, res) => {
    if (!(await moderation.unban(site.id, req.params.banId!))) return sendError(res, 404, 'not_found', 'no such ban');
    res.status(204).end();
  }));

  router.get('/sites/:id/users/:userId/export', asSite(async (site, req, res) => {
    const data = await moderation.exportUser(site.id, req.params.userId!);
    if (!data.user && data.messages.length === 0) return sendError(res, 404, 'not_found', 'no such user');
    res.set('Content-Disposition', 'attachment; filename="user-export.json"').json({ site: site.id, ...data });
  }));

  router.delete('/sites/:id/users/:userId', asSite(async (site, req, res) => {
    const erased = await moderation.eraseUser(site.id, req.params.userId!);
    logger.info('user erased through the admin API', { site: site.id, user: erasureRef(site.id, req.params.userId!), ...erased });
    res.json({ erased });
  }));

  router.use((_req, res) => sendError(res, 404, 'not_found', 'no such endpoint'));
  const onError: ErrorRequestHandler = (err: { status?: number; type?: string }, _req, res, _next) => {
    if (err.status === 413) return sendError(res, 413, 'payload_too_large', `bodies are limited to ${BODY_LIMIT}`);
    if (err.status === 400) return sendError(res, 400, 'invalid_payload', 'the body is not valid JSON');
    logger.error('admin API failed', { err });
    sendError(res, 500, 'internal_error', 'the server failed');
  };
  router.use(onError);
  return router;
}
