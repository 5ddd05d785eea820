/**
 * Terminal output shared by the commands: colours only on a terminal, a
 * progress line on long runs, and nothing decorative when a machine reads
 * the output (`--json`, pipes, CI logs).
 */

export interface TerminalInfo {
  /** stdout is a terminal. */
  isTTY?: boolean;
  /** The process environment (NO_COLOR, FORCE_COLOR, TERM). */
  env?: Record<string, string | undefined>;
}

/**
 * Colours are on when stdout is a TTY, unless NO_COLOR is set (https://no-color.org)
 * or TERM is `dumb`; FORCE_COLOR (non-zero) turns them on anyway.
 */
export function colorEnabled({ isTTY = false, env = {} }: TerminalInfo): boolean {
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return isTTY && env['TERM'] !== 'dumb';
}

export interface Paint {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

/** ANSI styles, or identity functions when colours are off. */
export function paint(enabled: boolean): Paint {
  const plain = (text: string) => text;
  return enabled
    ? { red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39), cyan: sgr(36, 39), bold: sgr(1, 22), dim: sgr(2, 22) }
    : { red: plain, yellow: plain, green: plain, cyan: plain, bold: plain, dim: plain };
}

/** A progress line: the current step, rewritten in place. */
export interface Progress {
  step(label: string): void;
  done(): void;
}

/**
 * Progress on stderr, shown only on a terminal and only once a run has taken
 * longer than `delayMs` (short runs stay quiet); `done` erases the line.
 */
export function progress(write: ((text: string) => void) | undefined, delayMs = 300, now = () => Date.now()): Progress {
  if (!write) return { step: () => {}, done: () => {} };
  const started = now();
  let shown = false;
  return {
    step(label) {
      if (now() - started < delayMs) return;
      shown = true;
      write(`\r\u001b[2K${label}…`);
    },
    done() {
      if (shown) write('\r\u001b[2K');
    },
  };
}

/** What a command needs from the terminal, beyond stdout/stderr lines. */
export interface TerminalIo {
  /** Colours on stdout/stderr. */
  color?: boolean;
  /** Raw stderr writer for the progress line (set only when stderr is a TTY). */
  progress?: (text: string) => void;
}
