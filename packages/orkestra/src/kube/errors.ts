// Errors of the kube layer are values a caller can inspect (status code, reason) and a CLI can
// print as one clear sentence. Nothing here ever carries a token or a key.

/** A Kubernetes API answer other than 2xx, parsed from its `Status` body when there is one. */
export class ApiError extends Error {
  readonly statusCode: number;
  /** metav1.StatusReason, e.g. NotFound, AlreadyExists, Conflict, Expired, Gone, Invalid. */
  readonly reason: string;
  readonly details: unknown;
  readonly verb: string;
  readonly url: string;

  constructor(init: { statusCode: number; reason?: string; message?: string; details?: unknown; verb: string; url: string }) {
    const reason = init.reason || reasonForCode(init.statusCode);
    super(`${init.verb} ${init.url}: ${init.statusCode} ${reason}${init.message ? `: ${init.message}` : ''}`);
    this.name = 'ApiError';
    this.statusCode = init.statusCode;
    this.reason = reason;
    this.details = init.details;
    this.verb = init.verb;
    this.url = init.url;
  }
}

/** The cluster could not be reached at all (refused, DNS, TLS, timeout): no HTTP answer. */
export class ConnectionError extends Error {
  readonly server: string;
  /** The system or TLS error code, e.g. ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, ETIMEDOUT. */
  readonly code: string;

  constructor(server: string, code: string, detail?: string) {
    super(`cannot reach the cluster at ${server}: ${code}${detail && detail !== code ? ` (${detail})` : ''}`);
    this.name = 'ConnectionError';
    this.server = server;
    this.code = code;
  }
}

/** The kubeconfig (or in-cluster configuration) is missing or malformed. */
export class KubeConfigError extends Error {
  readonly source: string;
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'KubeConfigError';
    this.source = source;
  }
}

function reasonForCode(code: number): string {
  switch (code) {
    case 400: return 'BadRequest';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 404: return 'NotFound';
    case 405: return 'MethodNotAllowed';
    case 409: return 'Conflict';
    case 410: return 'Expired';
    case 415: return 'UnsupportedMediaType';
    case 422: return 'Invalid';
    case 429: return 'TooManyRequests';
    case 500: return 'InternalError';
    case 503: return 'ServiceUnavailable';
    case 504: return 'Timeout';
    default: return `HTTP${code}`;
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.statusCode === 404;
export const isConflict = (e: unknown): boolean => e instanceof ApiError && e.statusCode === 409 && e.reason !== 'AlreadyExists';
export const isAlreadyExists = (e: unknown): boolean => e instanceof ApiError && e.reason === 'AlreadyExists';
/** 410: a resourceVersion or continue token older than what the server still keeps. */
export const isGone = (e: unknown): boolean => e instanceof ApiError && (e.statusCode === 410 || e.reason === 'Expired' || e.reason === 'Gone');
