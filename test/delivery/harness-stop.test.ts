/**
 * The harness's graceful stop fails loudly: a server that ignores SIGTERM, or
 * exits with an error on it, fails the test that stops it (with its output)
 * instead of being SIGKILLed quietly.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServerProcess } from '../../bench/support/server-process.js';

/** A stand-in server: prints the listening line, then does `onSigterm` when told to stop. */
function fakeServer(onSigterm: string): (port: number) => string[] {
  const listening = JSON.stringify({ msg: 'listening', url: 'http://127.0.0.1:9' });
  return () => [
    '-e',
    `process.on('SIGTERM', () => { ${onSigterm} }); console.log(${JSON.stringify(listening)}); setInterval(() => {}, 1000);`,
  ];
}

test('ServerProcess.stop() rejects with the output when SIGTERM does not end the server in time', async () => {
  const server = await ServerProcess.start({ command: fakeServer("console.error('ignoring SIGTERM')") });
  const pid = server.pid;
  await assert.rejects(server.stop(), (err: Error) => {
    assert.match(err.message, /did not exit within 5 s of SIGTERM \(SIGKILLed\)/);
    assert.match(err.message, /ignoring SIGTERM/);
    return true;
  });
  assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'a failed stop left the process running');
});

test('ServerProcess.stop() rejects when the server exits with an error on SIGTERM', async () => {
  const server = await ServerProcess.start({ command: fakeServer("console.error('shutdown failed'); process.exit(1)") });
  await assert.rejects(server.stop(), /exited with 1 on SIGTERM, not 0:[\s\S]*shutdown failed/);
});
