import { matchesEventPattern } from './event-pattern';
import { resolveTemplateValue, type ArnContext, type TemplateResources } from './iam/template-roles';

/** A rule of a template that an event matches, with the targets EventBridge would invoke. */
export interface MatchedRule {
  readonly ruleLogicalId: string;
  /** Target ARNs, resolved (a state machine's ARN for the benchmark launcher). */
  readonly targets: readonly string[];
}

/**
 * The enabled AWS::Events::Rule resources of a template whose EventPattern matches `event`
 * (EventBridge semantics: event-pattern.ts), with their targets: what one event starts.
 */
export function matchingRules(template: TemplateResources, event: unknown, ctx: ArnContext): MatchedRule[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Events::Rule' && r.Properties?.State !== 'DISABLED' && r.Properties?.EventPattern !== undefined)
    .filter(([, r]) => matchesEventPattern(r.Properties?.EventPattern, event))
    .map(([id, r]) => ({
      ruleLogicalId: id,
      targets: ((r.Properties?.Targets as { Arn: unknown }[] | undefined) ?? []).map((t) => String(resolveTemplateValue(t.Arn, template.Resources, ctx))),
    }));
}
