// The reference the log benchmarks compare against: `aureport -x --summary`, the ranking of
// executables an admin would otherwise wait for.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** Seconds `aureport -if LOG -x --summary` takes, or undefined if it is absent or fails. */
export function aureportSummarySeconds(logPath) {
  if (!existsSync('/usr/sbin/aureport')) return undefined;

  const t0 = performance.now();
  const run = spawnSync('/usr/sbin/aureport', ['-if', logPath, '-x', '--summary'], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  return run.status === 0 ? (performance.now() - t0) / 1000 : undefined;
}
