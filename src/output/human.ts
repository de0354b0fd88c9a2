// Human output: to stderr, so stdout stays free for --json. Colour follows NO_COLOR, FORCE_COLOR and
// whether stderr is a terminal; the spinner only runs on a terminal.
import { Chalk, supportsColorStderr, type ChalkInstance } from 'chalk';
import { COLOR_VARIABLES } from '../contract/env-vars.ts';

export interface Output {
  readonly c: ChalkInstance;
  /** Whether the stream is a terminal (a spinner redraws its line): progress lines are for logs only. */
  readonly isTTY?: boolean;
  heading(text: string): void;
  info(text: string): void;
  success(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  /** Indented secondary lines: a command to run, a list. */
  detail(text: string): void;
  debug(text: string): void;
  /** Shows a spinner while `work` runs (terminal only) and a line with the outcome and time when it ends. */
  task<T>(text: string, work: () => Promise<T>): Promise<T>;
}

export interface OutputOptions {
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
  debug?: boolean;
  now?: () => number;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function createOutput(opts: OutputOptions = {}): Output {
  const stream = opts.stream ?? process.stderr;
  const env = opts.env ?? process.env;
  const now = opts.now ?? Date.now;
  const tty = stream.isTTY === true;
  const noColor = env[COLOR_VARIABLES.noColor] !== undefined && env[COLOR_VARIABLES.noColor] !== '';
  const level = noColor
    ? 0
    : env[COLOR_VARIABLES.forceColor]
      ? Math.max(1, supportsColorStderr ? supportsColorStderr.level : 1)
      : tty && supportsColorStderr
        ? supportsColorStderr.level
        : 0;
  const c = new Chalk({ level: level as 0 | 1 | 2 | 3 });
  const write = (line: string): void => {
    stream.write(`${line}\n`);
  };

  return {
    c,
    isTTY: tty,
    heading: (t) => write(`\n${c.bold(t)}`),
    info: (t) => write(t),
    success: (t) => write(`${c.green('✔')} ${t}`),
    warn: (t) => write(`${c.yellow('⚠')} ${t}`),
    error: (t) => write(`${c.red('✖')} ${t}`),
    detail: (t) => write(`  ${t}`),
    debug: (t) => {
      if (opts.debug) write(c.dim(`debug: ${t}`));
    },
    async task(text, work) {
      const start = now();
      let timer: NodeJS.Timeout | undefined;
      if (tty) {
        let i = 0;
        const draw = (): void => {
          const secs = ((now() - start) / 1000).toFixed(0);
          stream.write(`\r\x1b[2K${c.cyan(FRAMES[i++ % FRAMES.length])} ${text} ${c.dim(`${secs}s`)}`);
        };
        draw();
        timer = setInterval(draw, 100);
      }
      const clear = (): void => {
        if (timer) clearInterval(timer);
        if (tty) stream.write('\r\x1b[2K');
      };
      try {
        const value = await work();
        clear();
        write(`${c.green('✔')} ${text} ${c.dim(`(${((now() - start) / 1000).toFixed(1)}s)`)}`);
        return value;
      } catch (e) {
        clear();
        write(`${c.red('✖')} ${text}`);
        throw e;
      }
    },
  };
}
