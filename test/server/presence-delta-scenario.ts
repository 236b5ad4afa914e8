/**
 * A small room changing while clients follow it by deltas (see
 * presence-view.ts), on one server or spread over the nodes of a cluster:
 * joins, leaves, a rename, and one client that loses an update on the way.
 * Every client must end with the room's list as `presence:list` gives it.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { TEST_GRACE_MS, connect, guestKey, sleep } from './helpers.js';
import type { Client } from './helpers.js';
import { PresenceView } from './presence-view.js';

export interface DeltaScenarioResult {
  deltas: number;
  lists: number;
  refetches: number;
}

async function member(t: TestContext, url: string, room: string, nickname: string, lose?: (version: number) => boolean): Promise<{ socket: Client; view: PresenceView }> {
  const { socket } = await connect(t, url, { nickname, guestKey: guestKey() });
  const answer = await socket.emitWithAck('room:join', { room });
  assert.ok(answer.ok, JSON.stringify(answer));
  let lost = false;
  const view = new PresenceView(socket, room, answer.data.presence, {
    // The first delta after joining is lost, as if it came after a later one.
    lose: (p) => !lost && p.base !== undefined && (lost = lose?.(p.version) ?? false),
  });
  return { socket, view };
}

export async function deltaScenario(t: TestContext, urls: string[], room: string): Promise<DeltaScenarioResult> {
  const url = (i: number): string => urls[i % urls.length]!;
  const members: Array<{ socket: Client; view: PresenceView }> = [];
  for (let i = 0; i < 6; i++) {
    members.push(await member(t, url(i), room, `Member ${i}`));
    await sleep(120);
  }
  const lossy = await member(t, url(6), room, 'Lossy', () => true);
  members.push(lossy);
  await sleep(300);
  // Joins a window apart (deltas), then leaves and a rename.
  for (let i = 7; i < 10; i++) {
    members.push(await member(t, url(i), room, `Member ${i}`));
    await sleep(300);
  }
  const leaving = members.splice(1, 2);
  for (const { socket } of leaving) socket.disconnect();
  await sleep(TEST_GRACE_MS + 400);
  assert.ok((await members[0]!.socket.emitWithAck('user:rename', { name: 'Renamed' })).ok);
  await sleep(400);
  members.push(await member(t, url(11), room, 'Last'));

  const page = async () => {
    const ack = await members[0]!.socket.emitWithAck('presence:list', { room, limit: 100 });
    assert.ok(ack.ok);
    return ack.data;
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const truth = await page();
    const ids = truth.members.map((m) => m.id);
    const behind = members.filter(({ view }) => view.count !== truth.count || JSON.stringify(view.members) !== JSON.stringify(truth.members));
    if (behind.length === 0 && ids.length === members.length) break;
    if (Date.now() > deadline) {
      assert.fail(`views did not converge: ${behind.map(({ view }) => view.members.map((m) => m.name).join(',')).join(' | ')} vs ${truth.members.map((m) => m.name).join(',')}`);
    }
    await sleep(100);
  }
  assert.ok(
    members[0]!.view.members.some((m) => m.name === 'Renamed'),
    'the rename reached the lists',
  );
  for (const { view } of members) await view.until(() => true);
  const sum = (pick: (view: PresenceView) => number): number => members.reduce((n, { view }) => n + pick(view), 0);
  assert.ok(lossy.view.refetches >= 1, 'the client that lost an update fetched the list anew');
  return { deltas: sum((v) => v.deltas), lists: sum((v) => v.lists), refetches: sum((v) => v.refetches) };
}
