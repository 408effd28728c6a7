// What the log says about failing watches. Every informer retries by itself with backoff; this
// decides which of its attempts become log lines. Several informers may watch one resource (the
// CR informer of a box and a child-kind informer of another, or one per namespace): when the
// resource itself is gone (404) they fail together, so one line per backoff step of the resource
// is enough — the log then spaces out like the retries (1 s, 2 s, 4 s … 30 s) instead of repeating
// once per informer. Other errors (a server down, a refused request) stay one line per attempt of
// each informer, as before.
import type { RecoveryInfo, RetryInfo } from '../kube/index.ts';
import type { Log } from './box-context.ts';

export class WatchLog {
  private readonly log: Log;
  /** Resource → the last not-found step logged. */
  private readonly notFoundStep = new Map<string, number>();

  constructor(log: Log) {
    this.log = log;
  }

  error(err: unknown, phase: string, retry?: RetryInfo): void {
    const msg = err instanceof Error ? err.message : String(err);
    if (!retry) {
      this.log.warn({ err: msg, phase }, 'watch error; retrying');
      return;
    }
    const fields = { resource: retry.resource, informer: retry.informer, phase, attempt: retry.attempt, retryInMs: retry.retryInMs, err: msg };
    if (!retry.notFound) {
      this.log.warn(fields, 'watch error; retrying');
      return;
    }
    const last = this.notFoundStep.get(retry.resource) ?? 0;
    if (retry.attempt <= last) return;
    this.notFoundStep.set(retry.resource, retry.attempt);
    this.log.warn(fields, retry.attempt === 1 ? 'resource no longer served (CRD deleted?); its operator waits for it' : 'resource still not served; retrying');
  }

  recovered(info: RecoveryInfo): void {
    const fields = { resource: info.resource, informer: info.informer, downMs: info.downMs };
    if (info.wasNotFound) {
      this.notFoundStep.delete(info.resource);
      this.log.info(fields, 'resource served again; relisted');
    } else {
      this.log.info(fields, 'watch recovered');
    }
  }
}
