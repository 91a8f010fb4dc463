/** Where the build tells the user what is happening. The CLI decides how much reaches the terminal. */
export interface Log {
  /** Normal progress messages; hidden by --quiet. */
  info(message: string): void;
  /** Something the user should know about (a fallback, a skipped dataset); always shown. */
  warn(message: string): void;
  /** Details for --verbose. */
  debug(message: string): void;
}

export const silentLog: Log = { info() {}, warn() {}, debug() {} };

/** A log that remembers every message, for tests and the build report. */
export function memoryLog(): Log & { lines: string[]; warnings: string[] } {
  const lines: string[] = [];
  const warnings: string[] = [];
  return {
    lines,
    warnings,
    info: (m) => lines.push(m),
    warn: (m) => {
      lines.push(m);
      warnings.push(m);
    },
    debug: (m) => lines.push(m),
  };
}
