// Load problems as values: collected (never thrown) so one run reports everything at once.
import type { Diagnostic } from './model.ts';

/** Edit distance (insert/delete/substitute), case-sensitive. Small inputs only (keys, names). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/**
 * The candidate closest to `word`, if it is plausibly a typo of it: a case-insensitive match, or
 * an edit distance of at most max(2, a third of the word's length).
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const c of candidates) {
    if (c === word) continue;
    const d = c.toLowerCase() === lower ? 0.5 : levenshtein(lower, c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : `; did you mean \`${c}\`?`;
}

/** `file:line:col: error: message (at field.path)` — the format editors and CI annotators parse. */
export function formatDiagnostic(d: Diagnostic, cwd?: string): string {
  const dir = cwd?.replace(/\/+$/, '');
  const file = dir !== undefined && d.file.startsWith(dir + '/') ? d.file.slice(dir.length + 1) : d.file;
  const at = d.path === '' ? '' : ` (at ${d.path})`;
  return `${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}${at}`;
}

/** Errors first sorted by position, so output follows the file top to bottom. */
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

/** `spec.crds.website.operatorBox.onCreate.deployments[0].replicas` from a JS path. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
