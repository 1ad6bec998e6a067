import { UserInputError } from '../errors';

/** One problem in a fleet file, at a path like `deployments[2].tp`. */
export interface FleetIssue {
  readonly path: string;
  readonly message: string;
  /** 1-based line in the file, when known. */
  readonly line?: number;
}

/** Renders an issue as one line: `deployments[2].tp: ... (line 14)`. */
export function formatFleetIssue(issue: FleetIssue): string {
  return `${issue.path}: ${issue.message}${issue.line !== undefined ? ` (line ${issue.line})` : ''}`;
}

/** All problems of a fleet file at once; the message holds one line per problem. */
export class FleetValidationError extends UserInputError {
  public readonly issues: readonly FleetIssue[];

  constructor(issues: readonly FleetIssue[], file?: string) {
    super(issues[0]?.path ?? 'fleet', issues[0]?.message ?? 'invalid fleet');
    this.name = 'FleetValidationError';
    this.issues = issues;
    const where = file ? `${file}: ` : '';
    this.message = issues.map((i) => `${where}${formatFleetIssue(i)}`).join('\n');
  }
}
