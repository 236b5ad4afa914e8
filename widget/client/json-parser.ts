/**
 * Socket.IO's packet codec (the socket.io-parser wire format, protocol 5) for
 * JSON-only traffic: the widget never sends or receives binary, so the
 * attachment machinery is left out, at a fraction of the size. The connection
 * hands it to Socket.IO as its `parser` option, and the script-tag build puts
 * it in place of socket.io-parser. A binary or malformed packet is a parse
 * error, which makes Socket.IO drop the connection and reconnect.
 */
export const protocol = 5;

export const PacketType = {
  CONNECT: 0,
  DISCONNECT: 1,
  EVENT: 2,
  ACK: 3,
  CONNECT_ERROR: 4,
  BINARY_EVENT: 5,
  BINARY_ACK: 6,
} as const;

export interface Packet {
  type: number;
  nsp: string;
  id?: number;
  data?: unknown;
}

/** Event names a peer may not send (socket.io-parser refuses them too). */
const RESERVED = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];

export class Encoder {
  encode(packet: Packet): string[] {
    let text = String(packet.type);
    if (packet.nsp && packet.nsp !== '/') text += `${packet.nsp},`;
    if (packet.id != null) text += packet.id;
    if (packet.data != null) text += JSON.stringify(packet.data);
    return [text];
  }
}

type Listener = (packet: Packet) => void;

export class Decoder {
  readonly #listeners = new Set<Listener>();

  on(_event: 'decoded', listener: Listener): this {
    this.#listeners.add(listener);
    return this;
  }

  off(_event?: 'decoded', listener?: Listener): this {
    if (listener) this.#listeners.delete(listener);
    else this.#listeners.clear();
    return this;
  }

  add(chunk: unknown): void {
    if (typeof chunk !== 'string') throw new Error('binary packets are not supported');
    const packet = decode(chunk);
    for (const listener of [...this.#listeners]) listener(packet);
  }

  destroy(): void {}
}

/** One packet from its text form; throws on anything socket.io-parser would refuse (and on binary packets). */
export function decode(text: string): Packet {
  const type = Number(text[0]);
  let i = 1;
  let nsp = '/';
  if (text[i] === '/') {
    const comma = text.indexOf(',', i);
    const end = comma < 0 ? text.length : comma;
    nsp = text.slice(i, end);
    i = end + 1;
  }
  const digits = /^\d*/.exec(text.slice(i))![0];
  i += digits.length;
  const packet: Packet = { type, nsp };
  if (digits) packet.id = Number(digits);
  if (i < text.length) packet.data = JSON.parse(text.slice(i));
  if (!isValid(packet)) throw new Error(`invalid packet: ${text.slice(0, 40)}`);
  return packet;
}

function isValid({ type, data }: Packet): boolean {
  const object = Object.prototype.toString.call(data) === '[object Object]';
  switch (type) {
    case PacketType.CONNECT:
      return object;
    case PacketType.DISCONNECT:
      return data === undefined;
    case PacketType.CONNECT_ERROR:
      return object || typeof data === 'string';
    case PacketType.EVENT:
      return Array.isArray(data) && (typeof data[0] === 'number' || (typeof data[0] === 'string' && !RESERVED.includes(data[0])));
    case PacketType.ACK:
      return Array.isArray(data);
    default:
      return false;
  }
}
