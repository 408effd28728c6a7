import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOptionsFrom } from './run.ts';
import { durationMs } from './run-config.ts';

const base = { katalog: 'k.yaml', installCrds: false, fieldManager: 'orkestra', logLevel: 'info' };

test('defaults outside a cluster: API on 127.0.0.1:8080, no leader election, 60 s stale threshold', () => {
  const o = runOptionsFrom(base, {});
  assert.deepEqual(o.api, { port: 8080, host: '127.0.0.1', token: undefined });
  assert.equal(o.leaderElection, undefined);
  assert.equal(o.staleWatchThresholdMs, 60_000);
  assert.equal(o.watchTimeoutMs, 20_000);
  assert.equal(o.shutdownTimeoutMs, 30_000);
});

test('in a cluster: bind 0.0.0.0 and elect a leader with the chart timings', () => {
  const o = runOptionsFrom(base, { KUBERNETES_SERVICE_HOST: '10.0.0.1', POD_NAME: 'ork-0', ORK_NAMESPACE: 'orkestra-system' });
  assert.equal(o.api?.host, '0.0.0.0');
  assert.equal(o.identity, 'ork-0');
  assert.deepEqual(o.leaderElection, { name: 'orkestra-konductor', namespace: 'orkestra-system', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
});

test('flags win over the environment; env durations in bare seconds', () => {
  const env = { ORK_PORT: '9000', ORK_API_TOKEN: 't', ORK_LEADER_ELECT: 'true', LEASE_DURATION: '8', ORK_RENEW_DEADLINE: '6s', ORK_RETRY_PERIOD: '1s' };
  const o = runOptionsFrom({ ...base, port: '0', namespace: 'team', leaseName: 'x' }, env);
  assert.equal(o.api?.port, 0);
  assert.equal(o.api?.token, 't');
  assert.deepEqual(o.leaderElection, { name: 'x', namespace: 'team', leaseDurationMs: 8_000, renewDeadlineMs: 6_000, retryPeriodMs: 1_000 });
  assert.equal(runOptionsFrom({ ...base, leaderElect: false }, env).leaderElection, undefined);
});

test('bad values are user errors with the flag name', () => {
  assert.throws(() => runOptionsFrom({ ...base, port: '70000' }, {}), /--port/);
  assert.throws(() => runOptionsFrom({ ...base, leaderElect: true, leaseDuration: '2s', renewDeadline: '3s' }, {}), /lease-duration > --renew-deadline/);
  assert.throws(() => durationMs('soon', '--shutdown-timeout', 1), /--shutdown-timeout: "soon" is not a duration/);
  assert.throws(() => runOptionsFrom(base, { ORK_LEADER_ELECT: 'maybe' }), /not a boolean/);
});
