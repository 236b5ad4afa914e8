/**
 * Structured logs: one JSON object per line (`time`, `level`, `msg`, then
 * fields), so log shippers and tests can parse them without a library.
 */
import type { Writable } from 'node:stream';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; standard output by default. */
  stream?: Writable;
  fields?: LogFields;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return new JsonLogger({ threshold: rank[options.level ?? 'info'], stream: options.stream ?? process.stdout }, options.fields ?? {});
}

interface Sink {
  threshold: number;
  stream: Writable;
}

/**
 * Methods on the prototype and a `child` that only keeps its fields: a logger
 * per socket or per event costs one small object, and the fields are merged
 * only when a line is written.
 */
class JsonLogger implements Logger {
  constructor(
    private readonly sink: Sink,
    private readonly fields: LogFields,
    private readonly parent?: JsonLogger,
  ) {}

  debug(msg: string, fields?: LogFields): void {
    this.write('debug', msg, fields);
  }

  info(msg: string, fields?: LogFields): void {
    this.write('info', msg, fields);
  }

  warn(msg: string, fields?: LogFields): void {
    this.write('warn', msg, fields);
  }

  error(msg: string, fields?: LogFields): void {
    this.write('error', msg, fields);
  }

  child(fields: LogFields): Logger {
    return new JsonLogger(this.sink, fields, this);
  }

  private write(level: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields): void {
    if (rank[level] < this.sink.threshold) return;
    const line = { time: new Date().toISOString(), level, msg, ...this.bound(), ...serialize(fields) };
    this.sink.stream.write(JSON.stringify(line) + '\n');
  }

  /** The fields of this logger's ancestors and its own, the nearest winning. */
  private bound(): LogFields {
    return this.parent ? { ...this.parent.bound(), ...this.fields } : this.fields;
  }
}

/** Errors do not survive JSON.stringify; keep their name, message and stack. */
function serialize(fields: LogFields | undefined): LogFields | undefined {
  if (!fields) return fields;
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] =
      value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
  }
  return out;
}
