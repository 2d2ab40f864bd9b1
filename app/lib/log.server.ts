export type LogFields = Record<string, unknown>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/**
 * One JSON line per event on stdout/stderr. JSON encoding keeps user-supplied
 * values from forging log lines.
 */
export function createLogger(options: { silent?: boolean } = {}): Logger {
  const write = (level: string, event: string, fields: LogFields = {}) => {
    if (options.silent) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
    (level === "info" ? process.stdout : process.stderr).write(line + "\n");
  };
  return {
    info: (event, fields) => write("info", event, fields),
    warn: (event, fields) => write("warn", event, fields),
    error: (event, fields) => write("error", event, fields),
  };
}
