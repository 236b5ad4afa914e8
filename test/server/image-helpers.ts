/** Shared by the image tests: pictures made with sharp, tickets, and uploads over real HTTP. */
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { UploadResult, UploadTicket } from '../../protocol/index.js';
import { ALLOWED_ORIGIN } from './helpers.js';
import type { Client } from './helpers.js';
import { ROOM } from './rich-helpers.js';

/** A JPEG whose EXIF holds GPS coordinates and a comment. */
export function jpegWithGps(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg()
    .withExif({
      IFD0: { ImageDescription: 'secret place', Make: 'TestCam' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2964/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 864/100' },
    })
    .toBuffer();
}

export function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 0, g: 120, b: 200, alpha: 1 } } }).png().toBuffer();
}

export async function ticketFor(socket: Client, room = ROOM): Promise<UploadTicket> {
  const ack = await socket.emitWithAck('media:ticket', { room });
  assert.ok(ack.ok, JSON.stringify(ack));
  return ack.data;
}

export interface UploadAnswer {
  status: number;
  headers: Headers;
  body: UploadResult | { error: { code: string; message: string } };
}

export async function upload(url: string, ticket: UploadTicket, body: Buffer, options: { origin?: string; token?: string; type?: string } = {}): Promise<UploadAnswer> {
  const response = await fetch(new URL(ticket.url, url), {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${options.token ?? ticket.token}`,
      'Content-Type': options.type ?? 'application/octet-stream',
      Origin: options.origin ?? ALLOWED_ORIGIN,
    },
    body: new Uint8Array(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as UploadAnswer['body'] };
}

export function uploaded(answer: UploadAnswer): UploadResult {
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body as UploadResult;
}

export function errorCode(answer: UploadAnswer): string {
  return 'error' in answer.body ? answer.body.error.code : 'ok';
}
