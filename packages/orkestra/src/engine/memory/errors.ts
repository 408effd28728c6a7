// The memory cluster's refusals, worded and coded like the API server's, so `isNotFound`,
// `isConflict`, `isAlreadyExists` and the terminating-namespace reader treat both alike.
import { ApiError, resourceName, type ResourceInfo } from '../../kube/index.ts';

/** The request path the real client would have used: it names the request in every message. */
export function requestPath(r: ResourceInfo, namespace: string | undefined, name?: string, subresource?: string): string {
  let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && namespace) p += `/namespaces/${namespace}`;
  p += `/${r.resource}`;
  if (name !== undefined) p += `/${name}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

export interface Request {
  verb: string;
  resource: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
}

function fail(req: Request, statusCode: number, reason: string, message: string, details?: unknown): ApiError {
  return new ApiError({ statusCode, reason, message, details, verb: req.verb, url: requestPath(req.resource, req.namespace, req.name, req.subresource) });
}

export const notFound = (req: Request): ApiError =>
  fail(req, 404, 'NotFound', `${resourceName(req.resource)} "${req.name}" not found`, { name: req.name, kind: req.resource.resource });

export const namespaceNotFound = (req: Request, namespace: string): ApiError =>
  fail(req, 404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });

export const subresourceNotFound = (req: Request): ApiError => fail(req, 404, 'NotFound', 'the server could not find the requested resource');

export const alreadyExists = (req: Request): ApiError =>
  fail(req, 409, 'AlreadyExists', `${resourceName(req.resource)} "${req.name}" already exists`, { name: req.name, kind: req.resource.resource });

export const conflict = (req: Request): ApiError =>
  fail(req, 409, 'Conflict', `Operation cannot be fulfilled on ${resourceName(req.resource)} "${req.name}": the object has been modified; please apply your changes to the latest version and try again`);

export const applyConflict = (req: Request, conflicts: { manager: string; path: string }[]): ApiError =>
  fail(req, 409, 'Conflict', `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: ${conflicts.map((c) => `conflict with "${c.manager}": ${c.path}`).join(', ')}`);

/** 422 Invalid with the field causes, e.g. `metadata.name: Required value`. */
export const invalid = (req: Request, kind: string, causes: string[]): ApiError =>
  fail(req, 422, 'Invalid', `${kind} "${req.name ?? ''}" is invalid: ${causes.join(', ')}`, { name: req.name, kind, causes });

export const badRequest = (req: Request, message: string): ApiError => fail(req, 400, 'BadRequest', message);

export const unsupportedPatch = (req: Request, type: string): ApiError =>
  fail(req, 415, 'UnsupportedMediaType', `the memory cluster supports merge patches only, not "${type}" patches (use a merge patch or server-side apply)`);

export const terminating = (req: Request, namespace: string): ApiError =>
  fail(req, 403, 'Forbidden', `${resourceName(req.resource)} "${req.name ?? ''}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`);
