/** Running the shared statements (`sql.ts`) on a `pg` pool or one of its connections. */
import pg from 'pg';
import type { Statement } from './sql.js';

export type Queryable = pg.Pool | pg.PoolClient;

/** Runs a shared statement with its parameters in `$n` order. */
export function query<P extends object, R extends pg.QueryResultRow>(db: Queryable, statement: Statement<P, R>, params: P) {
  const { text, names } = statement.postgres;
  return db.query<R>(text, names.map((name) => (params as Record<string, unknown>)[name]));
}

/** Runs a statement for its effect; answers how many rows it touched. */
export async function run<P extends object>(db: Queryable, statement: Statement<P, pg.QueryResultRow>, params: P): Promise<number> {
  return (await query(db, statement, params)).rowCount ?? 0;
}

/** The rows a statement answers. */
export async function rows<P extends object, R extends pg.QueryResultRow>(db: Queryable, statement: Statement<P, R>, params: P): Promise<R[]> {
  return (await query(db, statement, params)).rows;
}

/** Runs `work` in one transaction on one pooled connection; rolls back when it throws. */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is destroyed, not pooled again.
    broken = await client.query('ROLLBACK').then(
      () => undefined,
      (rollbackError: Error) => rollbackError,
    );
    throw error;
  } finally {
    client.release(broken);
  }
}
