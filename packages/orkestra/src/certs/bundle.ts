// Self-signed TLS material: a CA and a server certificate it signs, as PEM. The inputs are plain
// data and the clock is injected, so a caller decides when (and a test what instant) a
// certificate starts; the only randomness is the keys and the serial numbers.
import { randomBytes, webcrypto } from 'node:crypto';

type X509 = typeof import('@peculiar/x509');

// ECDSA P-256: a key pair in about a millisecond (RSA 2048 takes tens to hundreds), and every TLS
// client Kubernetes workloads use accepts it.
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
/** X.509 bounds a common name at 64 characters (RFC 5280 ub-common-name). */
const MAX_COMMON_NAME = 64;

let library: Promise<X509> | undefined;

/**
 * The X.509 library, loaded on first use. Its dependency injection container refuses to load
 * without the Reflect metadata API, hence the polyfill first.
 */
function x509(): Promise<X509> {
  library ??= (async () => {
    await import('reflect-metadata');
    return import('@peculiar/x509');
  })();
  return library;
}

export interface Pem {
  /** The certificate, `-----BEGIN CERTIFICATE-----`. */
  cert: string;
  /** The private key as PKCS#8, `-----BEGIN PRIVATE KEY-----`. */
  key: string;
}

export interface CaRequest {
  commonName: string;
  validForMs: number;
  now: Date;
}

export interface ServerCertRequest extends CaRequest {
  /** Subject alternative names (DNS); what clients check. Empty: the common name alone. */
  dnsNames: readonly string[];
}

export interface ServerBundle extends Pem {
  /** The CA certificate that signed `cert` (what a client trusts: `ca.crt`). */
  caCert: string;
}

/** Thrown for a request no certificate can be made from (an edit of the request fixes it). */
export class CertificateRequestError extends Error {
  override name = 'CertificateRequestError';
}

export async function generateCa(req: CaRequest): Promise<Pem> {
  const lib = await x509();
  const { notBefore, notAfter } = validity(req);
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
  const cert = await lib.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: [{ CN: [commonName(req.commonName)] }],
    notBefore, notAfter, keys, signingAlgorithm: ALGORITHM,
    extensions: [
      // pathLength 0: this CA signs server certificates only, never another CA.
      new lib.BasicConstraintsExtension(true, 0, true),
      new lib.KeyUsagesExtension(lib.KeyUsageFlags.keyCertSign | lib.KeyUsageFlags.cRLSign, true),
      await lib.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await pkcs8(lib, keys.privateKey) };
}

/** A server certificate for `req`, signed by `ca` (as `generateCa` returns it). */
export async function issueServerCert(ca: Pem, req: ServerCertRequest): Promise<Pem> {
  const lib = await x509();
  const { notBefore, notAfter } = validity(req);
  const cn = commonName(req.commonName);
  const dnsNames = [...new Set(req.dnsNames.length > 0 ? req.dnsNames : [cn])];
  const issuer = new lib.X509Certificate(ca.cert);
  const signingKey = await webcrypto.subtle.importKey('pkcs8', lib.PemConverter.decodeFirst(ca.key), ALGORITHM, false, ['sign']);
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
  const cert = await lib.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: [{ CN: [cn] }],
    issuer: issuer.subjectName,
    notBefore, notAfter, signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey,
    extensions: [
      new lib.BasicConstraintsExtension(false, undefined, true),
      new lib.KeyUsagesExtension(lib.KeyUsageFlags.digitalSignature, true),
      new lib.ExtendedKeyUsageExtension([lib.ExtendedKeyUsage.serverAuth]),
      new lib.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: 'dns' as const, value }))),
      await lib.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await lib.AuthorityKeyIdentifierExtension.create(issuer.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await pkcs8(lib, keys.privateKey) };
}

/**
 * A fresh CA and a server certificate it signs, both valid from `now` for `validForMs`. The CA's
 * key is not returned: nothing signs with it again (a rotation makes a new CA), and a key that is
 * never stored cannot leak.
 */
export async function selfSignedServerBundle(req: ServerCertRequest): Promise<ServerBundle> {
  const ca = await generateCa({ ...req, commonName: caName(req.commonName) });
  const server = await issueServerCert(ca, req);
  return { ...server, caCert: ca.cert };
}

function validity(req: CaRequest): { notBefore: Date; notAfter: Date } {
  if (!Number.isFinite(req.validForMs) || req.validForMs < 1000) {
    throw new CertificateRequestError(`a certificate must be valid for at least a second (got ${req.validForMs} ms)`);
  }
  // X.509 times have whole seconds: truncating here keeps notAfter - notBefore = validFor exactly.
  const from = Math.floor(req.now.getTime() / 1000) * 1000;
  return { notBefore: new Date(from), notAfter: new Date(from + Math.floor(req.validForMs / 1000) * 1000) };
}

function commonName(cn: string): string {
  const v = cn.trim();
  if (v === '') throw new CertificateRequestError('the common name is empty');
  if (v.length > MAX_COMMON_NAME) {
    throw new CertificateRequestError(`the common name "${v}" has ${v.length} characters; X.509 allows ${MAX_COMMON_NAME} (put the long name in dnsNames)`);
  }
  return v;
}

/** A CA name that tells the CA apart from the certificate it signs, within the length bound. */
function caName(cn: string): string {
  const suffix = ' CA';
  const base = commonName(cn);
  return base.length + suffix.length <= MAX_COMMON_NAME ? base + suffix : base.slice(0, MAX_COMMON_NAME - suffix.length) + suffix;
}

/** 16 random bytes with the high bit clear: a positive serial (RFC 5280 §4.1.2.2). */
function serial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f;
  return b.toString('hex');
}

async function pkcs8(lib: X509, key: webcrypto.CryptoKey): Promise<string> {
  return lib.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}
