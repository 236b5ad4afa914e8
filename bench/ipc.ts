/** Messages between the runner (bench/run.ts) and one load-driver process (bench/driver.ts). */
import type { BroadcastResult } from './broadcast.js';
import type { BigRoomResult } from './scenarios/big-room.js';
import type { FanoutParams } from './scenarios/fanout.js';
import type { IdleResult } from './scenarios/idle.js';
import type { IngestResult } from './scenarios/ingest.js';
import type { JoinCostResult } from './scenarios/join.js';
import type { StormResult } from './scenarios/storm.js';
import type { Pair, Target } from './target.js';

/**
 * Fan-out, ingest and the big room load both servers, alternating rounds, so
 * that whatever else the machine does falls on both alike; idle and storm
 * take one fresh server each.
 */
export type Job =
  | { scenario: 'fanout'; servers: Target[]; params: FanoutParams }
  | { scenario: 'bigroom'; servers: Target[] }
  | { scenario: 'ingest'; servers: Target[] }
  | { scenario: 'idle'; servers: [Target] }
  | { scenario: 'storm'; servers: [Target] }
  | { scenario: 'join'; servers: Target[] };

export type ScenarioResult =
  | { scenario: 'fanout'; result: Pair<BroadcastResult> }
  | { scenario: 'bigroom'; result: Pair<BigRoomResult> }
  | { scenario: 'ingest'; result: Pair<IngestResult> }
  | { scenario: 'idle'; result: IdleResult }
  | { scenario: 'storm'; result: StormResult }
  | { scenario: 'join'; result: Pair<JoinCostResult> };

export type RunToDriver =
  | { type: 'job'; job: Job }
  | { type: 'killed'; at: number }
  | { type: 'restarted'; at: number; pid: number };

export type DriverToRun = { type: 'done'; outcome: ScenarioResult } | { type: 'failed'; error: string } | { type: 'kill' };
