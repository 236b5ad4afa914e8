/**
 * The in-process budgets that stand in for rate-limiter-flexible's memory
 * limiter count the same way (a fixed window from the first action; the burst
 * window spent only once the main one is, and lasting across main windows),
 * and leave nothing behind once their windows end.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { KeyedBudget, ObjectBudget } from '../../server/security/local-budget.js';
import type { LimitResult } from '../../server/security/rate-limits.js';

const oks = (results: LimitResult[]): boolean[] => results.map((r) => r.ok);

test('a budget allows its points per window, then its burst, which outlasts the main window', async () => {
  const budget = new KeyedBudget({ points: 3, durationMs: 300, burst: { points: 2, durationMs: 5_000 } });
  const first = Array.from({ length: 6 }, () => budget.take('a'));
  assert.deepEqual(oks(first), [true, true, true, true, true, false]);
  const refused = first[5]!;
  // The sooner of the two windows' ends: the main one.
  assert.ok(!refused.ok && refused.retryAfterMs > 0 && refused.retryAfterMs <= 300, JSON.stringify(refused));
  assert.equal(budget.take('b').ok, true, 'another key has a budget of its own');

  await sleep(400);
  // A new main window; the burst is still spent.
  assert.deepEqual(oks(Array.from({ length: 4 }, () => budget.take('a'))), [true, true, true, false]);
});

test('without a burst, a refusal says when the window ends', async () => {
  const budget = new KeyedBudget({ points: 2, durationMs: 1_000 });
  assert.deepEqual(oks([budget.take('a'), budget.take('a')]), [true, true]);
  const refused = budget.take('a');
  assert.ok(!refused.ok && refused.retryAfterMs > 900 && refused.retryAfterMs <= 1_000, JSON.stringify(refused));
});

test('keys whose windows ended are swept: a stream of one-off keys leaves nothing behind', async () => {
  const budget = new KeyedBudget({ points: 1, durationMs: 100 });
  for (let i = 0; i < 1_000; i++) budget.take(`socket-${i}`);
  assert.equal(budget.size, 1_000);
  // The sweep runs every second.
  await sleep(1_500);
  assert.equal(budget.size, 0);
});

test('a budget per object counts each object on its own', () => {
  const budget = new ObjectBudget({ points: 2, durationMs: 60_000 });
  const [one, two] = [{}, {}];
  assert.deepEqual(oks([budget.take(one), budget.take(one), budget.take(one)]), [true, true, false]);
  assert.equal(budget.take(two).ok, true);
});
