// What went wrong in a reconcile, as data: each problem names the Katalog field (or CR field) it
// comes from and whether retrying can help. Terminal problems — a template that does not render,
// a declaration whose rendered values have the wrong type, a manifest the API server rejects as
// invalid — only an edit can fix: retrying them with backoff would only burn the API server and
// flood the CR with events.
import { ApiError } from '../kube/index.ts';
import { RenderError } from './render.ts';

export type IssueReason =
  /** A template failed to render (a missing function argument, a failed `required`, …). */
  | 'TemplateError'
  /** Rendered values do not make a valid object (a string where a number belongs, …). */
  | 'InvalidDeclaration'
  /** A status field's value does not have its declared type. */
  | 'InvalidStatus'
  /** The API server refused the object as invalid (422). */
  | 'Rejected'
  /** The Secret or ConfigMap a copy declaration reads does not exist. */
  | 'SourceNotFound'
  /**
   * A `validation` rule with `action: deny` does not hold (or cannot be evaluated): nothing is
   * written for the CR until it, or the Katalog, is edited.
   */
  | 'ValidationFailed'
  /** Anything else: the API server, the network, a conflict. Retried with backoff. */
  | 'ReconcileError';

export interface ReconcileIssue {
  /** The Katalog field the problem comes from (`onCreate.deployments[0].replicas`), when known. */
  path?: string;
  message: string;
  reason: IssueReason;
  /** True when only an edit (of the CR or the Katalog) can fix it. */
  terminal: boolean;
}

/** A declaration could not be turned into a manifest; names the Katalog field and every problem. */
export class DeclarationError extends Error {
  readonly path: string;
  readonly problems: readonly { path: string; message: string }[];
  constructor(path: string, problems: { path: string; message: string }[]) {
    super(`${path}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'DeclarationError';
    this.path = path;
    this.problems = problems;
  }
}

/** A declared status value of the wrong type. */
export class StatusValueError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'StatusValueError';
    this.path = path;
  }
}

/**
 * The source of a copy (`fromSecret` / `fromConfigMap`) is not in its cache. Terminal, though an
 * edit is not the only fix: the source may be created later. It still is not retried with
 * backoff, because its creation wakes every CR that copies it (the source cache's handler, see
 * `engine/copies.ts`) and the resync looks again anyway; retries would only add a Warning event
 * each (writes) and change nothing the cache does not already tell.
 */
export class MissingSourceError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'MissingSourceError';
    this.path = path;
  }
}

/** Classifies one thrown value; AggregateErrors become one issue per inner error. */
export function issuesOf(err: unknown): ReconcileIssue[] {
  if (err instanceof AggregateError) return err.errors.flatMap(issuesOf);
  if (err instanceof RenderError) return [{ path: err.path, message: err.message, reason: 'TemplateError', terminal: true }];
  if (err instanceof DeclarationError) {
    return err.problems.map((p) => ({ path: `${err.path}.${p.path}`, message: `${err.path}.${p.path}: ${p.message}`, reason: 'InvalidDeclaration', terminal: true }));
  }
  if (err instanceof MissingSourceError) return [{ path: err.path, message: err.message, reason: 'SourceNotFound', terminal: true }];
  if (err instanceof StatusValueError) return [{ path: err.path, message: err.message, reason: 'InvalidStatus', terminal: true }];
  if (err instanceof ApiError && err.statusCode === 422) return [{ message: err.message, reason: 'Rejected', terminal: true }];
  return [{ message: err instanceof Error ? err.message : String(err), reason: 'ReconcileError', terminal: false }];
}

/** All issues terminal (and at least one): retrying cannot help. */
export function allTerminal(issues: readonly ReconcileIssue[]): boolean {
  return issues.length > 0 && issues.every((i) => i.terminal);
}

/** One line for logs, events and the Ready condition's message. */
export function summary(issues: readonly ReconcileIssue[]): string {
  return issues.map((i) => i.message).join('; ');
}

/** The Ready condition's reason for these issues: the first terminal reason, else ReconcileError. */
export function readyReason(issues: readonly ReconcileIssue[]): IssueReason {
  return issues.find((i) => i.terminal)?.reason ?? 'ReconcileError';
}

/** Thrown by a reconcile whose problems are retryable: the worker pool backs off and tries again. */
export class ReconcileFailed extends Error {
  readonly issues: readonly ReconcileIssue[];
  constructor(issues: readonly ReconcileIssue[]) {
    super(summary(issues));
    this.name = 'ReconcileFailed';
    this.issues = issues;
  }
}
