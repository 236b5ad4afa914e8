/**
 * The rich-message behaviour every ChatStore driver owes (protocol 4):
 * avatars kept, reply quotes, edits, reactions, change replay, deletions,
 * erase of the new tables, blocks. Run by sqlite.test.ts and postgres.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { REACTION_NAMES_MAX, REPLY_EXCERPT_MAX, directConversation } from '../../protocol/index.js';
import type { ChatMessage, UserInfo } from '../../protocol/index.js';
import type { ChatStore, MessageDraft, NewUser, Site } from '../../server/storage/store.js';
import type { OpenedStore } from './contract.js';

const TIMEOUT = 30_000;
const AT = 1_700_000_000_000;

function site(id: string, extra: Partial<Site> = {}): Site {
  return {
    id,
    name: `Site ${id}`,
    origins: ['https://a.example'],
    allowNoOrigin: false,
    secret: `secret-${id}`,
    idKey: `id-key-${id}`,
    roomPolicy: 'open',
    rooms: [],
    readOnlyRooms: [],
    created: AT,
    ...extra,
  };
}

function newUser(user: UserInfo): NewUser {
  return { ...user, nameKey: user.name.toLowerCase(), skeleton: user.name.toLowerCase() };
}

const ann: UserInfo = { id: 'u_ann', name: 'Ann', kind: 'user', avatar: 'https://img.example/ann.png' };
const bea: UserInfo = { id: 'g_bea', name: 'Bea', kind: 'guest' };
const cy: UserInfo = { id: 'g_cy', name: 'Cy', kind: 'guest' };

/** Site `s` with Ann, Bea and Cy as users. */
async function people(store: ChatStore): Promise<void> {
  await store.addSite(site('s'));
  for (const user of [ann, bea, cy]) await store.createUser('s', newUser(user));
}

let clientIds = 0;
async function send(store: ChatStore, from: UserInfo, text: string, extra: Partial<MessageDraft> = {}): Promise<ChatMessage> {
  const draft: MessageDraft = { room: 'lobby', clientId: `c-${++clientIds}`, from, text, at: AT, ...extra };
  return (await store.appendMessage('s', draft)).message;
}

const withoutUsers = (message: ChatMessage | undefined) => message?.reactions?.map((r) => [r.emoji, r.count]);

