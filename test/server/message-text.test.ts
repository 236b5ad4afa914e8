/**
 * Message text is cleaned the same whether or not it is plain ASCII (which
 * skips the Unicode steps), and measured in code points at the length bound.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MESSAGE_MAX_LENGTH } from '../../protocol/index.js';
import { clientId, connect, startServer } from './helpers.js';

test('plain ASCII is stored as sent; a control, a bidi override or a lone surrogate anywhere is still removed', async (t) => {
  const { url } = await startServer(t);
  const { socket } = await connect(t, url);
  await socket.emitWithAck('room:join', { room: 'lobby' });
  const cases: [sent: string, stored: string][] = [
    ['  a\tb\nc ~!  ', 'a\tb\nc ~!'],
    ['del\u007Fete', 'delete'],
    ['bell\u0007 and \u009Bcsi', 'bell and csi'],
    ['\u202Eevil', 'evil'],
    ['half \uD800 pair', 'half  pair'],
    ['cafe\u0301', 'café'],
  ];
  for (const [sent, stored] of cases) {
    const ack = await socket.emitWithAck('message:send', { room: 'lobby', text: sent, clientId: clientId() });
    assert.ok(ack.ok, JSON.stringify(sent));
    assert.equal(ack.data.message.text, stored, JSON.stringify(sent));
  }
});

test('the length bound counts code points: a pair counts once, a surrogate half left alone is dropped first', async (t) => {
  const { url } = await startServer(t);
  const { socket } = await connect(t, url);
  await socket.emitWithAck('room:join', { room: 'lobby' });
  const send = (text: string) => socket.emitWithAck('message:send', { room: 'lobby', text, clientId: clientId() });

  const mixed = 'x'.repeat(MESSAGE_MAX_LENGTH - 1) + '😀';
  const fits = await send(mixed);
  assert.ok(fits.ok);
  assert.equal(fits.data.message.text, mixed);

  const over = await send('x'.repeat(MESSAGE_MAX_LENGTH) + '😀');
  assert.ok(!over.ok);
  assert.equal(over.error.code, 'message_too_long');

  const lone = await send('\uD83D' + 'x'.repeat(MESSAGE_MAX_LENGTH));
  assert.ok(lone.ok);
  assert.equal(lone.data.message.text.length, MESSAGE_MAX_LENGTH);
});
