/**
 * `npm run bench`: the same load driver against the project server and a bare
 * Socket.IO room-broadcast server (bench/bare-server.ts), on freshly started
 * servers: fan-out and the big room with both up, taking turns; idle and
 * storm on one at a time; ingest with both up; join cost in a small and a big
 * room (seeded beforehand); with `--all`, fan-out at a second rate too; and,
 * only when asked for (`--only load`, `npm run bench:load`), page load in
 * Chromium.
 * Prints a table per scenario with both servers side by side, then the
 * issues' targets, and writes the figures to bench/results/latest.json.
 *
 *   node --import tsx bench/run.ts [--all] [--only fanout,bigroom,ingest,idle,storm,join,load] [--cpu-prof-dir <dir>]
 *
 * `--cpu-prof-dir` writes V8 CPU profiles of the servers, one directory per
 * server and scenario (read them with bench/profile-summary.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadavg, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as config from './config.js';
import { loadSection, loadTargets } from './load/report.js';
import { loadScenario } from './load/scenario.js';
import type { ScenarioResult } from './ipc.js';
import { machine } from './proc.js';
import { machineLine, sections, sustained, targetTable, targets, type BenchResults, type FanoutAtRate } from './report.js';
import { killAllDrivers, runScenario, type JobSpec } from './runner.js';
import type { BroadcastResult } from './broadcast.js';
import type { BigRoomResult } from './scenarios/big-room.js';
import type { IdleResult } from './scenarios/idle.js';
import type { IngestResult } from './scenarios/ingest.js';
import { joinRoomName, type JoinCostResult } from './scenarios/join.js';
import type { StormResult } from './scenarios/storm.js';
import { seedRooms } from './seed-rooms.js';
import type { Pair, ServerKind } from './target.js';
import { num } from './table.js';
import { killAllServers, type BenchServerOptions } from './server-process.js';

const SCENARIOS = ['fanout', 'bigroom', 'ingest', 'idle', 'storm', 'join', 'load'] as const;
type Scenario = (typeof SCENARIOS)[number];
/**
 * Page load is not in the default run: it needs a build and Chromium, and the
 * server scenarios already fill most of the 5-minute budget (`npm run bench:load`).
 */
const DEFAULT_SCENARIOS: readonly Scenario[] = SCENARIOS.filter((s) => s !== 'load');

const { values } = parseArgs({
  options: { only: { type: 'string' }, all: { type: 'boolean' }, 'cpu-prof-dir': { type: 'string' } },
  strict: true,
});
const only = (values.only?.split(',') ?? [...DEFAULT_SCENARIOS]) as Scenario[];
/** `--all`: the sizes left out of the default run to keep it under 5 minutes. */
const deliveryRates = values.all ? [...config.FANOUT.deliveryRates, ...config.FANOUT.moreDeliveryRates] : config.FANOUT.deliveryRates;
for (const name of only) if (!SCENARIOS.includes(name)) throw new Error(`--only: unknown scenario "${name}"`);
const profileDir = values['cpu-prof-dir'] && resolve(values['cpu-prof-dir']);

const started = Date.now();
const command = `node --import tsx bench/run.ts${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}`;

const results: BenchResults = {};

/** Stops everything; the scenarios finished so far are still printed and written, marked incomplete. */
function abandon(reason: string, code: number): never {
  console.error(`bench: ${reason}`);
  killAllDrivers();
  killAllServers();
  if (Object.keys(results).length > 0) report(`stopped: ${reason.split('\n', 1)[0]}`);
  process.exit(code);
}
setTimeout(() => abandon(`over the ${config.RUN_DEADLINE_MS / 1000} s deadline, stopped`, 1), config.RUN_DEADLINE_MS).unref();
process.once('SIGINT', () => abandon('interrupted', 130));
process.once('SIGTERM', () => abandon('terminated', 143));

function log(line: string): void {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);
}

