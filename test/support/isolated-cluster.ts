/**
 * Server flags for a PostgreSQL schema and Redis key prefix of one test's own
 * (DATABASE_URL and REDIS_URL from the environment), both removed when it ends.
 */
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';

export function isolatedClusterArgs(t: TestContext, databaseUrl: string, redisUrl: string): string[] {
  const id = randomBytes(4).toString('hex');
  const schema = `chat_test_${id}`;
  const prefix = `chat-test-${id}:`;
  t.after(async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });
  return ['--database-url', databaseUrl, '--db-schema', schema, '--redis-url', redisUrl, '--redis-prefix', prefix];
}
