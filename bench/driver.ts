/**
 * The load driver: a child process of bench/run.ts (so it has a core to
 * itself, apart from the server's), given one job over IPC. It runs the
 * scenario, answers the result and exits. For the storm it asks the runner to
 * kill and restart the server.
 */
import type { DriverToRun, Job, RunToDriver, ScenarioResult } from './ipc.js';
import { bigRoom } from './scenarios/big-room.js';
import { fanout } from './scenarios/fanout.js';
import { idle } from './scenarios/idle.js';
import { ingest } from './scenarios/ingest.js';
import { joinCost } from './scenarios/join.js';
import { storm, type StormControl } from './scenarios/storm.js';

function send(message: DriverToRun): Promise<void> {
  return new Promise((resolve) => process.send!(message, undefined, {}, () => resolve()));
}

/** The next message of `type` from the runner. */
function nextMessage<T extends RunToDriver['type']>(type: T): Promise<Extract<RunToDriver, { type: T }>> {
  return new Promise((resolve) => {
    const listener = (message: RunToDriver): void => {
      if (message.type !== type) return;
      process.off('message', listener);
      resolve(message as Extract<RunToDriver, { type: T }>);
    };
    process.on('message', listener);
  });
}

const control: StormControl = {
  async kill() {
    const killed = nextMessage('killed');
    await send({ type: 'kill' });
    return (await killed).at;
  },
  async restarted() {
    return (await restartedMessage).at;
  },
};
// Listened for from the start: the restart may be announced before the scenario asks.
const restartedMessage = nextMessage('restarted');

async function run(job: Job): Promise<ScenarioResult> {
  switch (job.scenario) {
    case 'fanout':
      return { scenario: 'fanout', result: await fanout(job.servers, job.params) };
    case 'bigroom':
      return { scenario: 'bigroom', result: await bigRoom(job.servers) };
    case 'ingest':
      return { scenario: 'ingest', result: await ingest(job.servers) };
    case 'idle':
      return { scenario: 'idle', result: await idle(job.servers[0]) };
    case 'storm':
      return { scenario: 'storm', result: await storm(job.servers[0].url, control) };
    case 'join':
      return { scenario: 'join', result: await joinCost(job.servers) };
  }
}

if (!process.send) {
  console.error('bench/driver.ts is started by bench/run.ts');
  process.exit(2);
}
const { job } = await nextMessage('job');
try {
  await send({ type: 'done', outcome: await run(job) });
} catch (err) {
  await send({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
// Sockets may still be closing; the runner has what it needs.
process.exit(0);
