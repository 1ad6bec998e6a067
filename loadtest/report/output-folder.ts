import { mkdirSync } from 'node:fs';
import { UserInputError } from '../../lib/errors';

/** Creates `dir`; a path that cannot be a folder (a file on the way, no permission) is a user error naming `field`. */
export function makeOutputFolder(dir: string, field = '--out'): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'a file is in the way' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : String(code ?? error);
    throw new UserInputError(field, `cannot create folder '${dir}' (${why}); give a writable folder`);
  }
}
