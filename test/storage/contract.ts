/**
 * The behaviour every ChatStore driver owes the server, as one suite that each
 * driver's test file runs against a real database of its kind.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { ERASED_AUTHOR, directConversation } from '../../protocol/index.js';
import type { ChatMessage, UserInfo } from '../../protocol/index.js';
import { identifiedNameKey } from '../../server/identity.js';
import type { BanDraft, ChatStore, MessageDraft, NewUser, Site, WidgetChunk } from '../../server/storage/store.js';

export interface OpenedStore {
  store: ChatStore;
  /** Another instance on the same database, as another server process would open it; the driver closes it. */
  openAnother(): Promise<ChatStore>;
  /** Every row of every table of the store, read past the store (a test's window on the database). */
  tableRows(): Promise<Record<string, Array<Record<string, unknown>>>>;
}

const TIMEOUT = 30_000;

function site(id: string, extra: Partial<Site> = {}): Site {
  return {
    id,
    name: `Site ${id}`,
    origins: ['https://a.example', 'http://localhost:*'],
    allowNoOrigin: false,
    secret: `secret-${id}`,
    idKey: `id-key-${id}`,
    roomPolicy: 'open',
    rooms: [],
    readOnlyRooms: [],
    created: 1_700_000_000_000,
    ...extra,
  };
}

function guest(id: string, name = `Guest ${id}`): UserInfo {
  return { id, name, kind: 'guest' };
}

function newUser(id: string, name: string, extra: Partial<NewUser> = {}): NewUser {
  return { id, name, kind: 'guest', nameKey: name.toLowerCase(), skeleton: name.toLowerCase(), ...extra };
}

function draft(room: string, from: UserInfo, clientId: string, text = `text ${clientId}`): MessageDraft {
  return { room, clientId, from, text, at: 1_700_000_000_000 };
}

async function appendMany(store: ChatStore, siteId: string, room: string, from: UserInfo, count: number) {
  const messages: ChatMessage[] = [];
  for (let i = 1; i <= count; i++) {
    messages.push((await store.appendMessage(siteId, draft(room, from, `${room}-${i}`))).message);
  }
  return messages;
}

/** A chunk with bytes of its own (binary, not only text) and, unless `plain`, both compressed copies. */
function chunk(name: string, plain = false): WidgetChunk {
  const body = Buffer.concat([Buffer.from(`export const name = '${name}';\n`), Buffer.from([0, 255, 128])]);
  return plain ? { name, body } : { name, body, gzip: Buffer.from(`gz:${name}`), br: Buffer.from(`br:${name}`) };
}

