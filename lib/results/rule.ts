/**
 * One rule as data, the shape shared by the sweep's stop rules, the knee rules and the deployment
 * validation rules: its id (written once, here, and copied by whatever reports the rule's
 * finding), one line stating it for reports and help texts, and the check.
 *
 * `check` returns a finding when the rule has something to say (a stop rule fires, a knee rule
 * places a knee, a validation rule finds a problem) and `undefined` otherwise.
 */
export interface Rule<Id extends string, Args extends readonly unknown[], Finding> {
  readonly id: Id;
  readonly description: string;
  check(...args: Args): Finding | undefined;
}
