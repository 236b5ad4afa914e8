import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessageChanged } from '../../protocol/index.js';
import { ALLOWED_ORIGIN, api, connect, createSite, nowSeconds, record, runSiteCli, sentinel, signToken, waitFor } from './helpers.js';
import { ROOM, codeOf, richRoom, say } from './rich-helpers.js';

test('an author edits their message: the answer and every member’s message:changed carry the new text, editedAt and rev', async (t) => {
  const { user, guest } = await richRoom(t);
  const alice = await user('alice');
  const bob = await guest();
  const message = await say(alice.socket, 'helo');
  const heard = waitFor(bob.socket, 'message:changed');
  const ack = await alice.socket.emitWithAck('message:edit', { room: ROOM, messageId: message.id, text: '  hello  ' });
  assert.ok(ack.ok, JSON.stringify(ack));
  const changed: MessageChanged = await heard;
  assert.equal(changed.message.text, 'hello');
  assert.equal(changed.message.seq, message.seq);
  assert.ok(changed.message.editedAt! >= message.at);
  assert.ok(changed.rev > 0);
  assert.equal(changed.message.rev, changed.rev);
  assert.equal(ack.data.rev, changed.rev);
  assert.equal(ack.data.message.text, 'hello');
  const history = await bob.socket.emitWithAck('message:history', { room: ROOM });
  assert.ok(history.ok);
  assert.equal(history.data.messages[0]?.text, 'hello');
  assert.equal(history.data.messages[0]?.editedAt, changed.message.editedAt);
});

test('edits are refused for another’s message, a deleted one, one of another room, and bad text; nothing changes', async (t) => {
  const { user } = await richRoom(t);
  const alice = await user('alice');
  const bob = await user('bob');
  const message = await say(alice.socket, 'mine');
  const edit = (socket = bob.socket, messageId = message.id, text = 'hijacked', room = ROOM) =>
    socket.emitWithAck('message:edit', { room, messageId, text });
  assert.equal(codeOf(await edit()), 'forbidden');
  assert.equal(codeOf(await edit(alice.socket, 'nope')), 'unknown_message');
  assert.equal(codeOf(await edit(alice.socket, message.id, '   ')), 'message_empty');
  assert.equal(codeOf(await edit(alice.socket, message.id, 'x'.repeat(5000))), 'message_too_long');
  assert.equal(codeOf(await edit(alice.socket, message.id, 'elsewhere', 'other')), 'not_in_room');
  assert.ok((await alice.socket.emitWithAck('room:join', { room: 'other' })).ok);
  assert.equal(codeOf(await edit(alice.socket, message.id, 'elsewhere', 'other')), 'unknown_message');
  const page = await bob.socket.emitWithAck('message:history', { room: ROOM });
  assert.ok(page.ok);
  assert.equal(page.data.messages[0]?.text, 'mine');
  assert.equal(page.data.messages[0]?.editedAt, undefined);
  assert.ok((await alice.socket.emitWithAck('message:delete', { room: ROOM, messageId: message.id })).ok);
  assert.equal(codeOf(await edit(alice.socket)), 'message_deleted');
});

test('a site with an edit window of 0 refuses every edit with edit_window_closed', async (t) => {
  const { url } = await richRoom(t);
  const site = await createSite(url, { id: 'strict', name: 'Strict', origins: [ALLOWED_ORIGIN], editWindowMinutes: 0 });
  const token = signToken({ sub: 'ann', name: 'Ann', site: 'strict', exp: nowSeconds() + 300 }, site.secret);
  const { socket } = await connect(t, url, { site: 'strict', token });
  assert.ok((await socket.emitWithAck('room:join', { room: ROOM })).ok);
  const message = await say(socket, 'final');
  assert.equal(codeOf(await socket.emitWithAck('message:edit', { room: ROOM, messageId: message.id, text: 'changed' })), 'edit_window_closed');
  const shown = await api(url, 'GET', '/sites/strict');
  assert.equal((shown.body.site as { editWindowMinutes?: number }).editWindowMinutes, 0);
  for (const editWindowMinutes of [-1, 1.5, 7 * 24 * 60 + 1, '5']) {
    const refused = await api(url, 'POST', '/sites', { body: { id: 'bad', name: 'Bad', origins: [ALLOWED_ORIGIN], editWindowMinutes } });
    assert.equal(refused.status, 400, String(editWindowMinutes));
  }
});

