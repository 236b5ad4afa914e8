/**
 * One image upload (loaded on first use): a `media:ticket` for the room, the
 * file's size checked against the ticket's limit, then its bytes POSTed over
 * HTTP to the chat server with the ticket's token. XMLHttpRequest rather
 * than fetch: it reports upload progress.
 */
import type { UploadResult, UploadTicket } from '../../protocol/index.js';
import type { Connection } from './connection.js';
import { ChatRoomError, type ClientError } from './errors.js';

export interface UploadOptions {
  /** Bytes sent so far, of `total`. */
  progress?(sent: number, total: number): void;
  /** Aborts the upload: it rejects with `aborted`. */
  signal?: AbortSignal | undefined;
  /** The bytes are stored: the message is on its way (RichConversation.sendImage). */
  uploaded?(): void;
}

const aborted = (): ChatRoomError => new ChatRoomError({ code: 'aborted', message: 'The upload was cancelled.' });

/** Uploads `file` for `room`; resolves with the stored image and the upload id to send it with. */
export async function uploadImage(conn: Connection, room: string, file: Blob, options: UploadOptions = {}): Promise<UploadResult> {
  const { signal } = options;
  if (signal?.aborted) throw aborted();
  const ack = await conn.request('media:ticket', { room });
  if (!ack.ok) throw new ChatRoomError(ack.error);
  const ticket = ack.data;
  if (file.size > ticket.maxBytes) {
    const mb = (n: number): string => (n / 1048576).toFixed(1);
    throw new ChatRoomError({ code: 'image_too_large', message: `The image is ${mb(file.size)} MB; at most ${mb(ticket.maxBytes)} MB are allowed.` });
  }
  if (signal?.aborted) throw aborted();
  return post(new URL(ticket.url, `${conn.server}/`).href, ticket, file, options);
}

function post(url: string, ticket: UploadTicket, file: Blob, { progress, signal }: UploadOptions): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const cancel = (): void => xhr.abort();
    signal?.addEventListener('abort', cancel, { once: true });
    const settle = (error: ClientError | null, result?: UploadResult): void => {
      signal?.removeEventListener('abort', cancel);
      if (error) reject(new ChatRoomError(error));
      else resolve(result!);
    };
    xhr.open('POST', url);
    xhr.setRequestHeader('Authorization', `Bearer ${ticket.token}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => progress?.(e.loaded, e.total || file.size);
    xhr.onload = () => {
      const body = xhr.response as Partial<UploadResult> & { error?: ClientError } | null;
      if (xhr.status >= 200 && xhr.status < 300 && body?.uploadId && body.image) return settle(null, body as UploadResult);
      settle(body?.error ?? { code: 'internal_error', message: `The upload failed (HTTP ${xhr.status}).` });
    };
    xhr.onerror = () => settle({ code: 'not_connected', message: 'The upload could not reach the chat server.' });
    xhr.onabort = () => settle({ code: 'aborted', message: 'The upload was cancelled.' });
    xhr.send(file);
  });
}
