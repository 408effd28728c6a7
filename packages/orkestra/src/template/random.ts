// Random sources. Level-triggered reconciles render the same templates again and again, so a
// Katalog that says `{{ randomAlphanumeric 16 }}` must get the same value for the same CR on every
// reconcile: seededRandom(seed) derives bytes from HMAC-SHA256(seed, callSite), where the call
// site names the template source, the offset of the call and its occurrence in this render.
import { createHmac, randomBytes } from 'node:crypto';

export interface RandomSource {
  /** n random bytes for the given call site. */
  bytes(n: number, callSite: string): Uint8Array;
  /** n characters from [A-Za-z0-9], unbiased. */
  alphanumeric(n: number, callSite: string): string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function alnumFrom(n: number, more: (k: number) => Uint8Array): string {
  let out = '';
  let round = 0;
  while (out.length < n) {
    const buf = more(round++);
    for (let i = 0; i < buf.length && out.length < n; i++) {
      const b = buf[i]!;
      if (b < 248) out += ALNUM[b % 62]; // 248 = 4*62: rejection keeps it unbiased
    }
  }
  return out;
}

/** The default: fresh crypto randomness on every call. */
export const cryptoRandom: RandomSource = {
  bytes: (n) => randomBytes(n),
  alphanumeric: (n) => alnumFrom(n, () => randomBytes(Math.max(16, n + 8))),
};

/** Deterministic randomness: same seed + same call site ⇒ same value. Use the CR's UID as seed. */
export function seededRandom(seed: string): RandomSource {
  const stream = (callSite: string, n: number, salt: string): Uint8Array => {
    const out = Buffer.alloc(n);
    for (let off = 0, block = 0; off < n; block++) {
      const h = createHmac('sha256', seed).update(`${salt}\0${callSite}\0${block}`).digest();
      off += h.copy(out, off);
    }
    return out;
  };
  return {
    bytes: (n, callSite) => stream(callSite, n, 'bytes'),
    alphanumeric: (n, callSite) => alnumFrom(n, (round) => stream(callSite, 64, `alnum${round}`)),
  };
}
