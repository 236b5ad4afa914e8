/**
 * Rate limits per socket, per user and per IP. On a single node, all in this
 * process's memory (`local-budget.ts`). In a cluster, those of a user or an
 * address are in Redis (rate-limiter-flexible), so a limit holds across nodes,
 * with an in-memory limiter standing in while Redis is down; those of one
 * socket or one Engine.IO connection stay local (it lives on one node).
 */
import type { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { addressKey } from './client-ip.js';
import { KeyedBudget, ObjectBudget } from './local-budget.js';
import type { LimitResult, RateLimitRule } from './rate-rule.js';

export type { LimitResult, RateLimitRule } from './rate-rule.js';

export interface RateLimitOptions {
  /** Any event at all, valid or not: the cheap guard against a socket flooding the server. */
  eventsPerSocket: RateLimitRule;
  /** `message:send` and `dm:send`. */
  messagesPerSocket: RateLimitRule;
  messagesPerUser: RateLimitRule;
  messagesPerIp: RateLimitRule;
  joinsPerSocket: RateLimitRule;
  joinsPerIp: RateLimitRule;
  /** Over the limit, typing events are dropped silently (they have no ack). */
  typingPerSocket: RateLimitRule;
  /** `presence:list`: each one reads a page of a room's members. */
  presenceListsPerSocket: RateLimitRule;
  /** `user:rename`: each one is announced to every room of the user. */
  renamesPerUser: RateLimitRule;
  renamesPerIp: RateLimitRule;
  /** `message:edit` and `message:delete`: each one is a write and a broadcast to the room. */
  editsPerSocket: RateLimitRule;
  editsPerUser: RateLimitRule;
  /** `message:react`: each change is a write and a broadcast to the room. */
  reactionsPerSocket: RateLimitRule;
  reactionsPerUser: RateLimitRule;
  /** `message:changes`: each one reads a page of a room's changes. */
  changePagesPerSocket: RateLimitRule;
  /** `user:privacy`: each one is a write and a notice to every tab of the user. */
  privacyPerUser: RateLimitRule;
  /** `media:ticket`: each one lets an image be decoded and stored. */
  uploadsPerUser: RateLimitRule;
  uploadsPerIp: RateLimitRule;
  /** Engine.IO handshakes, counted before any socket exists. */
  connectionsPerIp: RateLimitRule;
  /** Admin API requests of any kind. */
  adminRequestsPerIp: RateLimitRule;
  /** Admin API requests refused 401 (unknown credentials); once spent, every admin request from the address answers 429. */
  adminAuthFailuresPerIp: RateLimitRule;
  /** Socket.IO namespace CONNECTs multiplexed over one Engine.IO connection (a page needs one, plus one per reconnect of a namespace). */
  namespaceConnectsPerConnection: RateLimitRule;
  /** Namespace CONNECTs from one address, over all its connections. */
  namespaceConnectsPerIp: RateLimitRule;
}

export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
  eventsPerSocket: { points: 60, durationMs: 1000 },
  messagesPerSocket: { points: 10, durationMs: 10_000, burst: { points: 5, durationMs: 60_000 } },
  messagesPerUser: { points: 10, durationMs: 10_000, burst: { points: 5, durationMs: 60_000 } },
  // Many people may share an address (offices, mobile carriers).
  messagesPerIp: { points: 100, durationMs: 10_000 },
  joinsPerSocket: { points: 20, durationMs: 10_000 },
  joinsPerIp: { points: 120, durationMs: 10_000 },
  typingPerSocket: { points: 20, durationMs: 10_000 },
  presenceListsPerSocket: { points: 10, durationMs: 10_000 },
  renamesPerUser: { points: 5, durationMs: 60_000 },
  renamesPerIp: { points: 30, durationMs: 60_000 },
  editsPerSocket: { points: 10, durationMs: 10_000 },
  editsPerUser: { points: 10, durationMs: 10_000, burst: { points: 5, durationMs: 60_000 } },
  reactionsPerSocket: { points: 20, durationMs: 10_000 },
  reactionsPerUser: { points: 20, durationMs: 10_000, burst: { points: 10, durationMs: 60_000 } },
  changePagesPerSocket: { points: 10, durationMs: 10_000 },
  privacyPerUser: { points: 10, durationMs: 60_000 },
  uploadsPerUser: { points: 10, durationMs: 60_000, burst: { points: 10, durationMs: 10 * 60_000 } },
  uploadsPerIp: { points: 60, durationMs: 60_000 },
  connectionsPerIp: { points: 30, durationMs: 60_000 },
  adminRequestsPerIp: { points: 300, durationMs: 60_000 },
  adminAuthFailuresPerIp: { points: 10, durationMs: 10 * 60_000 },
  namespaceConnectsPerConnection: { points: 10, durationMs: 60_000 },
  namespaceConnectsPerIp: { points: 120, durationMs: 60_000 },
};

