import type * as vscode from 'vscode';
import type { Logger } from '../common/log';

/** The single LogOutputChannel of the extension, behind the core's Logger port. Level follows VS Code's setting. */
export function createLogger(channel: vscode.LogOutputChannel, prefix = ''): Logger {
  const p = (m: string) => (prefix ? `[${prefix}] ${m}` : m);
  return {
    trace: (m, ...a) => channel.trace(p(m), ...a),
    debug: (m, ...a) => channel.debug(p(m), ...a),
    info: (m, ...a) => channel.info(p(m), ...a),
    warn: (m, ...a) => channel.warn(p(m), ...a),
    error: (m, ...a) => (typeof m === 'string' ? channel.error(p(m), ...a) : channel.error(m, ...a)),
    topic: (name) => createLogger(channel, prefix ? `${prefix}/${name}` : name),
  };
}