test('site add --edit-window-minutes stores the window; a bad value is refused', async (t) => {
  const { dataDir, close } = await richRoom(t);
  await close();
  const added = await runSiteCli(dataDir, 'add', 'quick', '--name', 'Quick', '--origin', ALLOWED_ORIGIN, '--edit-window-minutes', '5', '--json');
  assert.equal(added.code, 0, added.err);
  assert.equal((JSON.parse(added.out) as { site: { editWindowMinutes?: number } }).site.editWindowMinutes, 5);
  const bad = await runSiteCli(dataDir, 'add', 'slow', '--name', 'Slow', '--origin', ALLOWED_ORIGIN, '--edit-window-minutes', 'soon');
  assert.notEqual(bad.code, 0);
  assert.match(bad.err, /edit-window-minutes/);
});

test('muted users cannot edit; in a read-only room only moderators edit', async (t) => {
  const { url, secret, user } = await richRoom(t);
  const alice = await user('alice');
  const message = await say(alice.socket, 'before the mute');
  const muted = await api(url, 'POST', '/sites/demo/bans', { token: secret, body: { userId: alice.session.user.id, kind: 'mute', durationMs: 60_000 } });
  assert.equal(muted.status, 201);
  assert.equal(codeOf(await alice.socket.emitWithAck('message:edit', { room: ROOM, messageId: message.id, text: 'after' })), 'muted');

  const site = await createSite(url, { id: 'news', name: 'News', origins: [ALLOWED_ORIGIN], readOnlyRooms: [ROOM] });
  const signed = (sub: string, role?: string) =>
    signToken({ sub, name: sub, site: 'news', exp: nowSeconds() + 300, ...(role ? { role } : {}) }, site.secret);
  const editor = await connect(t, url, { site: 'news', token: signed('editor', 'moderator') });
  assert.ok((await editor.socket.emitWithAck('room:join', { room: ROOM })).ok);
  const news = await say(editor.socket, 'news');
  assert.ok((await editor.socket.emitWithAck('message:edit', { room: ROOM, messageId: news.id, text: 'news, corrected' })).ok);
  // Demoted: their own message there can no longer be edited, as they can no longer post.
  assert.ok((await editor.socket.emitWithAck('session:renew', { token: signed('editor') })).ok);
  assert.equal(codeOf(await editor.socket.emitWithAck('message:edit', { room: ROOM, messageId: news.id, text: 'again' })), 'read_only');
});

test('an author deletes their own message; others may not; a moderator deletes anyone’s; every member hears message:deleted with rev', async (t) => {
  const { user, guest } = await richRoom(t);
  const alice = await user('alice');
  const bob = await guest();
  const mod = await user('mod', { role: 'moderator' });
  const first = await say(alice.socket, 'first');
  const second = await say(alice.socket, 'second');
  assert.equal(codeOf(await bob.socket.emitWithAck('message:delete', { room: ROOM, messageId: first.id })), 'forbidden');
  assert.equal(codeOf(await bob.socket.emitWithAck('message:delete', { room: ROOM, messageId: 'nope' })), 'unknown_message');
  const deletions = record(bob.socket, 'message:deleted');
  const own = await alice.socket.emitWithAck('message:delete', { room: ROOM, messageId: first.id });
  assert.ok(own.ok);
  assert.equal(own.data.id, first.id);
  assert.equal(own.data.seq, first.seq);
  assert.ok(own.data.rev! > 0);
  const moderated = await mod.socket.emitWithAck('message:delete', { room: ROOM, messageId: second.id });
  assert.ok(moderated.ok);
  assert.ok(moderated.data.rev! > own.data.rev!);
  await sentinel(alice.socket, bob.socket, ROOM);
  assert.deepEqual(deletions, [own.data, moderated.data]);
  const page = await bob.socket.emitWithAck('message:history', { room: ROOM });
  assert.ok(page.ok);
  assert.deepEqual(page.data.messages.slice(0, 2).map((m) => [m.seq, m.deleted, m.text]), [[first.seq, true, ''], [second.seq, true, '']]);
});

test('mod:delete answers and broadcasts the deletion’s rev', async (t) => {
  const { user, guest } = await richRoom(t);
  const alice = await user('alice');
  const bob = await guest();
  const mod = await user('mod', { role: 'moderator' });
  const message = await say(alice.socket, 'spam');
  const heard = waitFor(bob.socket, 'message:deleted');
  const ack = await mod.socket.emitWithAck('mod:delete', { room: ROOM, messageId: message.id });
  assert.ok(ack.ok);
  assert.ok(ack.data.rev! > 0);
  assert.deepEqual(await heard, ack.data);
});
