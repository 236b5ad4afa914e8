/** A private conversation with one other user of the site. */
import { directConversation, type HistoryPage, type UserInfo } from '../../protocol/index.js';
import type { Channel } from './channel.js';
import { Conversation, type HistoryQuery } from './conversation.js';
import type { ClientAck } from './errors.js';

export class DirectConversation extends Conversation {
  constructor(
    channel: Channel,
    readonly peer: UserInfo,
  ) {
    super(channel, { to: peer.id });
  }

  get roomId(): string {
    return directConversation(this.conn.user?.id ?? '', this.peer.id);
  }

  override start(): void {
    this.offs.push(
      this.conn.on('dm', (m) => {
        if (m.from.id === this.peer.id || m.to === this.peer.id) this.live(m);
      }),
    );
    super.start();
  }

  protected open(): Promise<ClientAck<HistoryPage>> {
    return this.fetchHistory({});
  }

  protected fetchHistory(query: HistoryQuery) {
    return this.conn.request('dm:history', { with: this.peer.id, ...query });
  }
}