/**
 * Every rule with `factor` times its points (burst included): a deployment
 * that serves many people behind one address, a benchmark or a test suite
 * raises them all at once without restating each rule.
 */
export function scaleRateLimits(rules: RateLimitOptions, factor: number): RateLimitOptions {
  const scale = (rule: RateLimitRule): RateLimitRule => ({
    points: Math.max(1, Math.round(rule.points * factor)),
    durationMs: rule.durationMs,
    ...(rule.burst ? { burst: { ...rule.burst, points: Math.max(1, Math.round(rule.burst.points * factor)) } } : {}),
  });
  return Object.fromEntries(Object.entries(rules).map(([k, rule]) => [k, scale(rule)])) as unknown as RateLimitOptions;
}

export type RateLimitedAction = 'message' | 'join' | 'typing' | 'list' | 'rename' | 'edit' | 'react' | 'changes' | 'privacy' | 'upload';

/** Who is acting: each key has its own budget. */
export interface ActorKeys {
  socket: string;
  user: string;
  /** The client's address; counted per IPv4 address or IPv6 /64 (`addressKey`). */
  ip: string;
}

/** Who opens a namespace socket: the Engine.IO connection and the address. */
export interface NamespaceConnectKeys {
  connection: object;
  ip: string;
}

/** A budget per key: one more action, and whether it is allowed. */
interface Limiter {
  take(key: string): LimitResult | Promise<LimitResult>;
}

/** A rate-limiter-flexible limiter (Redis, with memory standing in) as a `Limiter`. */
class SharedLimiter implements Limiter {
  constructor(private readonly limiter: { consume(key: string): Promise<RateLimiterRes> }) {}

  async take(key: string): Promise<LimitResult> {
    try {
      await this.limiter.consume(key);
      return { ok: true };
    } catch (rejection) {
      // A limiter rejects with its answer (Redis errors go to the in-memory insurance); anything else is a bug to surface.
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { ok: false, retryAfterMs: Math.max(1, Math.ceil(rejection.msBeforeNext)) };
    }
  }
}

export class RateLimits {
  private readonly events: KeyedBudget;
  private readonly connections: Limiter;
  private readonly adminRequests: Limiter;
  private readonly adminAuthFailures: RateLimiterMemory | RateLimiterRedis;
  private readonly adminAuthFailuresSpent: Limiter;
  private readonly connectsPerConnection: ObjectBudget;
  private readonly connectsPerIp: Limiter;
  /** Each action's budgets: the socket's (local) first, then shared ones of the user or address. */
  private readonly actions: Record<RateLimitedAction, { socket?: KeyedBudget; shared: Array<['user' | 'ip', Limiter]> }>;
  private readonly rules: RateLimitOptions;
  private readonly scaledBy = new Map<number, RateLimits>();

