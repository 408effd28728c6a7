#!/usr/bin/env node
// The `ork` launcher. It runs the JS build in dist/ whenever that build is current, because
// loading TypeScript sources makes Node instantiate its type-stripping compiler (WebAssembly),
// which stays resident for the life of the process (~20–30 MB of RSS for an operator that may run
// for months), and Node refuses to strip types under node_modules at all. A checkout whose dist/
// is missing or older than src/ runs the sources directly, so a developer never runs stale code.
// The compile cache (V8 code cache, and stripped sources) makes every later start faster.
import module from 'node:module';
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// An operator is a long-running process with a small live heap and bursts of short-lived garbage
// (a thousand CRs reconciled at start). With V8's default young generation (up to 16 MB per
// semi-space) such a burst leaves ~60 MB more resident memory than with 2 MB, for the same
// throughput (bench/converge; docs/benchmarks.md). The size can only be set when the process
// starts, so the launcher replaces itself (same PID, same stdio) with a process that has it —
// unless the user chose their own young-generation size, or the platform cannot exec (Windows).
const YOUNG_GENERATION = '--max-semi-space-size=2';
const chosen = (flags) => /--(max-semi-space-size|semi-space-growth-factor|optimize-for-size)\b/.test(flags);
if (!chosen(process.execArgv.join(' ')) && !chosen(process.env.NODE_OPTIONS ?? '') && typeof process.execve === 'function') {
  try {
    process.execve(process.execPath, [process.execPath, YOUNG_GENERATION, ...process.execArgv, ...process.argv.slice(1)], process.env);
  } catch {
    // Could not exec (a sandbox that forbids it): run as we are, with V8's defaults.
  }
}

module.enableCompileCache?.();

const pkg = fileURLToPath(new URL('..', import.meta.url));

/** Newest modification time of the built .ts files under `dir` (not tests), 0 when there is no such folder. */
function newestSource(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (e.isFile() && e.name.endsWith('.ts') && !/\.(d|test|test-helper)\.ts$/.test(e.name)) {
      newest = Math.max(newest, statSync(`${e.parentPath}/${e.name}`).mtimeMs);
    }
  }
  return newest;
}

function buildIsCurrent() {
  let built;
  try {
    built = statSync(`${pkg}/dist/cli/main.js`).mtimeMs;
  } catch {
    return false;
  }
  return built >= newestSource(`${pkg}/src`);
}

const { main } = await import(buildIsCurrent() ? '../dist/cli/main.js' : '../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
