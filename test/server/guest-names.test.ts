/** Generated guest names (issue 9, finding 1): stable before storing, and a last resort that cannot collide. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fallbackGuestName, guestName, guestUserId, isReservedGuestName, provisionalGuestName } from '../../server/identity.js';
import { cleanNickname, nicknameKey } from '../../server/nickname.js';

test('the provisional name is a function of the id', () => {
  const id = guestUserId('id-key', 'k_0123456789abcdef');
  assert.equal(provisionalGuestName(id), provisionalGuestName(id));
  assert.match(provisionalGuestName(id), /^Guest \d{6}$/);
});

test('generated names widen when crowded', () => {
  assert.match(guestName(0), /^Guest \d{4}$/);
  assert.match(guestName(10), /^Guest \d{6}$/);
  assert.match(guestName(29), /^Guest \d{9}$/);
});

test('the last-resort name is a valid nickname, reserved, and unique per id even after case folding', () => {
  const a = 'g_AbCdEfGhIjKlMnOp';
  const b = 'g_abcdefghijklmnop';
  for (const id of [a, b]) {
    const name = fallbackGuestName(id);
    assert.equal(cleanNickname(name), name, `${name} is a valid nickname`);
    assert.ok(isReservedGuestName(nicknameKey(name)));
  }
  assert.notEqual(nicknameKey(fallbackGuestName(a)), nicknameKey(fallbackGuestName(b)));
  assert.equal(isReservedGuestName(nicknameKey(guestName(29))), false, 'random names never take that shape');
});
