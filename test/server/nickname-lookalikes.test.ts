import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { connect, demoSecret, nowSeconds, signToken, startServer } from './helpers.js';
import type { Client } from './helpers.js';

async function rename(socket: Client, name: string): Promise<string> {
  const ack = await socket.emitWithAck('user:rename', { name });
  return ack.ok ? 'ok' : ack.error.code;
}

async function siteWithAlice(t: TestContext) {
  const { url, server } = await startServer(t);
  const token = signToken({ sub: 'alice', name: 'Alice', site: 'demo', exp: nowSeconds() + 300 }, await demoSecret(server));
  await connect(t, url, { token });
  const guest = await connect(t, url);
  return { url, guest: guest.socket };
}

test("a guest cannot take a confusable of a signed-in user's name", async (t) => {
  const { guest } = await siteWithAlice(t);
  const lookAlikes = {
    'dotless i': 'Al\u0131ce',
    'capital I for l': 'AIice',
    'Cyrillic A': '\u0410lice',
    'Cyrillic i': 'Al\u0456ce',
    'mathematical bold A': '\u{1D400}lice',
    fullwidth: '\uFF21\uFF4C\uFF49\uFF43\uFF45',
    'Latin small capital and accent': 'Ali\u0107e',
    'digit one for l': 'A1ice',
  };
  for (const [what, name] of Object.entries(lookAlikes)) assert.equal(await rename(guest, name), 'nickname_taken', what);
  assert.equal(await rename(guest, 'Alina'), 'ok');
});

test('names padded or split with invisible characters are refused', async (t) => {
  const { guest } = await siteWithAlice(t);
  const invisible = {
    'hangul filler': 'Alice\u3164',
    'hangul choseong filler': 'Alice\u115F',
    'hangul jungseong filler': '\u1160Alice',
    'halfwidth hangul filler': 'Alice\uFFA0',
    'braille blank': 'Alice\u2800',
    'zero-width space': 'Al\u200Bice',
    'zero-width non-joiner': 'Al\u200Cice',
    'stray zero-width joiner': 'Alice\u200D',
    'word joiner': 'Ali\u2060ce',
    'soft hyphen': 'Al\u00ADice',
    'combining grapheme joiner': 'Alice\u034F',
    'variation selector after a letter': 'Alice\uFE0F',
    'mongolian vowel separator': 'Alice\u180E',
    'tag characters': 'Alice\u{E0041}\u{E007F}',
  };
  for (const [what, name] of Object.entries(invisible)) assert.equal(await rename(guest, name), 'invalid_nickname', what);
  // Emoji sequences keep their joiners, variation selectors and tags.
  for (const name of ['Ann \u{1F469}\u200D\u{1F4BB}', 'Kim \u2764\uFE0F', 'Ewan \u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}']) {
    assert.equal(await rename(guest, name), 'ok', name);
  }
});

test("a guest cannot take a confusable of another guest's name", async (t) => {
  const { url } = await startServer(t);
  const bob = await connect(t, url);
  const other = await connect(t, url);
  assert.equal(await rename(bob.socket, 'Bobby Tom'), 'ok');
  for (const name of ['B\u03BFbby Tom', 'B0bby Tom', 'bobby tom', 'Bobby Torn', 'Bobby\u00A0Tom', 'Bobby_Tom', 'B\u043Ebby T\u043Em']) {
    assert.equal(await rename(other.socket, name), 'nickname_taken', name);
  }
  assert.equal(await rename(other.socket, 'Bobby Tim'), 'ok');
  // Renaming oneself to a look-alike of one's own name is fine.
  assert.equal(await rename(bob.socket, 'B0bby Tom'), 'ok');
});
