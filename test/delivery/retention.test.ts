/**
 * A site's retention deletes old messages; a client that was away across the
 * deleted range must still catch up (and not ask for the gone range forever).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyRetention } from '../../server/services/retention.js';
import { startServer } from '../server/helpers.js';
import { roomClient, sleep, uniqueRoom, until } from './clients.js';

const DAY = 24 * 3600 * 1000;

test('retention deletes what is older than the site keeps, and an away client resumes after the gap', async (t) => {
  const { server, url } = await startServer(t);
  const demo = (await server.store.getSite('demo'))!;
  await server.store.updateSite({ ...demo, retentionDays: 7 });
  const room = uniqueRoom('retention');
  const member = roomClient(t, url, room);
  await until('joined', () => member.conversation.status === 'ready', 10_000);
  const author = { id: 'g_author', name: 'Author', kind: 'guest' as const };
  const append = (i: number, at: number) => server.store.appendMessage('demo', { room, clientId: `m-${i}-xxxx`, from: author, text: `m${i}`, at });
  for (let i = 1; i <= 3; i++) await member.conversation.send(`m${i}`);
  await until('the first three held', () => member.conversation.messages.length === 3, 5000);

  member.conn.disconnect();
  // While away: 27 messages that retention will remove, then 73 it keeps.
  for (let i = 4; i <= 30; i++) await append(i, Date.now() - 30 * DAY);
  for (let i = 31; i <= 103; i++) await append(i, Date.now());
  assert.deepEqual(await applyRetention(server.store), { demo: 27 });
  await sleep(100);

  member.conn.connect();
  await until('caught up to 103', () => member.conversation.messages.at(-1)?.seq === 103, 10_000);
  await sleep(200);
  const held = member.conversation.messages.map((m) => m.seq);
  assert.deepEqual(held.join(','), [1, 2, 3, ...Array.from({ length: 73 }, (_, i) => i + 31)].join(','));

  // Settled: the client does not keep asking for the removed range.
  const store = server.store as { history: typeof server.store.history };
  const history = store.history.bind(server.store);
  let asked = 0;
  store.history = (...args) => {
    asked++;
    return history(...args);
  };
  await sleep(500);
  assert.equal(asked, 0, `${asked} history requests after catching up`);
});
