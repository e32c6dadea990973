import { InputError } from '../../../core/shared/errors';

/** The InputError a reader throws, so a test can assert which file, row and field it names. */
export function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}
