/** The servers a benchmark loads, named once for the runner, the driver and the scenarios. */
export type ServerKind = 'bare' | 'project';

/** A running server the driver loads. */
export interface Target {
  kind: ServerKind;
  url: string;
  pid: number;
}

/** One figure of each server, measured side by side. */
export interface Pair<T> {
  bare: T;
  project: T;
}

/** One target of an issue and what a run measured against it (`pass` null: not measured). */
export interface TargetOutcome {
  target: string;
  measured: string;
  pass: boolean | null;
}
