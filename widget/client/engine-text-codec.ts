/**
 * Engine.IO's packet codec (the engine.io-parser wire format, protocol 4) for
 * text frames over WebSocket, which is all the widget sends and receives: the
 * script-tag build puts it in place of engine.io-parser, whose binary, base64
 * and stream encodings only long-polling and WebTransport need. A binary frame
 * decodes as a parser error, which closes the connection (and Socket.IO
 * reconnects).
 */
export const protocol = 4;

export type PacketType = 'open' | 'close' | 'ping' | 'pong' | 'message' | 'upgrade' | 'noop' | 'error';

export interface Packet {
  type: PacketType;
  data?: unknown;
}

/** Packet types by their digit on the wire. */
const TYPES: readonly PacketType[] = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];

const PARSER_ERROR: Packet = { type: 'error', data: 'parser error' };

export function encodePacket(packet: Packet, _supportsBinary: boolean, callback: (encoded: string) => void): void {
  callback(TYPES.indexOf(packet.type) + String(packet.data ?? ''));
}

export function decodePacket(encoded: unknown): Packet {
  if (typeof encoded !== 'string') return PARSER_ERROR;
  const type = TYPES[Number(encoded[0])];
  if (!type || !/\d/.test(encoded[0] ?? '')) return PARSER_ERROR;
  return encoded.length > 1 ? { type, data: encoded.slice(1) } : { type };
}
