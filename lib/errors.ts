/**
 * Errors that reach a user. Each names the field at fault, the value given and what is allowed,
 * so the CLI and synth can print one clear line instead of a stack trace.
 */
export class UserInputError extends Error {
  /** Path of the offending field, e.g. `deployments[2].tp` or `--instance`. */
  public readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'UserInputError';
    this.field = field;
  }
}

/** An unknown name in a catalog lookup; the message lists close matches. */
export class UnknownNameError extends UserInputError {
  public readonly suggestions: readonly string[];

  constructor(field: string, kind: string, name: string, suggestions: readonly string[]) {
    const hint = suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
    super(field, `unknown ${kind} '${name}'${hint}`);
    this.name = 'UnknownNameError';
    this.suggestions = suggestions;
  }
}

/** True for errors whose message is meant for the user as is. */
export function isUserFacing(error: unknown): error is Error {
  return error instanceof UserInputError;
}
