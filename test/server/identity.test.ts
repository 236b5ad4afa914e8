import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NICKNAME_MAX_LENGTH } from '../../protocol/index.js';
import { connect, emitRaw, guestKey, record, startServer, waitFor } from './helpers.js';

test('a new guest gets a readable generated name and a public id that is not the key', async (t) => {
  const { url } = await startServer(t);
  const key = guestKey();
  const { session } = await connect(t, url, { guestKey: key });
  assert.match(session.user.name, /^Guest \d{6}$/);
  assert.equal(session.user.kind, 'guest');
  assert.match(session.user.id, /^g_[A-Za-z0-9_-]{16}$/);
  assert.ok(!session.user.id.includes(key) && !key.includes(session.user.id.slice(2)));
  assert.deepEqual(session.site, { id: 'demo', name: 'Demo' });
  assert.ok(Math.abs(session.serverTime - Date.now()) < 5000);
});

test('generated names are unique across many guests', async (t) => {
  const { url } = await startServer(t);
  const sessions = await Promise.all(Array.from({ length: 30 }, () => connect(t, url)));
  const names = sessions.map((s) => s.session.user.name.toLowerCase());
  assert.equal(new Set(names).size, names.length);
  assert.equal(new Set(sessions.map((s) => s.session.user.id)).size, names.length);
});

test('the same guest key is the same user with the same name on reconnect', async (t) => {
  const { url } = await startServer(t);
  const key = guestKey();
  const first = await connect(t, url, { guestKey: key });
  first.socket.disconnect();
  const second = await connect(t, url, { guestKey: key });
  assert.deepEqual(second.session.user, first.session.user);
});

test('a missing or malformed guest key gets a fresh guest for that connection', async (t) => {
  const { url } = await startServer(t);
  const a = await connect(t, url);
  const b = await connect(t, url, { guestKey: 'short' });
  const c = await connect(t, url, { guestKey: 'short' });
  assert.notEqual(a.session.user.id, b.session.user.id);
  assert.notEqual(b.session.user.id, c.session.user.id, 'a malformed key is not reused as an identity');
});

test('a nickname asked for in the handshake is applied when free, ignored when taken or invalid', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url, { nickname: '  Alice   Smith ' });
  assert.equal(alice.session.user.name, 'Alice Smith');
  const impostor = await connect(t, url, { nickname: 'alice smith' });
  assert.match(impostor.session.user.name, /^Guest \d+$/);
  const invalid = await connect(t, url, { nickname: 'x' });
  assert.match(invalid.session.user.name, /^Guest \d+$/);
});

test('a rename is answered, sent to every tab of the user and announced in their rooms', async (t) => {
  const { url } = await startServer(t);
  const key = guestKey();
  const tab1 = await connect(t, url, { guestKey: key });
  const tab2 = await connect(t, url, { guestKey: key });
  const bob = await connect(t, url);
  await tab1.socket.emitWithAck('room:join', { room: 'lobby' });
  await bob.socket.emitWithAck('room:join', { room: 'lobby' });

  const [ack, updated, notice, presence] = await Promise.all([
    tab1.socket.emitWithAck('user:rename', { name: 'Zelda' }),
    waitFor(tab2.socket, 'user:updated'),
    waitFor(bob.socket, 'room:notice', (n) => n.kind === 'rename'),
    waitFor(bob.socket, 'presence:update', (p) => [...(p.members ?? []), ...(p.updated ?? [])].some((m) => m.name === 'Zelda')),
  ]);
  assert.ok(ack.ok);
  assert.deepEqual(ack.data.user, { ...tab1.session.user, name: 'Zelda' });
  assert.deepEqual(updated, ack.data.user);
  assert.equal(notice.room, 'lobby');
  assert.equal(notice.previousName, tab1.session.user.name);
  assert.equal(notice.user.name, 'Zelda');
  assert.equal(presence.count, 2);

  // Both tabs now send under the new name, and it is kept for the next visit.
  await tab2.socket.emitWithAck('room:join', { room: 'lobby' });
  const sent = await tab2.socket.emitWithAck('message:send', { room: 'lobby', text: 'hi', clientId: crypto.randomUUID() });
  assert.ok(sent.ok);
  assert.equal(sent.data.message.from.name, 'Zelda');
  const later = await connect(t, url, { guestKey: key });
  assert.equal(later.session.user.name, 'Zelda');
});

test('a name held by another user is refused with nickname_taken, in any case or width', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url, { nickname: 'Alice' });
  const bob = await connect(t, url);
  for (const name of ['Alice', 'alice', ' ALICE ', 'Ａｌｉｃｅ']) {
    const ack = await bob.socket.emitWithAck('user:rename', { name });
    assert.equal(ack.ok ? 'ok' : ack.error.code, 'nickname_taken', name);
  }
  // Changing only the case of one's own name is allowed.
  const own = await alice.socket.emitWithAck('user:rename', { name: 'ALICE' });
  assert.ok(own.ok);
  assert.equal(own.data.user.name, 'ALICE');
});

test('invalid nicknames are refused with invalid_nickname and change nothing', async (t) => {
  const { url } = await startServer(t);
  const { socket, session } = await connect(t, url);
  const updates = record(socket, 'user:updated');
  for (const name of ['', ' ', 'x', 'x'.repeat(NICKNAME_MAX_LENGTH + 1), 'bad\u0000name', 'evil\u202Eeman', 'zero\u200Bwidth']) {
    const ack = await socket.emitWithAck('user:rename', { name });
    assert.equal(ack.ok ? 'ok' : ack.error.code, 'invalid_nickname', JSON.stringify(name));
  }
  for (const payload of [undefined, 'Alice', { name: 42 }, { nickname: 'Alice' }]) {
    const ack = (await emitRaw(socket, 'user:rename', payload)) as { error?: { code: string } };
    assert.equal(ack.error?.code, 'invalid_payload', JSON.stringify(payload));
  }
  // Acks come after anything the handler sent this socket: every refusal is answered, so nothing is in flight.
  assert.deepEqual(updates, []);
  const again = await socket.emitWithAck('room:join', { room: 'lobby' });
  assert.ok(again.ok);
  assert.equal(again.data.presence.members[0]!.name, session.user.name);
});
