/**
 * Presence frames counted as they arrive, by event name, without decoding
 * them: a socket.io-client `parser` (the default one, socket.io-parser, which
 * socket.io-client itself depends on) whose decoder hands the raw text of
 * presence-like events to a sink instead of parsing it. In a room filling up
 * on a server that sends one frame per join to every member, the driver would
 * otherwise spend its core parsing member lists and measure itself; counting
 * costs a prefix match. The newest `presence:update` is kept raw and parsed
 * only when the scenario asks for the count (`PresenceReading`).
 */
import { Decoder, Encoder, protocol } from 'socket.io-parser';

/** Every event the server sends about who is in a room or typing, by protocol version: counted, never dispatched. */
export const PRESENCE_EVENTS = ['presence:update', 'room:notice', 'typing:update', 'typing:summary'] as const;
export type PresenceEvent = (typeof PRESENCE_EVENTS)[number];

/** `2/<nsp>,["<event>"`: an EVENT packet without an ack id, as the server sends its broadcasts. */
const EVENT_PREFIX = /^2(?:\/[^,]*,)?\["([a-z]+:[a-z]+)"/;
const watched = new Set<string>(PRESENCE_EVENTS);

export type FrameSink = (event: PresenceEvent, raw: string) => void;

/** A `parser` option for one socket: presence events go to `sink` undecoded, everything else as usual. */
export function countingParser(sink: FrameSink): { Encoder: typeof Encoder; Decoder: typeof Decoder; protocol: number } {
  class CountingDecoder extends Decoder {
    override add(chunk: unknown): void {
      if (typeof chunk === 'string') {
        const event = EVENT_PREFIX.exec(chunk.slice(0, 64))?.[1];
        if (event !== undefined && watched.has(event)) {
          sink(event as PresenceEvent, chunk);
          return;
        }
      }
      super.add(chunk);
    }
  }
  return { Encoder, Decoder: CountingDecoder, protocol };
}

/** The count and version of a raw `presence:update` packet. */
export function readPresence(raw: string): { count: number; version: number } {
  const [, update] = JSON.parse(raw.slice(raw.indexOf('['))) as [string, { count: number; version: number }];
  return { count: update.count, version: update.version };
}
