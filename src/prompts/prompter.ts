// The wizard's questions. The interactive and the CI paths are one path: the non-interactive prompter
// is a prompter that cannot ask, so it answers with the flag that would have supplied the value.
import { MissingInputError } from '../errors.ts';

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
  /** Shown but not selectable: why, and the fix. */
  disabled?: string;
}

export interface SelectQuestion<T> {
  message: string;
  choices: readonly Choice<T>[];
  /** The flag that answers this question without a prompt, named in the usage error. */
  flag: string;
  /** What is missing, for the usage error ("The Azure OpenAI resource"). */
  what: string;
  default?: T;
}

export interface ConfirmQuestion {
  message: string;
  /** The answer used when no prompt can be shown. */
  default: boolean;
}

export interface InputQuestion {
  message: string;
  flag: string;
  what: string;
  validate?: (value: string) => true | string;
}

export interface Prompter {
  readonly interactive: boolean;
  select<T>(q: SelectQuestion<T>): Promise<T>;
  confirm(q: ConfirmQuestion): Promise<boolean>;
  input(q: InputQuestion): Promise<string>;
}

export function createNonInteractivePrompter(): Prompter {
  return {
    interactive: false,
    select(q) {
      const list = q.choices.map(
        (c) => `${c.name}${c.disabled ? `  (${c.disabled})` : c.description ? `  (${c.description})` : ''}`,
      );
      return Promise.reject(
        new MissingInputError(q.flag, q.what, list.length > 0 ? ['Choices:', ...list.map((l) => `  ${l}`)] : undefined),
      );
    },
    confirm(q) {
      return Promise.resolve(q.default);
    },
    input(q) {
      return Promise.reject(new MissingInputError(q.flag, q.what));
    },
  };
}
