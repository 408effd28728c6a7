// A small parser of the Prometheus text exposition format (0.0.4): enough to read /metrics in
// tests and tools without another dependency. Handles HELP/TYPE lines, labels with escaped
// quotes, backslashes and newlines, +Inf/-Inf/NaN, and optional timestamps.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedMetrics {
  samples: Sample[];
  /** Metric family name → type (counter, gauge, histogram, summary, untyped). */
  types: Map<string, string>;
  help: Map<string, string>;
}

export function parsePrometheusText(text: string): ParsedMetrics {
  const out: ParsedMetrics = { samples: [], types: new Map(), help: new Map() };
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      const m = /^#\s*(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(.*)$/.exec(line);
      if (m?.[1] === 'TYPE') out.types.set(m[2], m[3].trim());
      else if (m?.[1] === 'HELP') out.help.set(m[2], m[3]);
      continue;
    }
    out.samples.push(parseSample(line, n + 1));
  }
  return out;
}

function parseSample(line: string, lineNo: number): Sample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) throw new Error(`line ${lineNo}: no metric name in ${JSON.stringify(line)}`);
  const name = nameMatch[0];
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ' || line[i] === ',') i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      const lm = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i));
      if (!lm) throw new Error(`line ${lineNo}: bad label name at column ${i + 1}`);
      i += lm[0].length;
      while (line[i] === ' ') i++;
      if (line[i] !== '=' || line[i + 1] !== '"') throw new Error(`line ${lineNo}: expected =" at column ${i + 1}`);
      i += 2;
      let value = '';
      for (;;) {
        const c = line[i];
        if (c === undefined) throw new Error(`line ${lineNo}: unterminated label value`);
        i++;
        if (c === '"') break;
        if (c === '\\') {
          const e = line[i++];
          value += e === 'n' ? '\n' : e;
        } else {
          value += c;
        }
      }
      labels[lm[0]] = value;
    }
  }
  const rest = line.slice(i).trim().split(/\s+/);
  const value = parseValue(rest[0], lineNo);
  return { name, labels, value };
}

function parseValue(text: string | undefined, lineNo: number): number {
  // Prometheus parses values with Go's ParseFloat, which takes Inf and NaN in any case; prom-client
  // writes `Nan` (e.g. nodejs_eventloop_lag_mean_seconds before the first lag sample).
  const special = text?.toLowerCase();
  if (special === '+inf' || special === 'inf') return Number.POSITIVE_INFINITY;
  if (special === '-inf') return Number.NEGATIVE_INFINITY;
  if (special === 'nan') return Number.NaN;
  const v = Number(text);
  if (text === undefined || text === '' || Number.isNaN(v)) throw new Error(`line ${lineNo}: bad sample value ${JSON.stringify(text)}`);
  return v;
}

/** Samples of `name` whose labels include all of `match`. */
export function select(m: ParsedMetrics, name: string, match: Record<string, string> = {}): Sample[] {
  return m.samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

/** Sum of the matching samples' values (0 when none). */
export function sum(m: ParsedMetrics, name: string, match: Record<string, string> = {}): number {
  return select(m, name, match).reduce((a, s) => a + s.value, 0);
}