  constructor(
    overrides: Partial<RateLimitOptions> = {},
    private readonly cluster?: { redis: Redis; prefix: string },
    /** Keeps the budgets of scaled copies apart from these. */
    keyPrefix = '',
  ) {
    const rules = (this.rules = { ...DEFAULT_RATE_LIMITS, ...overrides });
    const make = (part: string, points: number, durationMs: number): RateLimiterMemory | RateLimiterRedis => {
      const key = keyPrefix + part;
      const memory = new RateLimiterMemory({ keyPrefix: key, points, duration: durationMs / 1000 });
      if (!cluster) return memory;
      const redisKey = `${cluster.prefix}rl:${key}`;
      return new RateLimiterRedis({ storeClient: cluster.redis, keyPrefix: redisKey, points, duration: durationMs / 1000, insuranceLimiter: memory });
    };
    // On a single node, counted in place (no promise or timer per key); in a cluster, in Redis.
    const limiter = (name: string, rule: RateLimitRule): Limiter => {
      if (!cluster) return new KeyedBudget(rule);
      const main = make(name, rule.points, rule.durationMs);
      return new SharedLimiter(rule.burst ? new BurstyRateLimiter(main, make(`${name}-burst`, rule.burst.points, rule.burst.durationMs)) : main);
    };
    this.events = new KeyedBudget(rules.eventsPerSocket);
    this.connections = limiter('connections', rules.connectionsPerIp);
    this.adminRequests = limiter('admin', rules.adminRequestsPerIp);
    // No burst: a spent budget stays spent for its window, and can be read without spending.
    this.adminAuthFailures = make('admin-auth', rules.adminAuthFailuresPerIp.points, rules.adminAuthFailuresPerIp.durationMs);
    this.adminAuthFailuresSpent = new SharedLimiter(this.adminAuthFailures);
    this.connectsPerConnection = new ObjectBudget(rules.namespaceConnectsPerConnection);
    this.connectsPerIp = limiter('nsp-ip', rules.namespaceConnectsPerIp);
    this.actions = {
      message: {
        socket: new KeyedBudget(rules.messagesPerSocket),
        shared: [
          ['user', limiter('msg-user', rules.messagesPerUser)],
          ['ip', limiter('msg-ip', rules.messagesPerIp)],
        ],
      },
      join: { socket: new KeyedBudget(rules.joinsPerSocket), shared: [['ip', limiter('join-ip', rules.joinsPerIp)]] },
      typing: { socket: new KeyedBudget(rules.typingPerSocket), shared: [] },
      list: { socket: new KeyedBudget(rules.presenceListsPerSocket), shared: [] },
      rename: {
        shared: [
          ['user', limiter('rename-user', rules.renamesPerUser)],
          ['ip', limiter('rename-ip', rules.renamesPerIp)],
        ],
      },
      edit: { socket: new KeyedBudget(rules.editsPerSocket), shared: [['user', limiter('edit-user', rules.editsPerUser)]] },
      react: { socket: new KeyedBudget(rules.reactionsPerSocket), shared: [['user', limiter('react-user', rules.reactionsPerUser)]] },
      changes: { socket: new KeyedBudget(rules.changePagesPerSocket), shared: [] },
      privacy: { shared: [['user', limiter('privacy-user', rules.privacyPerUser)]] },
      upload: {
        shared: [
          ['user', limiter('upload-user', rules.uploadsPerUser)],
          ['ip', limiter('upload-ip', rules.uploadsPerIp)],
        ],
      },
    };
  }

  /** These limits times `factor`, for a site whose registry entry scales them. */
  scaled(factor = 1): RateLimits {
    if (factor === 1) return this;
    let limits = this.scaledBy.get(factor);
    if (!limits) this.scaledBy.set(factor, (limits = new RateLimits(scaleRateLimits(this.rules, factor), this.cluster, `x${factor}:`)));
    return limits;
  }

  /** One more event of any kind from this socket. */
  event(socketId: string): LimitResult {
    return this.events.take(socketId);
  }

  /** One more handshake from this address. */
  async connection(ip: string): Promise<LimitResult> {
    return this.connections.take(addressKey(ip));
  }

  /** One more namespace CONNECT over this Engine.IO connection from this address: both budgets must allow it. */
  async namespaceConnect(keys: NamespaceConnectKeys): Promise<LimitResult> {
    const own = this.connectsPerConnection.take(keys.connection);
    return own.ok ? this.connectsPerIp.take(addressKey(keys.ip)) : own;
  }

  /** One more `action` by this actor: every key's budget must allow it. */
  async action(action: RateLimitedAction, keys: ActorKeys): Promise<LimitResult> {
    const { socket, shared } = this.actions[action];
    const own = socket?.take(keys.socket);
    if (own && !own.ok) return own;
    for (const [key, rule] of shared) {
      const result = await rule.take(key === 'ip' ? addressKey(keys.ip) : keys[key]);
      if (!result.ok) return result;
    }
    return { ok: true };
  }

  /** One more admin API request from this address; refused too while its failed authentications are spent. */
  async adminRequest(ip: string): Promise<LimitResult> {
    const key = addressKey(ip);
    const failures = await this.adminAuthFailures.get(key);
    if (failures && failures.remainingPoints <= 0 && failures.msBeforeNext > 0) {
      return { ok: false, retryAfterMs: Math.ceil(failures.msBeforeNext) };
    }
    return this.adminRequests.take(key);
  }

  /** An admin API request from this address had unknown credentials. */
  async adminAuthFailed(ip: string): Promise<void> {
    await this.adminAuthFailuresSpent.take(addressKey(ip));
  }
}
