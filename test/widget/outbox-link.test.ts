/**
 * The outbox and the cursor acks see a connection only through the narrow
 * `Link` interface, so they run here against a scripted one: every answer
 * and every state change is the test's.
 */
import { expect } from '@esm-bundle/chai';
import type { ChatMessage, UserInfo } from '../../protocol/index.js';
import { CursorAcks } from '../../widget/client/cursor-acks.js';
import { Emitter } from '../../widget/client/emitter.js';
import type { ClientAck } from '../../widget/client/errors.js';
import type { ConnectionState, Link, LinkEvents, RequestEvent, RequestOf, ResultOf } from '../../widget/client/link.js';
import { Outbox } from '../../widget/client/outbox.js';
import { waitFor } from './helpers.js';

const me: UserInfo = { id: 'g_me', name: 'Me', kind: 'guest' };

/** A link whose answers come from `answer`, one call at a time, recorded in `calls`. */
class ScriptedLink extends Emitter<LinkEvents> implements Link {
  connected = false;
  user: UserInfo | null = me;
  /** Every request, and whether the link was up when it was made. */
  readonly calls: { event: RequestEvent; payload: unknown; up: boolean }[] = [];
  constructor(readonly answer: (event: RequestEvent, payload: unknown, n: number) => ClientAck<unknown>) {
    super();
  }
  request<K extends RequestEvent>(event: K, payload: RequestOf<K>): Promise<ClientAck<ResultOf<K>>> {
    this.calls.push({ event, payload, up: this.connected });
    return Promise.resolve(this.answer(event, payload, this.calls.length) as ClientAck<ResultOf<K>>);
  }
  setState(state: ConnectionState): void {
    this.connected = state === 'connected';
    this.emit('state', state, null);
  }
}

const stored = (clientId: string, text: string): ChatMessage => ({
  id: `m-${clientId}`,
  seq: 1,
  room: 'r',
  clientId,
  from: me,
  text,
  at: Date.now(),
});

describe('outbox and cursor acks over a Link', () => {
  it('holds a send until the link is up and the room joined, retries a timeout with the same clientId, and resolves once', async () => {
    const link = new ScriptedLink((_event, payload, n) => {
      const { clientId, text } = payload as { clientId: string; text: string };
      return n === 1
        ? { ok: false, error: { code: 'timeout', message: 'no answer' } }
        : { ok: true, data: { message: stored(clientId, text) } };
    });
    const outbox = new Outbox(link, null);
    const sent = outbox.send({ room: 'r' }, 'hello');
    expect(outbox.pending('room:r')).to.have.length(1);
    link.setState('connected');
    outbox.setRoomReady('r', true);
    const message = await sent;
    expect(link.calls.map((c) => c.event)).to.deep.equal(['message:send', 'message:send']);
    const ids = link.calls.map((c) => (c.payload as { clientId: string }).clientId);
    expect(ids[0]).to.equal(ids[1]);
    expect(message.clientId).to.equal(ids[0]);
    expect(outbox.retries).to.equal(1);
    expect(outbox.pending('room:r')).to.have.length(0);
  });

  it('sends one ack per room with the highest seq, and holds it while the link is down', async () => {
    const link = new ScriptedLink(() => ({ ok: true, data: {} }));
    const acks = new CursorAcks(link, 0);
    acks.received('r', 3);
    acks.received('r', 5);
    acks.received('r', 4);
    // The flush while down sends nothing; r's ack waits and goes out with the next one, once up.
    // Timers of equal delay run in order: this one runs after the acks' flush (delay 0) has.
    await new Promise((r) => setTimeout(r, 0));
    link.setState('connected');
    acks.received('s', 1);
    await waitFor(() => link.calls.length === 2, 'two acks');
    expect(link.calls).to.deep.equal([
      { event: 'room:ack', payload: { room: 'r', seq: 5 }, up: true },
      { event: 'room:ack', payload: { room: 's', seq: 1 }, up: true },
    ]);
  });
});
