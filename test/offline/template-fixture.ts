import type { CfnTemplate } from '../../loadtest/offline/definition';
import type { SynthesizedFleet } from '../../loadtest/offline/synth';

/** A deep copy of a synthesized fleet whose templates can be edited (what a hand-edited cdk.out would hold). */
export function cloneSynthesized(synth: SynthesizedFleet): SynthesizedFleet {
  return JSON.parse(JSON.stringify(synth)) as SynthesizedFleet;
}

type Properties = Record<string, unknown>;

/** Properties of every resource of `type` in `template`. */
export function propertiesOfType(template: CfnTemplate, type: string): Properties[] {
  return Object.values(template.Resources)
    .filter((r) => r.Type === type)
    .map((r) => r.Properties as Properties);
}

/** The container environment of the deployment's SageMaker Model, editable in place. */
export function modelEnvironment(synth: SynthesizedFleet, deploymentId: string): Record<string, string> {
  const template = synth.deploymentTemplates[deploymentId] as CfnTemplate;
  const [model] = propertiesOfType(template, 'AWS::SageMaker::Model');
  return (model?.PrimaryContainer as { Environment: Record<string, string> }).Environment;
}

/**
 * A container environment TGI accepts: only `MAX_INPUT_TOKENS` of the two input-length names (the
 * launcher exits when both are set). Tests about something else than the container start use it.
 */
export function withStartableContainers(synth: SynthesizedFleet): SynthesizedFleet {
  const copy = cloneSynthesized(synth);
  for (const id of Object.keys(copy.deploymentTemplates)) {
    const env = modelEnvironment(copy, id);
    if (env.MAX_INPUT_TOKENS !== undefined) delete env.MAX_INPUT_LENGTH;
  }
  return copy;
}

/** Statements of the identity policies attached to a role of the shared template (the template's objects: edit their fields; the list is a copy). */
export function roleStatements(synth: SynthesizedFleet, roleLogicalIdPrefix: string): Record<string, unknown>[] {
  return propertiesOfType(synth.template, 'AWS::IAM::Policy')
    .filter((p) => ((p.Roles as { Ref: string }[] | undefined) ?? []).some((r) => r.Ref.startsWith(roleLogicalIdPrefix)))
    .flatMap((p) => (p.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement);
}
