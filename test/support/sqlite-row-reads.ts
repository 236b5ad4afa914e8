/**
 * Counts the message rows a SQLite store reads, without timing: SQLite has no
 * per-statement row counter that better-sqlite3 exposes, so the statements a
 * store runs are recorded (SQL and arguments) and replayed on a second
 * connection where a TEMP view named `messages` shadows the real table and
 * calls a counting function for every row the query visits. The view is
 * flattened into each query, so the replay uses the same index and visits the
 * same rows as the store did.
 */
import Database from 'better-sqlite3';

interface Recorded {
  sql: string;
  args: unknown[];
}

const RUNNERS = new Set<PropertyKey>(['get', 'all', 'iterate', 'run']);

export class SqliteRowReads {
  /** The store's connection: pass it to `new SqliteStore(db)`. */
  readonly db: Database.Database;
  #recording: Recorded[] | null = null;

  constructor(readonly file: string) {
    this.db = new Database(file);
    const prepare = this.db.prepare.bind(this.db);
    const record = (sql: string, args: unknown[]) => this.#recording?.push({ sql, args });
    this.db.prepare = ((sql: string) => {
      const stmt = prepare(sql);
      return new Proxy(stmt, {
        get(target, key) {
          const value: unknown = Reflect.get(target, key, target);
          if (typeof value !== 'function') return value;
          if (!RUNNERS.has(key)) return value.bind(target);
          return (...args: unknown[]) => {
            if (target.reader) record(sql, args);
            return value.apply(target, args);
          };
        },
      });
    }) as typeof this.db.prepare;
  }

  /** Message rows that the reads run inside `action` visit. */
  async count(action: () => Promise<unknown>): Promise<number> {
    const recorded: Recorded[] = [];
    this.#recording = recorded;
    try {
      await action();
    } finally {
      this.#recording = null;
    }
    return this.#replay(recorded);
  }

  #replay(recorded: readonly Recorded[]): number {
    const replica = new Database(this.file);
    try {
      let visits = 0;
      replica.function('visit', { deterministic: false }, () => {
        visits++;
        return 1;
      });
      replica.exec('CREATE TEMP VIEW messages AS SELECT * FROM main.messages WHERE visit()');
      for (const { sql, args } of recorded) replica.prepare(sql).all(...args);
      return visits;
    } finally {
      replica.close();
    }
  }
}
