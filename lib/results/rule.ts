/**
 * The one rule shape (deployment, stop and knee rules): an id written once, a description for
 * people, and a check that returns what it found (empty when the subject passes).
 */
export interface Rule<Subject, Finding> {
  /** Stable identifier, e.g. `tgi-input-below-total`; findings carry it. */
  readonly id: string;
  /** One line for people: what the rule requires. */
  readonly description: string;
  readonly check: (subject: Subject) => readonly Finding[];
}
