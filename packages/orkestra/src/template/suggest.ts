// "Did you mean" for function names: the closest name within a typo's distance (case-insensitive
// edit distance ≤ max(2, a third of the name)), the rule the Katalog loader uses for keys.

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

export function closestName(word: string, names: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const n of names) {
    const d = n.toLowerCase() === lower ? 0.5 : distance(lower, n.toLowerCase());
    // Ties go to the shorter name, then alphabetical order: the same suggestion every run.
    if (d < bestDistance || (d === bestDistance && best !== undefined && (n.length < best.length || (n.length === best.length && n < best)))) {
      bestDistance = d;
      best = n;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