const seqs = (messages: ChatMessage[]) => messages.map((m) => m.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export function storeContract(name: string, open: (t: TestContext) => Promise<OpenedStore>): void {
  const it = (title: string, body: (store: ChatStore, opened: OpenedStore) => Promise<void>) =>
    test(`${name}: ${title}`, { timeout: TIMEOUT }, async (t) => {
      const opened = await open(t);
      await body(opened.store, opened);
    });

  it('adds, reads, lists, updates and refuses duplicate sites', async (store) => {
    const b = site('b', { retentionDays: 30, rateLimitScale: 2.5, roomPolicy: 'allow-list', rooms: ['lobby', 'help'], allowNoOrigin: true });
    assert.equal(await store.addSite(b), true);
    assert.equal(await store.addSite(site('a', { readOnlyRooms: ['news'] })), true);
    assert.equal(await store.addSite({ ...b, name: 'Other' }), false, 'an existing id');
    assert.deepEqual(await store.getSite('b'), b, 'unchanged by the refused add');
    assert.equal(await store.getSite('missing'), undefined);
    assert.deepEqual(
      (await store.listSites()).map((s) => s.id),
      ['a', 'b'],
    );

    const { retentionDays: _dropped, ...rest } = b;
    const changed: Site = { ...rest, name: 'B2', origins: ['https://b.example'], roomPolicy: 'token', rooms: [] };
    assert.equal(await store.updateSite({ ...changed, created: 1 }), true);
    assert.deepEqual(await store.getSite('b'), changed, 'every setting replaced, `created` kept');
    assert.equal(await store.updateSite(site('missing')), false);
    await store.updateSite({ ...changed, idKey: 'another-key' });
    assert.equal((await store.getSite('b'))?.idKey, b.idKey, 'the id key is never replaced: ids derive from it');
    assert.equal(await store.getSite('missing'), undefined);
  });

  it('removes a site with everything in it and leaves other sites alone', async (store) => {
    for (const id of ['gone', 'kept']) {
      await store.addSite(site(id));
      await store.createUser(id, newUser('g1', 'Ann'));
      await appendMany(store, id, 'lobby', guest('g1'), 3);
      await store.advanceCursor(id, 'g1', 'lobby', 2);
      await store.addBan(id, { kind: 'ban', userId: 'g2', until: Date.now() + 60_000, created: 1 });
    }
    const keptMessage = (await store.history('kept', 'lobby', { limit: 1 })).messages[0]!;

    assert.equal(await store.removeSite('gone'), true);
    assert.equal(await store.getSite('gone'), undefined);
    assert.equal(await store.getUser('gone', 'g1'), undefined);
    assert.deepEqual(await store.history('gone', 'lobby', { limit: 10 }), { messages: [], hasMore: false });
    assert.equal(await store.lastSeq('gone', 'lobby'), 0);
    assert.equal(await store.getCursor('gone', 'g1', 'lobby'), 0);
    assert.deepEqual(await store.activeBans('gone', 0), []);
    assert.equal(await store.removeSite('gone'), false);

    assert.deepEqual(await store.getUser('kept', 'g1'), guest('g1', 'Ann'));
    assert.deepEqual(await store.getMessage('kept', keptMessage.id), keptMessage);
    assert.equal(await store.getCursor('kept', 'g1', 'lobby'), 2);
    assert.equal((await store.activeBans('kept', 0)).length, 1);

    await store.addSite(site('gone'));
    const again = await store.appendMessage('gone', draft('lobby', guest('g1'), 'lobby-1'));
    assert.deepEqual([again.duplicate, again.message.seq], [false, 1], 'a site added again starts afresh');
  });

  it('a site added again starts empty, even with messages and cursors written under its id after the removal', async (store) => {
    await store.addSite(site('late'));
    await store.removeSite('late');
    // A server that has not yet noticed the removal still stores what its sockets send
    // (messages and cursors; users and bans need the site row).
    await appendMany(store, 'late', 'lobby', guest('g1'), 2);
    await store.advanceCursor('late', 'g1', 'lobby', 2);

    assert.equal(await store.addSite(site('late')), true);
    assert.deepEqual(await store.history('late', 'lobby', { limit: 10 }), { messages: [], hasMore: false });
    assert.equal(await store.getCursor('late', 'g1', 'lobby'), 0);
    const first = await store.appendMessage('late', draft('lobby', guest('g1'), 'late-1'));
    assert.equal(first.message.seq, 1);
    // Adding an existing id changes nothing.
    assert.equal(await store.addSite(site('late')), false);
    assert.equal((await store.history('late', 'lobby', { limit: 10 })).messages.length, 1);
  });

  it('creates users with per-site unique ids and names', async (store) => {
    await store.addSite(site('s'));
    await store.addSite(site('t'));
    assert.equal(await store.createUser('s', newUser('g1', 'Ann')), 'created');
    assert.equal(await store.createUser('s', newUser('g1', 'Bea')), 'id_taken');
    assert.equal(await store.createUser('s', newUser('g2', 'ANN', { nameKey: 'ann' })), 'name_taken');
    assert.equal(await store.createUser('t', newUser('g2', 'Ann')), 'created', 'names are per site');
    assert.deepEqual(await store.getUser('s', 'g1'), guest('g1', 'Ann'));
    assert.equal(await store.getUser('s', 'g2'), undefined);
    assert.equal(await store.getUser('t', 'g1'), undefined);
    const avatar = 'https://a.example/ann.png';
    assert.equal(await store.createUser('s', newUser('u_x', 'Xena', { kind: 'user', avatar })), 'created');
    assert.deepEqual(await store.getUser('s', 'u_x'), { id: 'u_x', name: 'Xena', kind: 'user', avatar });
  });

  it('renames a user unless another user of the site holds the name', async (store) => {
    await store.addSite(site('s'));
    await store.createUser('s', newUser('g1', 'Ann'));
    await store.createUser('s', newUser('g2', 'Bea'));
    assert.equal(await store.renameUser('s', 'g1', 'Bea', 'bea', 'bea'), false);
    assert.deepEqual(await store.getUser('s', 'g1'), guest('g1', 'Ann'));
    assert.equal(await store.renameUser('s', 'g1', 'ANN', 'ann', 'ann'), true, 'their own name, another spelling');
    assert.equal(await store.renameUser('s', 'g1', 'Cleo', 'cleo', 'cleo'), true);
    assert.deepEqual(await store.getUser('s', 'g1'), guest('g1', 'Cleo'));
    assert.equal(await store.createUser('s', newUser('g3', 'Ann')), 'created', 'the old name is free');
  });

  it('upserts identified users and finds them by skeleton', async (store) => {
    await store.addSite(site('s'));
    const avatar = 'https://a.example/a.png';
    await store.saveIdentifiedUser('s', newUser('u_1', 'Admin', { kind: 'user', avatar, skeleton: 'admin', nameKey: identifiedNameKey('u_1') }));
    assert.deepEqual(await store.getUser('s', 'u_1'), { id: 'u_1', name: 'Admin', kind: 'user', avatar });
    await store.saveIdentifiedUser('s', newUser('u_1', 'Boss', { kind: 'user', skeleton: 'boss' }));
    assert.deepEqual(await store.getUser('s', 'u_1'), { id: 'u_1', name: 'Boss', kind: 'user' }, 'the token wins');
    await store.createUser('s', newUser('g1', 'b0ss', { skeleton: 'boss' }));

    assert.equal(await store.identifiedUserBySkeleton('s', 'boss', 'g9'), 'u_1');
    assert.equal(await store.identifiedUserBySkeleton('s', 'boss', 'u_1'), undefined, 'not themselves, nor guests');
    assert.equal(await store.identifiedUserBySkeleton('s', 'admin', 'g9'), undefined, 'the old skeleton is gone');
    assert.equal(await store.identifiedUserBySkeleton('t', 'boss', 'g9'), undefined);
  });

  it('appends with a gapless seq per room, starting at 1', async (store) => {
    await store.addSite(site('s'));
    const ann = guest('g1', 'Ann');
    const first = await store.appendMessage('s', draft('lobby', ann, 'c1', 'hello'));
    assert.equal(first.duplicate, false);
    assert.deepEqual(first.message, { id: first.message.id, seq: 1, ...draft('lobby', ann, 'c1', 'hello') });
    assert.deepEqual(await store.getMessage('s', first.message.id), first.message);
    assert.equal((await store.appendMessage('s', draft('lobby', ann, 'c2'))).message.seq, 2);
    assert.equal((await store.appendMessage('s', draft('help', ann, 'c3'))).message.seq, 1, 'rooms count apart');
    assert.equal((await store.appendMessage('s', draft('lobby', ann, 'c4'))).message.seq, 3);

    const dm: MessageDraft = { ...draft('dm:g1:g2', ann, 'c5', 'psst'), to: 'g2' };
    const sent = await store.appendMessage('s', dm);
    assert.deepEqual(await store.getMessage('s', sent.message.id), { id: sent.message.id, seq: 1, ...dm });
  });

  it('stores a clientId once per sender and answers a retry with the original', async (store) => {
    await store.addSite(site('s'));
    const ann = guest('g1', 'Ann');
    const first = await store.appendMessage('s', draft('lobby', ann, 'retry-me', 'first'));
    await store.appendMessage('s', draft('lobby', ann, 'other'));
    const retry = await store.appendMessage('s', draft('lobby', ann, 'retry-me', 'second'));
    assert.deepEqual(retry, { message: first.message, duplicate: true });
    const elsewhere = await store.appendMessage('s', draft('help', ann, 'retry-me'));
    assert.deepEqual(elsewhere, { message: first.message, duplicate: true }, 'the key is (site, sender, clientId)');

    const bea = await store.appendMessage('s', draft('lobby', guest('g2'), 'retry-me'));
    assert.deepEqual([bea.duplicate, bea.message.seq], [false, 3], 'another sender may use the same clientId');
    await store.addSite(site('t'));
    assert.equal((await store.appendMessage('t', draft('lobby', ann, 'retry-me'))).duplicate, false, 'and another site');

    const stored = await store.history('s', 'lobby', { limit: 10 });
    assert.deepEqual(seqs(stored.messages), [1, 2, 3]);
    assert.equal(stored.messages[0]!.text, 'first');
    assert.equal(await store.lastSeq('s', 'help'), 0, 'the retry stored nothing');
  });

  it('pages history by seq with hasMore in the direction asked for', async (store) => {
    await store.addSite(site('s'));
    await appendMany(store, 's', 'lobby', guest('g1'), 25);
    const page = async (query: { beforeSeq?: number; afterSeq?: number; limit: number }) => {
      const { messages, hasMore } = await store.history('s', 'lobby', query);
      return { seqs: seqs(messages), hasMore };
    };
    assert.deepEqual(await page({ limit: 10 }), { seqs: range(16, 25), hasMore: true });
    assert.deepEqual(await page({ limit: 25 }), { seqs: range(1, 25), hasMore: false });
    assert.deepEqual(await page({ beforeSeq: 16, limit: 10 }), { seqs: range(6, 15), hasMore: true });
    assert.deepEqual(await page({ beforeSeq: 6, limit: 10 }), { seqs: range(1, 5), hasMore: false });
    assert.deepEqual(await page({ beforeSeq: 11, limit: 10 }), { seqs: range(1, 10), hasMore: false });
    assert.deepEqual(await page({ afterSeq: 0, limit: 10 }), { seqs: range(1, 10), hasMore: true });
    assert.deepEqual(await page({ afterSeq: 15, limit: 10 }), { seqs: range(16, 25), hasMore: false });
    assert.deepEqual(await page({ afterSeq: 25, limit: 10 }), { seqs: [], hasMore: false });
    assert.deepEqual(await store.history('s', 'empty', { limit: 10 }), { messages: [], hasMore: false });
    assert.equal(await store.lastSeq('s', 'lobby'), 25);
    assert.equal(await store.lastSeq('s', 'empty'), 0);
  });

  it('keeps rooms named in any script apart, byte for byte, and sorts them by code point', async (store) => {
    const rooms = ['大厅', '\u{20000}'.repeat(64), 'caf\u00e9', 'cafe\u0301', 'Café', 'a_%'];
    await store.addSite(site('s', { roomPolicy: 'allow-list', rooms, readOnlyRooms: ['大厅'] }));
    assert.deepEqual((await store.getSite('s'))?.rooms, rooms);
    assert.deepEqual((await store.getSite('s'))?.readOnlyRooms, ['大厅']);
    const ann = guest('g1', '访客 4821');
    for (const [i, room] of rooms.entries()) await appendMany(store, 's', room, ann, i + 1);
    for (const [i, room] of rooms.entries()) {
      // Composed and decomposed spellings are different names here: the server normalises before the store sees them.
      const { messages } = await store.history('s', room, { limit: 10 });
      assert.deepEqual(seqs(messages), range(1, i + 1), room);
      assert.ok(messages.every((m) => m.room === room && m.from.name === '访客 4821'));
      assert.equal(await store.lastSeq('s', room), i + 1);
      assert.equal(await store.advanceCursor('s', 'g2', room, 1), 1);
      assert.equal(await store.getCursor('s', 'g2', room), 1);
      assert.deepEqual(await store.countUnread('s', room, 0, 'g2', 99), { count: i + 1, capped: false });
    }
    assert.equal(await store.lastSeq('s', '大'), 0, 'no prefix match');
    assert.equal(await store.lastSeq('s', 'a__'), 0, 'no pattern match');
    // One time for all: ties break on the room, in code point order (as SQLite compares), whatever the database's locale.
    const codePoints = (room: string) => [...room].map((c) => c.codePointAt(0)!.toString(16).padStart(6, '0')).join(' ');
    const byCodePoint = [...rooms].sort((a, b) => (codePoints(a) < codePoints(b) ? -1 : 1));
    const listed = [...new Set((await store.messagesBy('s', 'g1')).map((m) => m.room))];
    assert.deepEqual(listed, byCodePoint);
  });

  it('tombstones a message, keeping its seq', async (store) => {
    await store.addSite(site('s'));
    await store.addSite(site('t'));
    const [, second] = await appendMany(store, 's', 'lobby', guest('g1'), 3);
    assert.equal(await store.deleteMessage('t', second!.id), undefined, 'not on another site');
    assert.equal(await store.deleteMessage('s', 'no-such-id'), undefined);

    const tombstone = { ...second!, text: '', deleted: true, rev: 1 };
    assert.deepEqual(await store.deleteMessage('s', second!.id), tombstone);
    assert.deepEqual(await store.getMessage('s', second!.id), tombstone);
    assert.equal(await store.getMessage('t', second!.id), undefined);
    assert.deepEqual((await store.history('s', 'lobby', { limit: 10 })).messages[1], tombstone);
    assert.equal(await store.lastSeq('s', 'lobby'), 3);
    assert.equal((await store.appendMessage('s', draft('lobby', guest('g1'), 'next'))).message.seq, 4);
  });

  it("lists a user's messages, private ones included, oldest first", async (store) => {
    await store.addSite(site('s'));
    const ann = guest('g1', 'Ann');
    const sent: ChatMessage[] = [];
    for (const [room, at] of [['b', 3], ['a', 1], ['dm:g1:g2', 2], ['a', 3]] as const) {
      const message = { ...draft(room, ann, `c-${room}-${at}`), at, ...(room.startsWith('dm:') ? { to: 'g2' } : {}) };
      sent.push((await store.appendMessage('s', message)).message);
    }
    await store.appendMessage('s', draft('a', guest('g2', 'Bea'), 'bea-1'));
    const oldestFirst = [sent[1], sent[2], sent[3], sent[0]] as ChatMessage[];
    assert.deepEqual(await store.messagesBy('s', 'g1'), oldestFirst, 'by time, then room, then seq');
    assert.deepEqual(await store.messagesBy('s', 'nobody'), []);
  });

  it('erases every trace of a user: no row of any table names them afterwards', async (store, opened) => {
    // An id that carries an email, as `u_<sub>` did: it must vanish from every table.
    const email = 'ann.erased@example.com';
    const annId = `u_${email}`;
    const ann: UserInfo = { id: annId, name: 'Ann Erasable', kind: 'user' };
    const bea = guest('g_bea', 'Bea');
    const cy = guest('g_cy', 'Cy');
    await store.addSite(site('s'));
    await store.addSite(site('t'));
    await store.saveIdentifiedUser('s', newUser(annId, ann.name, { kind: 'user', nameKey: `id:${annId}`, skeleton: 'ann erasable' }));
    await store.saveIdentifiedUser('t', newUser(annId, ann.name, { kind: 'user', nameKey: `id:${annId}`, skeleton: 'ann erasable' }));
    await store.createUser('s', newUser(bea.id, bea.name));
    await store.createUser('s', newUser(cy.id, cy.name));

    const [first, second] = await appendMany(store, 's', 'lobby', ann, 2);
    const beas = (await store.appendMessage('s', draft('lobby', bea, 'bea-1', 'hi'))).message;
    await store.deleteMessage('s', first!.id);
    const withBea = directConversation(annId, bea.id);
    const dm = (from: UserInfo, to: UserInfo, id: string) =>
      store.appendMessage('s', { ...draft(directConversation(from.id, to.id), from, id), to: to.id });
    await dm(ann, bea, 'ann-to-bea');
    await dm(bea, ann, 'bea-to-ann');
    const beaToCy = (await dm(bea, cy, 'bea-to-cy')).message;
    const otherSite = (await store.appendMessage('t', draft('lobby', ann, 'elsewhere'))).message;
    await store.advanceCursor('s', annId, 'lobby', 3);
    await store.advanceCursor('s', bea.id, 'lobby', 3);
    await store.advanceCursor('s', bea.id, withBea, 2);
    await store.advanceCursor('s', annId, withBea, 2);
    const until = Date.now() + 60_000;
    await store.addBan('s', { kind: 'mute', userId: annId, until, reason: `${email} spams`, created: 1 });
    await store.addBan('s', { kind: 'ban', userId: annId, ip: '203.0.113.7', until, reason: 'Ann Erasable', created: 2 });
    const beaBan = await store.addBan('s', { kind: 'mute', userId: bea.id, until, reason: 'loud', created: 3 });

    const erased = await store.eraseUser('s', annId);
    assert.deepEqual(erased, {
      tombstoned: [{ room: 'lobby', id: second!.id, seq: second!.seq, rev: 2 }],
      changed: [],
      privateRemoved: 2,
      profile: true,
    });

    const rows = await opened.tableRows();
    const left = JSON.stringify(
      Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, list.filter((row) => row.site !== 't')])),
    );
    for (const secret of [email, annId, 'Ann Erasable', 'ann erasable']) {
      assert.ok(!left.includes(secret), `a row names ${secret}: ${left}`);
    }

    const tombstone = (m: ChatMessage): ChatMessage => ({ ...m, clientId: m.id, from: ERASED_AUTHOR, text: '', deleted: true });
    assert.deepEqual((await store.history('s', 'lobby', { limit: 10 })).messages, [
      { ...tombstone(first!), rev: 1 },
      { ...tombstone(second!), rev: 2 },
      beas,
    ]);
    assert.equal(await store.lastSeq('s', 'lobby'), 3, 'tombstones keep their seqs');
    assert.deepEqual((await store.history('s', withBea, { limit: 10 })).messages, []);
    assert.deepEqual((await store.history('s', directConversation(bea.id, cy.id), { limit: 10 })).messages, [beaToCy]);
    assert.equal(await store.getCursor('s', bea.id, 'lobby'), 3, "others' cursors in rooms stay");
    assert.equal(await store.getCursor('s', bea.id, withBea), 0);
    assert.deepEqual(
      (await store.activeBans('s', 0)).map((b) => ({ ...b, id: '' })),
      [{ id: '', kind: 'ban', userId: ERASED_AUTHOR.id, ip: '203.0.113.7', until, created: 2 }, { ...beaBan, id: '' }],
      'bans on the user alone go; one with an address stays, by the erased author and without a reason',
    );
    assert.equal(await store.getUser('s', annId), undefined);
    assert.deepEqual(await store.getUser('t', annId), ann, 'another site is untouched');
    assert.deepEqual(await store.getMessage('t', otherSite.id), otherSite);

    assert.deepEqual(await store.eraseUser('s', annId), { tombstoned: [], changed: [], privateRemoved: 0, profile: false });
    assert.equal(await store.createUser('s', newUser('g_new', 'Bea2')), 'created');
    const again = (await dm(ann, bea, 'ann-again')).message;
    assert.equal(again.seq, 1, 'a conversation started again starts afresh');
  });

  it('prunes messages older than a time, site by site, keeping the seqs of the rest', async (store) => {
    await store.addSite(site('a'));
    await store.addSite(site('b'));
    const ann = guest('g_ann');
    const at = (room: string, id: string, time: number): MessageDraft => ({ ...draft(room, ann, id), at: time });
    for (let i = 1; i <= 5; i++) await store.appendMessage('a', at('lobby', `old-${i}`, 1000 + i));
    for (let i = 6; i <= 8; i++) await store.appendMessage('a', at('lobby', `new-${i}`, 5000 + i));
    await store.appendMessage('b', at('lobby', 'other-site', 1000));

    assert.equal(await store.pruneMessages('a', 5000), 5);
    const page = await store.history('a', 'lobby', { limit: 50 });
    assert.deepEqual(seqs(page.messages), [6, 7, 8]);
    assert.equal(page.hasMore, false);
    assert.deepEqual(seqs((await store.history('a', 'lobby', { afterSeq: 2, limit: 50 })).messages), [6, 7, 8]);
    assert.equal(await store.lastSeq('a', 'lobby'), 8);
    assert.equal((await store.appendMessage('a', at('lobby', 'next', 9000))).message.seq, 9, 'seq goes on');
    assert.equal((await store.history('b', 'lobby', { limit: 50 })).messages.length, 1, 'another site keeps its own');
    assert.equal(await store.pruneMessages('a', 5000), 0);
  });

  it('moves cursors forward only, per user and room', async (store) => {
    await store.addSite(site('s'));
    assert.equal(await store.getCursor('s', 'g1', 'lobby'), 0);
    assert.equal(await store.advanceCursor('s', 'g1', 'lobby', 5), 5);
    assert.equal(await store.advanceCursor('s', 'g1', 'lobby', 3), 5);
    assert.equal(await store.advanceCursor('s', 'g1', 'lobby', 5), 5);
    assert.equal(await store.advanceCursor('s', 'g1', 'lobby', 7), 7);
    assert.equal(await store.getCursor('s', 'g1', 'lobby'), 7);
    assert.equal(await store.getCursor('s', 'g1', 'help'), 0);
    assert.equal(await store.getCursor('s', 'g2', 'lobby'), 0);
    assert.equal(await store.getCursor('t', 'g1', 'lobby'), 0);
  });

  it('counts unread messages after a seq, skipping the reader and deleted ones', async (store) => {
    await store.addSite(site('s'));
    const ann = guest('g1');
    const bea = guest('g2');
    const sent: ChatMessage[] = [];
    for (const [from, i] of [[ann, 1], [bea, 2], [bea, 3], [ann, 4], [bea, 5], [bea, 6]] as const) {
      sent.push((await store.appendMessage('s', draft('lobby', from, `c${i}`))).message);
    }
    await store.appendMessage('s', draft('help', bea, 'elsewhere'));
    const unread = (afterSeq: number, reader: string, cap = 99) => store.countUnread('s', 'lobby', afterSeq, reader, cap);
    assert.deepEqual(await unread(0, 'g1'), { count: 4, capped: false });
    assert.deepEqual(await unread(3, 'g1'), { count: 2, capped: false });
    assert.deepEqual(await unread(0, 'g2'), { count: 2, capped: false });
    await store.deleteMessage('s', sent[4]!.id);
    assert.deepEqual(await unread(3, 'g1'), { count: 1, capped: false });
    assert.deepEqual(await unread(6, 'g1'), { count: 0, capped: false });
    assert.deepEqual(await store.countUnread('s', 'nowhere', 0, 'g1', 99), { count: 0, capped: false });
  });

  it('caps the unread count, looking at no more than cap + 1 messages after the seq', async (store) => {
    await store.addSite(site('s'));
    const ann = guest('g1');
    const bea = guest('g2');
    // seqs 1-6 from bea, 7 from ann, 8-10 from bea.
    await appendMany(store, 's', 'lobby', bea, 6);
    await store.appendMessage('s', draft('lobby', ann, 'own'));
    for (let i = 8; i <= 10; i++) await store.appendMessage('s', draft('lobby', bea, `late-${i}`));
    const unread = (afterSeq: number, cap: number) => store.countUnread('s', 'lobby', afterSeq, 'g1', cap);
    assert.deepEqual(await unread(0, 10), { count: 9, capped: false }, 'exact up to the cap: ten messages, nine of others');
    assert.deepEqual(await unread(0, 99), { count: 9, capped: false });
    assert.deepEqual(await unread(2, 5), { count: 5, capped: true }, 'capped: more messages of others than the cap');
    assert.deepEqual(await unread(0, 6), { count: 6, capped: true }, 'seqs 1-7 looked at, six of others');
    // Own messages among the cap + 1 looked at: fewer than the cap counted, and the rest is not read, so a lower bound.
    assert.deepEqual(await unread(3, 5), { count: 5, capped: true }, 'seqs 4-9 looked at, five of others (six in fact)');
    assert.deepEqual(await unread(0, 9), { count: 9, capped: true }, 'seqs 1-10 looked at, nine of others; more might follow');
    assert.deepEqual(await unread(4, 6), { count: 5, capped: false }, 'all six left looked at: exact');
  });

  it('adds, lists active and removes bans', async (store) => {
    await store.addSite(site('s'));
    await store.addSite(site('t'));
    const now = 1_700_000_000_000;
    const fullDraft: BanDraft = {
      kind: 'ban',
      userId: 'g1',
      ip: '203.0.113.7',
      reason: 'spam',
      until: now + 1000,
      created: now - 2,
    };
    const full = await store.addBan('s', fullDraft);
    const bare = await store.addBan('s', { kind: 'mute', until: now + 1, created: now - 1 });
    await store.addBan('s', { kind: 'ban', userId: 'g2', until: now, created: now - 3 });
    const other = await store.addBan('t', { kind: 'ban', userId: 'g1', until: now + 1000, created: now });
    assert.deepEqual(full, { id: full.id, ...fullDraft });
    assert.notEqual(full.id, bare.id);

    assert.deepEqual(await store.activeBans('s', now), [full, bare], 'still in force, oldest first');
    assert.deepEqual(await store.activeBans('s', now + 1), [full]);
    assert.equal(await store.removeBan('s', other.id), false, "another site's ban");
    assert.equal(await store.removeBan('s', full.id), true);
    assert.equal(await store.removeBan('s', full.id), false);
    assert.deepEqual(await store.activeBans('s', now), [bare]);
    assert.deepEqual(await store.activeBans('t', now), [other]);
  });

  it('keeps seq gapless and clientIds unique with three nodes writing to one room', async (store, opened) => {
    const nodes = [store, await opened.openAnother(), await opened.openAnother()];
    await store.addSite(site('s'));
    const perNode = 100;
    const retried = 30;
    const sends = nodes.flatMap((node, n) =>
      range(1, perNode).map((i) => node.appendMessage('s', draft('busy', guest(`g${n}`), `n${n}-${i}`))),
    );
    // A client that timed out and resent through another node: both copies race.
    const retries = range(1, retried).map((i) =>
      Promise.all(
        [nodes[i % 3]!, nodes[(i + 1) % 3]!].map((node) =>
          node.appendMessage('s', draft('busy', guest('retrier'), `retry-${i}`, `attempt on ${nodes.indexOf(node)}`)),
        ),
      ),
    );
    const [results, pairs] = await Promise.all([Promise.all(sends), Promise.all(retries)]);

    for (const [a, b] of pairs) {
      assert.deepEqual(a.message, b.message, 'both attempts answer the one stored message');
      assert.equal(Number(a.duplicate) + Number(b.duplicate), 1, 'exactly one attempt stored it');
    }
    const total = 3 * perNode + retried;
    const answered = [...results, ...pairs.map(([a, b]) => (a.duplicate ? b : a))].map((r) => r.message.seq);
    assert.deepEqual(answered.sort((x, y) => x - y), range(1, total), 'each stored message got its own seq');

    const stored = await nodes[1]!.history('s', 'busy', { limit: total + 10 });
    assert.deepEqual(seqs(stored.messages), range(1, total), 'gapless, unique, in order');
    const keys = new Set(stored.messages.map((m) => `${m.from.id}/${m.clientId}`));
    assert.equal(keys.size, total, 'no clientId stored twice');
    assert.equal(await nodes[2]!.lastSeq('s', 'busy'), total);
  });

  it('archives widget builds: chunks stored once by name, byte for byte, readable from another node', async (store, opened) => {
    assert.deepEqual(await store.widgetChunkNames(), []);
    assert.equal(await store.getWidgetChunk('ui-aaaaaaaa.js'), undefined);
    const shared = chunk('core-00000000.js');
    await store.recordWidgetBuild('build-a', [shared, chunk('ui-aaaaaaaa.js', true)], 1_000);
    await store.recordWidgetBuild('build-b', [shared, chunk('ui-bbbbbbbb.js')], 2_000);
    // The same build again (another node, a restart): only its time moves.
    await store.recordWidgetBuild('build-b', [{ ...shared, body: Buffer.from('other bytes') }, chunk('ui-bbbbbbbb.js')], 3_000);

    const other = await opened.openAnother();
    assert.deepEqual(await other.widgetChunkNames(), ['core-00000000.js', 'ui-aaaaaaaa.js', 'ui-bbbbbbbb.js']);
    assert.deepEqual(await other.getWidgetChunk('core-00000000.js'), shared, 'a stored name keeps its first bytes');
    assert.deepEqual(await other.getWidgetChunk('ui-aaaaaaaa.js'), chunk('ui-aaaaaaaa.js', true), 'no compressed copies');
    assert.deepEqual(await other.getWidgetChunk('ui-bbbbbbbb.js'), chunk('ui-bbbbbbbb.js'));
    assert.equal(await other.getWidgetChunk('missing-00000000.js'), undefined);
  });

  it('prunes widget builds beyond the newest `keep` or seen before `since`, with the chunks only they had', async (store) => {
    const builds = ['b1', 'b2', 'b3', 'b4'];
    for (const [i, build] of builds.entries()) {
      await store.recordWidgetBuild(build, [chunk('core-00000000.js'), chunk(`ui-${build}xxxxxx.js`)], (i + 1) * 1_000);
    }
    assert.equal(await store.pruneWidgetBuilds(10, 0), 0, 'within both bounds');
    assert.equal((await store.widgetChunkNames()).length, 5);

    assert.equal(await store.pruneWidgetBuilds(3, 0), 1, 'the oldest of four, keeping three');
    assert.deepEqual(await store.widgetChunkNames(), ['core-00000000.js', 'ui-b2xxxxxx.js', 'ui-b3xxxxxx.js', 'ui-b4xxxxxx.js']);
    assert.equal(await store.getWidgetChunk('ui-b1xxxxxx.js'), undefined);

    // b2 seen again later: it is now newer than b3, which the time bound then drops.
    await store.recordWidgetBuild('b2', [chunk('core-00000000.js'), chunk('ui-b2xxxxxx.js')], 5_000);
    assert.equal(await store.pruneWidgetBuilds(10, 4_000), 1, 'seen before 4000: b3 only');
    assert.deepEqual(await store.widgetChunkNames(), ['core-00000000.js', 'ui-b2xxxxxx.js', 'ui-b4xxxxxx.js']);

    assert.equal(await store.pruneWidgetBuilds(1, 0), 1, 'only the newest, b2');
    assert.deepEqual(await store.widgetChunkNames(), ['core-00000000.js', 'ui-b2xxxxxx.js'], 'a chunk shared with a kept build stays');
    assert.deepEqual(await store.getWidgetChunk('core-00000000.js'), chunk('core-00000000.js'));

    assert.equal(await store.pruneWidgetBuilds(10, 6_000), 1, 'every build older than since');
    assert.deepEqual(await store.widgetChunkNames(), []);
  });
}
