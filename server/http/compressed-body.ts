/**
 * Sends a small body made at request time (the demo's pages, templated with
 * the chat server's URL) in the best coding the request accepts. Each coding
 * is compressed once per distinct body and kept in a bounded cache, so a page
 * costs brotli's best quality once, not on every request.
 */
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { acceptedCodings, compress } from './content-coding.js';
import type { ContentCoding } from './content-coding.js';

/** Distinct bodies kept; the demo has a handful of files, each a few KB. */
const CACHE_ENTRIES = 64;

export class CompressedBodies {
  private readonly cache = new Map<string, Promise<Buffer>>();

  /** Answers 304 when `If-None-Match` names this body in this coding; HEAD gets the headers only. */
  async send(req: Request, res: Response, body: Buffer, contentType: string): Promise<void> {
    const hash = createHash('sha256').update(body).digest('base64url').slice(0, 22);
    const coding = acceptedCodings(req.get('Accept-Encoding'))[0] ?? 'identity';
    const encoded = coding === 'identity' ? body : await this.encoded(hash, coding, body);
    res.vary('Accept-Encoding');
    res.set({ 'Content-Type': contentType, ETag: `"${hash}-${coding}"` });
    if (coding !== 'identity') res.set('Content-Encoding', coding);
    // res.send answers 304 itself when the request is fresh against this ETag.
    res.send(encoded);
  }

  private encoded(hash: string, coding: Exclude<ContentCoding, 'identity'>, body: Buffer): Promise<Buffer> {
    const key = `${hash}-${coding}`;
    let entry = this.cache.get(key);
    if (entry === undefined) {
      entry = compress(coding, body);
      if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, entry);
      entry.catch(() => this.cache.delete(key));
    } else {
      // Map order is insertion order: re-inserting keeps the oldest-used first to go.
      this.cache.delete(key);
      this.cache.set(key, entry);
    }
    return entry;
  }
}
