/** Shared statements prepared once on a better-sqlite3 connection, bound from their named parameters. */
import type Database from 'better-sqlite3';
import type { Statement } from './sql.js';

export interface Prepared<P extends object, R> {
  get(params: P): R | undefined;
  all(params: P): R[];
  run(params: P): Database.RunResult;
}

/** Prepares every statement of a group of them. */
export type PreparedGroup<G> = { [K in keyof G]: G[K] extends Statement<infer P, infer R> ? Prepared<P, R> : never };

export function prepare<P extends object, R>(db: Database.Database, statement: Statement<P, R>): Prepared<P, R> {
  const stmt = db.prepare<[Record<string, unknown>], R>(statement.text);
  return {
    get: (params) => stmt.get(bindable(params)),
    all: (params) => stmt.all(bindable(params)),
    run: (params) => stmt.run(bindable(params)),
  };
}

export function prepareAll<G extends Record<string, Statement>>(db: Database.Database, group: G): PreparedGroup<G> {
  const prepared: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(group)) {
    prepared[key] = prepare(db, value as Statement);
  }
  return prepared as PreparedGroup<G>;
}

/** SQLite binds no booleans: they are stored as 0/1. Parameters without one (every append) are bound as they are, not copied. */
function bindable(params: object): Record<string, unknown> {
  const given = params as Record<string, unknown>;
  for (const key in given) {
    if (typeof given[key] !== 'boolean') continue;
    const bound: Record<string, unknown> = {};
    for (const [k, value] of Object.entries(given)) bound[k] = typeof value === 'boolean' ? Number(value) : value;
    return bound;
  }
  return given;
}
