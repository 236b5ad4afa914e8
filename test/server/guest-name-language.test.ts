/** Guest names follow the UI language the client names in `auth.lang` (issue 10, defect 7). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fallbackGuestName, guestName, guestUserId, isReservedGuestName, provisionalGuestName } from '../../server/identity.js';
import { cleanNickname, nicknameKey } from '../../server/nickname.js';
import { clientId, connect, guestKey, startServer } from './helpers.js';

test('a guest whose client speaks Chinese is named 访客, others Guest; a malformed lang is ignored', async (t) => {
  const { url } = await startServer(t);
  for (const lang of ['zh-CN', 'zh', 'zh-Hans-SG', 'ZH-tw']) {
    const { session } = await connect(t, url, { guestKey: guestKey(), lang });
    assert.match(session.user.name, /^访客 \d{6}$/, lang);
  }
  for (const lang of ['en', 'de-DE', 'x'.repeat(200), 'zh\u202E', 42 as unknown as string, undefined]) {
    const { session } = await connect(t, url, { guestKey: guestKey(), ...(lang === undefined ? {} : { lang }) });
    assert.match(session.user.name, /^Guest \d{6}$/, String(lang));
  }
});

test('a Chinese guest keeps its 访客 name once stored, and another tab of it in English does not rename it', async (t) => {
  const { url } = await startServer(t);
  const key = guestKey();
  const zh = await connect(t, url, { guestKey: key, lang: 'zh-CN' });
  assert.ok((await zh.socket.emitWithAck('room:join', { room: '大厅' })).ok);
  const sent = await zh.socket.emitWithAck('message:send', { room: '大厅', text: '你好', clientId: clientId() });
  assert.ok(sent.ok, JSON.stringify(sent));
  assert.equal(sent.data.message.from.name, zh.session.user.name);
  const en = await connect(t, url, { guestKey: key, lang: 'en' });
  assert.equal(en.session.user.name, zh.session.user.name);
});

test('generated names in every language: the same shapes, and the last resort reserved in any of them', () => {
  const id = guestUserId('id-key', 'k_0123456789abcdef');
  assert.match(provisionalGuestName(id, 'zh'), /^访客 \d{6}$/);
  assert.match(guestName(0, 'zh'), /^访客 \d{4}$/);
  assert.match(guestName(29, 'zh'), /^访客 \d{9}$/);
  const other = guestUserId('id-key', 'k_fedcba9876543210');
  for (const lang of ['en', 'zh'] as const) {
    const name = fallbackGuestName(id, lang);
    assert.equal(cleanNickname(name), name, `${name} is a valid nickname`);
    assert.ok(isReservedGuestName(nicknameKey(name)), `${name} is reserved`);
    assert.ok(!isReservedGuestName(nicknameKey(name), id), `${name} is free for the guest it spells`);
    assert.ok(isReservedGuestName(nicknameKey(name), other), `${name} is not free for another guest`);
    assert.equal(isReservedGuestName(nicknameKey(guestName(29, lang))), false, 'random names never take that shape');
  }
});

test("a guest cannot rename to the 访客 last-resort name of another guest's id", async (t) => {
  const { url } = await startServer(t);
  const victim = await connect(t, url, { guestKey: guestKey() });
  const mallory = await connect(t, url, { guestKey: guestKey(), lang: 'zh' });
  const taken = await mallory.socket.emitWithAck('user:rename', { name: fallbackGuestName(victim.session.user.id, 'zh') });
  assert.equal(!taken.ok && taken.error.code, 'nickname_taken');
  const own = await mallory.socket.emitWithAck('user:rename', { name: fallbackGuestName(mallory.session.user.id, 'zh') });
  assert.ok(own.ok, JSON.stringify(own));
});
