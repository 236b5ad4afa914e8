/**
 * The big-room size is a server option (`bigRoomSize`, `--big-room-size`,
 * `CHAT_ROOM_BIG_ROOM_SIZE`) of 1 to `PRESENCE_LIST_MAX`; anything else is
 * refused at start, and the CLI's value reaches the server.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PRESENCE_LIST_MAX } from '../../protocol/index.js';
import { createChatServer } from '../../server/index.js';
import { connect, guestKey, startServer, tempDir, waitFor } from './helpers.js';
import { PresenceView } from './presence-view.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  return { code, err };
}

test('--big-room-size and CHAT_ROOM_BIG_ROOM_SIZE outside 1 to PRESENCE_LIST_MAX are usage errors', async (t) => {
  const dataDir = await tempDir(t);
  for (const value of ['0', String(PRESENCE_LIST_MAX + 1), '2.5', 'many']) {
    const { code, err } = await cli(['--big-room-size', value, '--data-dir', dataDir, '--port', '0']);
    assert.equal(code, 2, value);
    assert.match(err, /--big-room-size must be a whole number from 1 to 100/);
  }
  const fromEnv = await cli(['--data-dir', dataDir, '--port', '0'], { CHAT_ROOM_BIG_ROOM_SIZE: '1000' });
  assert.equal(fromEnv.code, 2);
  assert.match(fromEnv.err, /CHAT_ROOM_BIG_ROOM_SIZE/);
});

test('bigRoomSize outside 1 to PRESENCE_LIST_MAX is refused by createChatServer', async (t) => {
  const dataDir = await tempDir(t);
  for (const bigRoomSize of [0, PRESENCE_LIST_MAX + 1, 1.5]) {
    assert.throws(() => createChatServer({ dataDir, bigRoomSize, logLevel: 'silent' }), /bigRoomSize must be a whole number/);
  }
});

test('a room of exactly the big-room size is listed; one more member and it is not', async (t) => {
  const { url } = await startServer(t, { bigRoomSize: 3 });
  const members = await Promise.all(Array.from({ length: 4 }, () => connect(t, url, { guestKey: guestKey() })));
  const watcher = members[0]!.socket;
  const answer0 = await watcher.emitWithAck('room:join', { room: 'edge' });
  assert.ok(answer0.ok);
  const view = new PresenceView(watcher, 'edge', answer0.data.presence);
  for (const { socket } of members.slice(1, 3)) assert.ok((await socket.emitWithAck('room:join', { room: 'edge' })).ok);
  await view.until((v) => v.count === 3);
  assert.equal(view.members.length, 3);
  const four = waitFor(watcher, 'presence:update', (p) => p.count === 4);
  const answer = await members[3]!.socket.emitWithAck('room:join', { room: 'edge' });
  assert.deepEqual(answer.ok && answer.data.presence.members, []);
  const update = await four;
  assert.deepEqual(update.members, []);
  assert.deepEqual(update.joined, { count: 1, users: [] }, 'a join into a big room is counted, not named');
});
