/**
 * Sizes, durations and targets of `npm run bench`, in one place. Sized so the
 * default run (both servers, every scenario but page load) stays under 5
 * minutes on a 2-core machine with the servers started from source by tsx;
 * `--all` adds what did not fit.
 */

/** The `demo` site allows localhost pages; a Node client says it is one. */
export const PAGE_ORIGIN = 'http://localhost:5173';
export const SITE = 'demo';
/** Every limit × this, so the benchmark measures the server and not the limiter. */
export const RATE_LIMIT_SCALE = 100_000;

export const FANOUT = {
  clients: 200,
  rooms: 10,
  senders: 20,
  /**
   * Offered deliveries per second (sends/s × room size), each measured on both
   * servers: the target's rate; with `--all` also half of it, to see how the tails scale.
   */
  deliveryRates: [20_000],
  moreDeliveryRates: [10_000],
  /** Measured windows per server, the servers taking turns. */
  rounds: 3,
  roundMs: 4_000,
  /** Sending before a server's first window (JIT, caches) and before each later one. */
  warmupMs: 3_000,
  rampMs: 1_000,
  /** How long after a turn's last send the driver waits for stragglers. */
  drainMs: 3_000,
  /**
   * A rate counts as sustained when at least this share of it is delivered,
   * nothing is lost and p99 stays under `maxStableP99Ms` (beyond it a backlog
   * is building up, not just a slow tail).
   */
  minDeliveredShare: 0.97,
  maxStableP99Ms: 2_000,
};

export const INGEST = {
  sockets: 20,
  /** Sends in flight per socket (no waiting for each ack). */
  window: 16,
  /** Measured windows per server, the servers taking turns, as in fan-out. */
  rounds: 3,
  roundMs: 3_000,
  warmupMs: 2_000,
  rampMs: 1_000,
};

export const IDLE = {
  connections: 10_000,
  /** Rooms of 100: ordinary rooms, at the big-room size (`PRESENCE_LIST_MAX`), where every join is still announced. */
  rooms: 100,
  /** Files each process needs beyond one per connection (node, tsx, the store, the other sockets). */
  spareFiles: 500,
  /** Connections opened at once (more than `CONNECT_BATCH`: 10,000 round trips one batch after another take long). */
  batch: 200,
  /** No batch of connections starts later than this after the first: a slow server is measured with fewer. */
  connectTimeoutMs: 60_000,
  /** Time for a fresh server to settle before the first RSS reading. */
  settleBeforeMs: 3_000,
  /**
   * Time after the last join before the second: past the 10 s windows of the
   * project's join rate limiters, whose per-socket records then expire.
   */
  settleAfterMs: 12_000,
};

export const BIG_ROOM = {
  clients: 2_000,
  room: 'big-room',
  /**
   * Before its fill, each server accepts this many connections into another
   * room and sees them leave (JIT, caches), so the fill measures a warm
   * server's cost per connection, not its first compile.
   */
  warmupClients: 200,
  /** Arrivals spread evenly over this (200 a second), each connecting and joining at once. */
  fillMs: 10_000,
  /** Arrivals still connecting or joining, at most: a server that falls behind slows the arrivals instead of piling up timeouts. */
  maxPending: 200,
  /**
   * Bounds of the fill on a slow server: every client joined within
   * `fillTimeoutMs` of the first arrival, every presence count at `clients`
   * (project) within `convergeTimeoutMs` of the last join. Past them the
   * figures say how far it got, and a side not fully joined sends no messages.
   */
  fillTimeoutMs: 30_000,
  convergeTimeoutMs: 10_000,
  /** After the fill, frames still counted (the last coalesced window, stragglers). */
  settleMs: 1_000,
  /** Messages a second into the room: × 2,000 members = 20,000 deliveries/s. */
  sendsPerSec: 10,
  senders: 10,
  rounds: 3,
  roundMs: 3_000,
  warmupMs: 2_000,
  rampMs: 1_000,
  drainMs: 3_000,
};

export const STORM = {
  clients: 1_000,
  rooms: 10,
  /** History each room holds before the burst that the kill interrupts. */
  seedPerRoom: 50,
  /** How long the per-room senders run before the server is killed. */
  burstMs: 500,
  burstWindow: 8,
  /** The widget's own backoff: 1 s doubling to 10 s, ±50 %. */
  reconnectionDelay: 1_000,
  reconnectionDelayMax: 10_000,
  timeoutMs: 30_000,
};

export const JOIN = {
  /** Messages in the rooms joined: a small room and a big one, seeded into the project's store before it starts. */
  roomSizes: [10, 100_000],
  /** Joins on a fresh connection of the same user, one at a time, per room. */
  firstJoins: 100,
  /** Joins of a room the socket is already in, one at a time, per room. */
  rejoins: 1_000,
};

export const LOAD = {
  site: SITE,
  room: 'bench-load',
  /** Measured loads per page, the pages taking turns; after `warmup` unmeasured loads of each (browser and server JIT). */
  loads: 30,
  warmup: 3,
  loadTimeoutMs: 10_000,
  /** A launcher page: after its badge connected, this long before the runner opens it (what still comes counts before the open). */
  settleMs: 250,
};

/** Connections are opened this many at a time, each batch connected and joined before the next. */
export const CONNECT_BATCH = 50;
export const CONNECT_TIMEOUT_MS = 10_000;
export const ACK_TIMEOUT_MS = 10_000;

/** The whole run is abandoned (children killed, exit 1) past this. */
export const RUN_DEADLINE_MS = 290_000;
/** One scenario (both servers, when they take turns), setup included. */
export const SCENARIO_TIMEOUT_MS = 120_000;

/** The targets; figures to report, not tests. */
export const TARGETS = {
  cpuPerDeliveryRatio: 1.1,
  p99Ratio: 1.5,
  p99AtDeliveriesPerSec: 20_000,
  storedPerSec: 10_000,
  idleKbPerConnection: 20,
  idleAtConnections: 10_000,
  /** Issue 12: while a room fills, each client receives at most this many presence frames a second, however big the room. */
  presencePerClientPerSec: 4,
  /** Issue 12: server CPU per accepted connection (connect + join), project / bare. */
  cpuPerConnectionRatio: 1.5,
  stormClients: 1_000,
  stormReplayedWithinMs: 10_000,
  /** Issue 9: a join of the biggest room costs at most this multiple of the smallest's (one page and UNREAD_CAP + 1 rows more). */
  joinCostRatio: 2,
  /** Issue 11, page load (`--only load`): gzip bytes of the loader, of an inline room before it is connected, of a launcher page before its first open. */
  loaderGzipBytes: 6 * 1024,
  inlineGzipBytesBeforeConnected: 32 * 1024,
  launcherGzipBytesBeforeOpen: 22 * 1024,
  renderedWithinMs: 50,
  connectedRatio: 1.3,
};
