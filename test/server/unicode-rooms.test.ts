/** Room names in any script (issue 10, defect 7): letters and digits of every script, NFC-normalised, length in code points. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ROOM_NAME_MAX_LENGTH } from '../../protocol/index.js';
import { ALLOWED_ORIGIN, api, clientId, connect, createSite, emitRaw, nowSeconds, signToken, startServer, waitFor } from './helpers.js';

const NFC = 'caf\u00e9';
const NFD = 'cafe\u0301';

test('a room named in Chinese is joined and chatted in', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  const joined = await alice.socket.emitWithAck('room:join', { room: '大厅' });
  assert.ok(joined.ok, JSON.stringify(joined));
  assert.equal(joined.data.room, '大厅');
  assert.ok((await bob.socket.emitWithAck('room:join', { room: '大厅' })).ok);
  const arrived = waitFor(alice.socket, 'message:new', (m) => m.text === '你好');
  const sent = await bob.socket.emitWithAck('message:send', { room: '大厅', text: '你好', clientId: clientId() });
  assert.ok(sent.ok, JSON.stringify(sent));
  assert.equal((await arrived).room, '大厅');
  const history = await alice.socket.emitWithAck('message:history', { room: '大厅' });
  assert.ok(history.ok);
  assert.deepEqual(history.data.messages.map((m) => m.text), ['你好']);
});

test('names that are equal once NFC-normalised are one room, named in NFC', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  const a = await alice.socket.emitWithAck('room:join', { room: NFC });
  assert.ok(a.ok, JSON.stringify(a));
  const b = await bob.socket.emitWithAck('room:join', { room: NFD });
  assert.ok(b.ok, JSON.stringify(b));
  assert.equal(b.data.room, NFC, 'the answer names the room as stored');
  assert.equal(b.data.presence.count, 2, 'both are in one room');
  const arrived = waitFor(alice.socket, 'message:new', (m) => m.text === 'same room');
  const sent = await bob.socket.emitWithAck('message:send', { room: NFD, text: 'same room', clientId: clientId() });
  assert.ok(sent.ok, JSON.stringify(sent));
  assert.equal((await arrived).room, NFC);
  const typing = waitFor(alice.socket, 'typing:update', (u) => u.typing);
  bob.socket.emit('typing:set', { room: NFD, typing: true });
  assert.equal((await typing).room, NFC);
});

test('control, bidi, invisible and other non-letter characters are refused with invalid_room', async (t) => {
  const { url } = await startServer(t);
  const { socket } = await connect(t, url);
  const refused = [
    'a\u202Eb', // right-to-left override
    'a\u2066b', // left-to-right isolate
    'a\u0007b', // bell
    'a\u200Bb', // zero-width space
    '\u3164', // Hangul filler: a letter that shows nothing
    'a b',
    '\u0301a', // a combining mark cannot start a name
    '🎉',
    'dm:a:b',
    'DM:x',
    '',
  ];
  for (const room of refused) {
    const ack = (await emitRaw(socket, 'room:join', { room })) as { ok: boolean; error?: { code: string } };
    assert.equal(ack.error?.code, 'invalid_room', `${JSON.stringify(room)} is refused`);
  }
  // Letters with marks, other scripts, digits of other scripts and the ASCII punctuation of before.
  for (const room of ['नमस्ते', 'Ελληνικά', 'Кафе', 'مرحبا', '١٢٣', 'page:/blog/post-1', 'a._~:/-z']) {
    const ack = await socket.emitWithAck('room:join', { room });
    assert.ok(ack.ok, `${room} is a room: ${JSON.stringify(ack)}`);
    await socket.emitWithAck('room:leave', { room });
  }
});

test('the length limit counts code points, not UTF-16 units', async (t) => {
  const { url } = await startServer(t);
  const { socket } = await connect(t, url);
  // U+20000 is one CJK ideograph and two UTF-16 units.
  const longest = '\u{20000}'.repeat(ROOM_NAME_MAX_LENGTH);
  const ok = await socket.emitWithAck('room:join', { room: longest });
  assert.ok(ok.ok, JSON.stringify(ok));
  const tooLong = await socket.emitWithAck('room:join', { room: longest + '\u{20000}' });
  assert.equal(!tooLong.ok && tooLong.error.code, 'invalid_room');
  // Combining marks count once composed: 64 "é" written decomposed are 128 code points on the wire.
  const composed = await socket.emitWithAck('room:join', { room: NFD.slice(3).repeat(ROOM_NAME_MAX_LENGTH) });
  assert.ok(composed.ok, JSON.stringify(composed));
});

test('the admin API takes Unicode rooms, normalised, for the allow-list and in paths', async (t) => {
  const { url } = await startServer(t);
  const site = await createSite(url, { id: 'uni', name: 'Unicode', origins: [ALLOWED_ORIGIN], roomPolicy: 'allow-list', rooms: ['大厅', NFD] });
  const got = await api(url, 'GET', `/sites/${site.id}`);
  assert.deepEqual((got.body.site as { rooms: string[] }).rooms, ['大厅', NFC]);
  const { socket } = await connect(t, url, { site: site.id });
  for (const room of ['大厅', NFC, NFD]) {
    const ack = await socket.emitWithAck('room:join', { room });
    assert.ok(ack.ok, `${room}: ${JSON.stringify(ack)}`);
  }
  const other = await socket.emitWithAck('room:join', { room: '其他' });
  assert.equal(!other.ok && other.error.code, 'room_not_allowed');

  const members = await api(url, 'GET', `/sites/${site.id}/rooms/${encodeURIComponent(NFD)}/members`);
  assert.equal(members.status, 200, JSON.stringify(members.body));
  assert.equal(members.body.count, 1, 'the decomposed name in the path is the composed room');
  const bidi = await api(url, 'GET', `/sites/${site.id}/rooms/${encodeURIComponent('a\u202Eb')}/members`);
  assert.equal(bidi.status, 400);
  assert.equal((bidi.body.error as { code: string }).code, 'invalid_room');
  const bad = await api(url, 'POST', '/sites', { body: { id: 'uni2', name: 'U', origins: [ALLOWED_ORIGIN], rooms: ['a\u200Bb'] } });
  assert.equal(bad.status, 400);
});

test("a token's rooms claim is compared in NFC", async (t) => {
  const { url } = await startServer(t);
  const site = await createSite(url, { id: 'tok', name: 'Tokens', origins: [ALLOWED_ORIGIN] });
  const token = signToken({ site: site.id, sub: 'ann', name: 'Ann', exp: nowSeconds() + 600, rooms: [NFD] }, site.secret);
  const { socket } = await connect(t, url, { site: site.id, token });
  const ack = await socket.emitWithAck('room:join', { room: NFC });
  assert.ok(ack.ok, JSON.stringify(ack));
  const other = await socket.emitWithAck('room:join', { room: 'cafe' });
  assert.equal(!other.ok && other.error.code, 'room_not_allowed');
});