export function richContract(name: string, open: (t: TestContext) => Promise<OpenedStore>): void {
  const it = (title: string, body: (store: ChatStore, opened: OpenedStore) => Promise<void>) =>
    test(`${name} rich: ${title}`, { timeout: TIMEOUT }, async (t) => {
      const opened = await open(t);
      await body(opened.store, opened);
    });

  it("keeps the sender's avatar in history, getMessage and a duplicate's answer", async (store) => {
    await people(store);
    const draft: MessageDraft = { room: 'lobby', clientId: 'same', from: ann, text: 'hi', at: AT };
    const sent = (await store.appendMessage('s', draft)).message;
    assert.deepEqual(sent.from, ann);
    assert.deepEqual((await store.appendMessage('s', draft)).message, sent, 'a retry answers the original');
    assert.deepEqual((await store.getMessage('s', sent.id))?.from, ann);
    assert.deepEqual((await store.history('s', 'lobby', { limit: 5 })).messages, [sent]);
    const plain = await send(store, bea, 'plain');
    assert.deepEqual(Object.keys(plain).sort(), ['at', 'clientId', 'from', 'id', 'room', 'seq', 'text']);
  });

  it('round-trips a site edit window', async (store) => {
    await store.addSite(site('w', { editWindowMinutes: 5 }));
    assert.equal((await store.getSite('w'))?.editWindowMinutes, 5);
    await store.updateSite(site('w', { editWindowMinutes: 0 }));
    assert.equal((await store.getSite('w'))?.editWindowMinutes, 0);
    await store.updateSite(site('w'));
    assert.equal((await store.getSite('w'))?.editWindowMinutes, undefined);
  });

  it("resolves a reply's quote from the original as it is now: edited, then deleted", async (store) => {
    await people(store);
    const long = `${'😀'.repeat(REPLY_EXCERPT_MAX + 5)}\nsecond line`;
    const original = await send(store, ann, long);
    const reply = await send(store, bea, 'yes', { replyTo: original.id });
    const quote = { id: original.id, seq: original.seq, from: ann, excerpt: '😀'.repeat(REPLY_EXCERPT_MAX) };
    assert.deepEqual(reply.replyTo, quote, 'first line, code points');
    assert.deepEqual((await store.history('s', 'lobby', { limit: 5 })).messages[1]?.replyTo, quote);

    await store.editMessage('s', original.id, 'short\nmore', [], AT + 1);
    assert.deepEqual((await store.getMessage('s', reply.id))?.replyTo, { ...quote, excerpt: 'short' });

    await store.deleteMessage('s', original.id);
    const deletedQuote = { ...quote, excerpt: '', deleted: true };
    assert.deepEqual((await store.getMessage('s', reply.id))?.replyTo, deletedQuote);
    assert.deepEqual((await store.history('s', 'lobby', { limit: 5 })).messages[1]?.replyTo, deletedQuote);
    const tombstone = await store.deleteMessage('s', reply.id);
    assert.equal(tombstone?.replyTo, undefined, 'a deleted reply quotes nothing');
  });

  it('edits text with a change number and editedAt, resolving mentions to current names', async (store) => {
    await people(store);
    const message = await send(store, ann, `hi <@${bea.id}>`, { mentions: [bea.id] });
    assert.deepEqual(message.mentions, [bea]);
    const edited = await store.editMessage('s', message.id, `hi <@${cy.id}> and <@${bea.id}>`, [cy.id, bea.id], AT + 5);
    assert.equal(edited?.text, `hi <@${cy.id}> and <@${bea.id}>`);
    assert.equal(edited?.editedAt, AT + 5);
    assert.equal(edited?.rev, 1);
    assert.deepEqual(edited?.mentions, [cy, bea], 'in the order given');
    assert.equal(await store.lastRev('s', 'lobby'), 1);
    assert.equal(await store.lastSeq('s', 'lobby'), 1, 'an edit spends no seq');

    await store.renameUser('s', cy.id, 'Cyrus', 'cyrus', 'cyrus');
    assert.deepEqual((await store.getMessage('s', message.id))?.mentions, [{ ...cy, name: 'Cyrus' }, bea]);
    assert.deepEqual((await store.history('s', 'lobby', { limit: 5 })).messages[0], { ...edited, mentions: [{ ...cy, name: 'Cyrus' }, bea] });

    assert.equal(await store.editMessage('s', 'no-such-id', 'x', [], AT), undefined);
    await store.deleteMessage('s', message.id);
    assert.equal(await store.editMessage('s', message.id, 'again', [], AT), undefined, 'a deleted message');
    assert.equal(await store.lastRev('s', 'lobby'), 2, 'the refused edit took no change number');
  });

  it('adds and removes reactions once per user and emoji, with change numbers only for writes', async (store) => {
    await people(store);
    const message = await send(store, ann, 'react to me');
    const added = await store.react('s', message.id, bea.id, '👍', true, 20);
    assert.ok(typeof added === 'object' && added.changed);
    assert.deepEqual(added.message.reactions, [{ emoji: '👍', count: 1, users: [bea] }]);
    assert.equal(added.message.rev, 1);
    assert.equal(added.message.myReactions, undefined, 'no reader, no myReactions');

    const again = await store.react('s', message.id, bea.id, '👍', true, 20);
    assert.ok(typeof again === 'object' && !again.changed);
    assert.equal(again.message.rev, 1);
    const notThere = await store.react('s', message.id, bea.id, '🎉', false, 20);
    assert.ok(typeof notThere === 'object' && !notThere.changed);
    assert.equal(await store.lastRev('s', 'lobby'), 1, 'nothing written, no change number');

    const removed = await store.react('s', message.id, bea.id, '👍', false, 20);
    assert.ok(typeof removed === 'object' && removed.changed);
    assert.equal(removed.message.reactions, undefined);
    assert.equal(removed.message.rev, 2);

    assert.equal(await store.react('s', 'no-such-id', bea.id, '👍', true, 20), 'unknown_message');
    await store.deleteMessage('s', message.id);
    assert.equal(await store.react('s', message.id, bea.id, '👍', true, 20), 'message_deleted');
  });

  it('orders reactions by first use, caps distinct emoji and names, and tells each reader theirs', async (store) => {
    await people(store);
    const message = await send(store, ann, 'popular');
    await store.react('s', message.id, bea.id, '❤️', true, 2);
    await store.react('s', message.id, cy.id, '👍', true, 2);
    assert.equal(await store.react('s', message.id, bea.id, '🎉', true, 2), 'too_many_reactions');
    const more = await store.react('s', message.id, ann.id, '👍', true, 2);
    assert.ok(typeof more === 'object' && more.changed, 'an emoji already there is no new one');
    assert.deepEqual(withoutUsers(more.message), [['❤️', 1], ['👍', 2]]);
    assert.deepEqual(more.message.reactions?.[1]?.users, [cy, ann], 'earliest first');

    const crowd: UserInfo[] = [];
    for (let i = 0; i < REACTION_NAMES_MAX + 2; i++) {
      const user: UserInfo = { id: `g_crowd${i}`, name: `Crowd ${i}`, kind: 'guest' };
      await store.createUser('s', newUser(user));
      await store.react('s', message.id, user.id, '❤️', true, 2);
      crowd.push(user);
    }
    await store.renameUser('s', bea.id, 'Beatrix', 'beatrix', 'beatrix');
    const read = await store.getMessage('s', message.id, bea.id);
    const hearts = read?.reactions?.[0];
    assert.equal(hearts?.count, REACTION_NAMES_MAX + 3);
    assert.deepEqual(hearts?.users, [{ ...bea, name: 'Beatrix' }, ...crowd.slice(0, REACTION_NAMES_MAX - 1)], 'current names, capped');
    assert.deepEqual(read?.myReactions, ['❤️']);
    assert.deepEqual((await store.getMessage('s', message.id, ann.id))?.myReactions, ['👍']);
    assert.equal((await store.getMessage('s', message.id, 'g_nobody'))?.myReactions, undefined);
    const page = await store.history('s', 'lobby', { limit: 5, reader: cy.id });
    assert.deepEqual(page.messages[0]?.myReactions, ['👍']);
    assert.equal((await store.history('s', 'lobby', { limit: 5 })).messages[0]?.myReactions, undefined);
  });

  it('replays changes in change-number order, each message once as it is now, page by page', async (store) => {
    await people(store);
    const [a, b, c] = [await send(store, ann, 'a'), await send(store, bea, 'b'), await send(store, cy, 'c')];
    await send(store, ann, 'other room', { room: 'other' });
    await store.react('s', a!.id, bea.id, '👍', true, 20); // rev 1
    await store.editMessage('s', b!.id, 'b2', [], AT + 1); // rev 2
    await store.react('s', a!.id, cy.id, '😂', true, 20); // rev 3: a again
    await store.deleteMessage('s', c!.id); // rev 4
    assert.equal(await store.lastRev('s', 'lobby'), 4);
    assert.equal(await store.lastRev('s', 'other'), 0);
    assert.equal(await store.lastSeq('s', 'lobby'), 3, 'changes spend no seqs');
    assert.equal((await send(store, ann, 'd')).seq, 4);

    const first = await store.changes('s', 'lobby', 0, 2, bea.id);
    assert.deepEqual(
      first.messages.map((m) => [m.id, m.rev]),
      [
        [b!.id, 2],
        [a!.id, 3],
      ],
    );
    assert.equal(first.room, 'lobby');
    assert.equal(first.hasMore, true);
    assert.equal(first.lastRev, 3);
    assert.deepEqual(first.messages[1]?.myReactions, ['👍'], "the reader's own");
    assert.deepEqual(withoutUsers(first.messages[1]), [['👍', 1], ['😂', 1]]);
    const second = await store.changes('s', 'lobby', first.lastRev, 2, bea.id);
    assert.deepEqual(
      second.messages.map((m) => [m.id, m.rev, m.deleted]),
      [[c!.id, 4, true]],
    );
    assert.equal(second.hasMore, false);
    assert.equal(second.lastRev, 4);
    assert.deepEqual(await store.changes('s', 'lobby', 4, 2, bea.id), { room: 'lobby', messages: [], lastRev: 4, hasMore: false });
    assert.deepEqual(await store.changes('s', 'other', 0, 2, bea.id), { room: 'other', messages: [], lastRev: 0, hasMore: false });
  });

  it('deletes with a change number, dropping the reply link, reactions and mentions; again answers it as it is', async (store) => {
    await people(store);
    const original = await send(store, bea, 'first');
    const message = await send(store, ann, `re <@${cy.id}>`, { replyTo: original.id, mentions: [cy.id] });
    await store.react('s', message.id, bea.id, '👍', true, 20);
    const tombstone = await store.deleteMessage('s', message.id);
    const expected: ChatMessage = { ...message, text: '', deleted: true, rev: 2 };
    delete expected.replyTo;
    delete expected.mentions;
    assert.deepEqual(tombstone, expected);
    assert.deepEqual(await store.deleteMessage('s', message.id), expected, 'no new change number');
    assert.deepEqual(await store.getMessage('s', message.id, bea.id), expected);
    assert.equal(await store.lastRev('s', 'lobby'), 2);
    assert.equal(await store.deleteMessage('s', 'no-such-id'), undefined);
  });

  it('erases reactions, mentions and blocks of a user: no row names them; touched messages take change numbers', async (store, opened) => {
    const email = 'ann.rich@example.com';
    const erased: UserInfo = { id: `u_${email}`, name: 'Ann Richerased', kind: 'user', avatar: `https://img.example/${email}.png` };
    await people(store);
    await store.saveIdentifiedUser('s', newUser(erased));
    const theirs = await send(store, erased, `mine <@${bea.id}>`, { mentions: [bea.id] });
    const reply = await send(store, bea, `hey <@${erased.id}> and <@${cy.id}>`, { replyTo: theirs.id, mentions: [erased.id, cy.id] });
    const liked = await send(store, cy, 'like me');
    await store.react('s', liked.id, erased.id, '👍', true, 20);
    await store.react('s', liked.id, bea.id, '👍', true, 20);
    await store.react('s', theirs.id, bea.id, '❤️', true, 20);
    const dmRoom = directConversation(erased.id, bea.id);
    const dm = await send(store, bea, `psst <@${erased.id}>`, { room: dmRoom, to: erased.id, mentions: [erased.id] });
    await store.react('s', dm.id, erased.id, '😮', true, 20);
    assert.equal(await store.setBlocked('s', erased.id, cy.id, true, 10), 'ok');
    assert.equal(await store.setBlocked('s', bea.id, erased.id, true, 10), 'ok');
    await store.setRefuseGuestDms('s', erased.id, true);
    const before = await store.lastRev('s', 'lobby');

    const { tombstoned, changed } = await store.eraseUser('s', erased.id);
    assert.deepEqual(tombstoned, [{ room: 'lobby', id: theirs.id, seq: theirs.seq, rev: before + 1 }], 'a tombstone takes a change number');
    assert.deepEqual(changed, [{ id: reply.id, room: 'lobby' }, { id: liked.id, room: 'lobby' }], 'the others’ messages to announce');
    const rows = await opened.tableRows();
    const left = JSON.stringify(rows);
    for (const secret of [email, erased.id, erased.name]) assert.ok(!left.includes(secret), `a row names ${secret}: ${left}`);

    const replyNow = await store.getMessage('s', reply.id);
    assert.equal(replyNow?.text, `hey <@erased> and <@${cy.id}>`);
    assert.deepEqual(replyNow?.mentions, [cy]);
    assert.equal(replyNow?.replyTo?.deleted, true);
    assert.equal(replyNow?.replyTo?.from.id, 'erased');
    const likedNow = await store.getMessage('s', liked.id, bea.id);
    assert.deepEqual(likedNow?.reactions, [{ emoji: '👍', count: 1, users: [bea] }]);
    assert.equal(await store.lastRev('s', 'lobby'), before + 3, 'their message, the reply and the liked message changed');
    const replay = await store.changes('s', 'lobby', before, 10, bea.id);
    assert.deepEqual(replay.messages.map((m) => m.id).sort(), [theirs.id, reply.id, liked.id].sort());
    assert.equal(replay.messages.find((m) => m.id === theirs.id)?.deleted, true);
    assert.equal(await store.blocks('s', bea.id, erased.id), false);
    assert.deepEqual(await store.getPrivacy('s', erased.id), { blocked: [], refuseGuestDms: false });
  });

  it('keeps blocks per user (at most max, only of users) and the private-message setting', async (store) => {
    await people(store);
    assert.deepEqual(await store.getPrivacy('s', ann.id), { blocked: [], refuseGuestDms: false });
    assert.equal(await store.setBlocked('s', ann.id, 'g_nobody', true, 2), 'unknown_user');
    assert.equal(await store.setBlocked('s', ann.id, bea.id, true, 2), 'ok');
    assert.equal(await store.setBlocked('s', ann.id, bea.id, true, 2), 'ok', 'again changes nothing');
    assert.equal(await store.setBlocked('s', ann.id, cy.id, true, 2), 'ok');
    const dora: UserInfo = { id: 'g_dora', name: 'Dora', kind: 'guest' };
    await store.createUser('s', newUser(dora));
    assert.equal(await store.setBlocked('s', ann.id, dora.id, true, 2), 'too_many');
    assert.equal(await store.blocks('s', ann.id, bea.id), true);
    assert.equal(await store.blocks('s', bea.id, ann.id), false, 'one way');
    assert.equal(await store.blocks('s', ann.id, dora.id), false);
    await store.renameUser('s', cy.id, 'Cyrus', 'cyrus', 'cyrus');
    assert.deepEqual((await store.getPrivacy('s', ann.id)).blocked, [bea, { ...cy, name: 'Cyrus' }]);

    assert.equal(await store.setBlocked('s', ann.id, bea.id, false, 2), 'ok');
    assert.equal(await store.setBlocked('s', ann.id, 'g_nobody', false, 2), 'ok', 'unblocking one not blocked changes nothing');
    assert.equal(await store.blocks('s', ann.id, bea.id), false);
    await store.setRefuseGuestDms('s', ann.id, true);
    assert.deepEqual(await store.getPrivacy('s', ann.id), { blocked: [{ ...cy, name: 'Cyrus' }], refuseGuestDms: true });
    await store.setRefuseGuestDms('s', ann.id, false);
    assert.equal((await store.getPrivacy('s', ann.id)).refuseGuestDms, false);
    assert.deepEqual(await store.existingUsers('s', [cy.id, 'g_nobody', ann.id]), [cy.id, ann.id]);
    assert.deepEqual(await store.existingUsers('s', []), []);
  });

  it('numbers changes without gaps or repeats with three nodes reacting and editing at once', async (store, opened) => {
    await people(store);
    const message = await send(store, ann, 'busy');
    const nodes = [store, await opened.openAnother(), await opened.openAnother()];
    const users = Array.from({ length: 12 }, (_, i): UserInfo => ({ id: `g_n${i}`, name: `N ${i}`, kind: 'guest' }));
    for (const user of users) await store.createUser('s', newUser(user));
    await Promise.all([
      ...users.map((user, i) => nodes[i % 3]!.react('s', message.id, user.id, '👍', true, 20)),
      ...[1, 2, 3].map((n) => nodes[n % 3]!.editMessage('s', message.id, `busy ${n}`, [], AT + n)),
    ]);
    assert.equal(await store.lastRev('s', 'lobby'), 15);
    const now = await store.getMessage('s', message.id);
    assert.equal(now?.rev, 15, 'the last change wins');
    assert.equal(now?.reactions?.[0]?.count, 12);
    assert.equal(await store.lastSeq('s', 'lobby'), 1);
  });

  it('retention and site removal take reactions and mentions along', async (store, opened) => {
    await people(store);
    const old = await send(store, ann, `old <@${bea.id}>`, { mentions: [bea.id] });
    await store.react('s', old.id, bea.id, '👍', true, 20);
    await store.setBlocked('s', ann.id, bea.id, true, 10);
    assert.equal(await store.pruneMessages('s', AT + 1), 1);
    let rows = await opened.tableRows();
    assert.equal(rows.reactions?.length, 0);
    assert.equal(rows.mentions?.length, 0);
    await store.removeSite('s');
    rows = await opened.tableRows();
    for (const table of ['blocks', 'room_revs', 'privacy']) assert.equal(rows[table]?.length, 0, table);
  });
}