/** Profiles land in one directory per server and scenario. */
function options(label: string): (kind: ServerKind) => BenchServerOptions {
  return (kind) => (profileDir ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', resolve(profileDir, `${kind}-${label}`)] } : {});
}

/** Both servers up at once, loaded in alternating rounds by one driver. */
async function together(spec: JobSpec, label: string, serverOptions = options(label)): Promise<ScenarioResult> {
  log(`${label} on both servers, taking turns…`);
  return runScenario(['bare', 'project'], spec, serverOptions);
}

/** One fresh server per side, one after the other. */
async function apart<T>(scenario: 'idle' | 'storm'): Promise<Pair<T>> {
  const one = async (kind: ServerKind): Promise<T> => {
    log(`${scenario} on the ${kind} server…`);
    return (await runScenario([kind], { scenario }, options(scenario))).result as T;
  };
  return { bare: await one('bare'), project: await one('project') };
}

async function fanoutRates(): Promise<FanoutAtRate[]> {
  const out: FanoutAtRate[] = [];
  for (const deliveryRate of deliveryRates) {
    const outcome = await together({ scenario: 'fanout', params: { deliveryRate } }, `fanout-${deliveryRate}`);
    const { bare, project } = outcome.result as Pair<BroadcastResult>;
    out.push({ deliveryRate, bare, project, stable: sustained(bare) && sustained(project) });
  }
  return out;
}

/** Both servers up; the project's data dir seeded with the rooms first. */
async function joinCost(): Promise<Pair<JoinCostResult>> {
  const dataDir = mkdtempSync(resolve(tmpdir(), 'chat-room-bench-join-'));
  try {
    log(`join: seeding rooms of ${config.JOIN.roomSizes.map((n) => num(n)).join(' and ')} messages…`);
    await seedRooms(dataDir, new Map(config.JOIN.roomSizes.map((n) => [joinRoomName(n), n])));
    const profiled = options('join');
    const outcome = await together({ scenario: 'join' }, 'join', (kind) => ({ ...profiled(kind), ...(kind === 'project' ? { dataDir } : {}) }));
    return outcome.result as Pair<JoinCostResult>;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The commit measured, and how many files (outside bench/) differed from it. */
function revision(): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const changed = git('status', '--porcelain', '--untracked-files=no')
      .split('\n')
      .filter((line) => line && !/ (bench\/|docs\/BENCHMARKS\.md)/.test(line)).length;
    return `${git('rev-parse', '--short', 'HEAD')}${changed ? ` + uncommitted changes in ${changed} files` : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

const source = revision();
const host = machine();
// The machine may be shared; its load says how much to trust the figures.
const loadBefore = loadavg().map((l) => Number(l.toFixed(2)));
console.log(machineLine(host));
console.log(`Load average before the run (1/5/15 min): ${loadBefore.join(' / ')}`);
console.log(`Source: ${source}`);
console.log(`Command: ${command}  (project server: --rate-limit-scale ${config.RATE_LIMIT_SCALE}, from source via tsx)\n`);
try {
  // Issue 12's scenarios first: a run stopped at its deadline loses the older issues' figures before them.
  if (only.includes('fanout')) results.fanout = await fanoutRates();
  if (only.includes('bigroom')) results.bigRoom = (await together({ scenario: 'bigroom' }, 'bigroom')).result as Pair<BigRoomResult>;
  if (only.includes('idle')) results.idle = await apart<IdleResult>('idle');
  if (only.includes('storm')) results.storm = await apart<StormResult>('storm');
  if (only.includes('ingest')) results.ingest = (await together({ scenario: 'ingest' }, 'ingest')).result as Pair<IngestResult>;
  if (only.includes('join')) results.join = await joinCost();
  if (only.includes('load')) results.load = await loadScenario(log);
} catch (err) {
  abandon(err instanceof Error ? (err.stack ?? err.message) : String(err), 1);
}

report();
process.exit(0);

/** Prints every table and the targets, and writes bench/results/latest.json; `incomplete` says why some scenarios are missing. */
function report(incomplete?: string): void {
  const durationSec = (Date.now() - started) / 1000;
  const outcomes = [...targets(results), ...(results.load ? loadTargets(results.load) : [])];
  console.log('');
  for (const section of [...sections(results), ...(results.load ? [loadSection(results.load)] : [])]) console.log(section + '\n');
  console.log('Targets (figures, not tests):');
  console.log(targetTable(outcomes));
  console.log(`\nRun time: ${durationSec.toFixed(1)} s${incomplete ? ` (${incomplete})` : ''}`);

  const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(resultsDir, { recursive: true });
  const file = resolve(resultsDir, 'latest.json');
  const { TARGETS, FANOUT, BIG_ROOM, INGEST, IDLE, STORM, JOIN, LOAD, RATE_LIMIT_SCALE, CONNECT_BATCH } = config;
  writeFileSync(
    file,
    JSON.stringify(
      {
        command,
        startedAt: new Date(started).toISOString(),
        durationSec,
        ...(incomplete ? { incomplete } : {}),
        source,
        machine: host,
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadavg().map((l) => Number(l.toFixed(2))),
        config: { RATE_LIMIT_SCALE, CONNECT_BATCH, FANOUT, BIG_ROOM, INGEST, IDLE, STORM, JOIN, LOAD, TARGETS },
        results,
        targets: outcomes,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`Results: ${file}`);
}
