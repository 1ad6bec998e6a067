import { CloudFormationValidatePlugin } from 'aws-cdk-lib';
import { synthFleet } from './synth-fleet';

/**
 * Checks every property our constructs write against the CloudFormation resource schemas, with the
 * validator aws-cdk-lib ships (the one `cdk synth` runs by default). Other tests skip it for speed.
 */
describe('CloudFormation schema validation', () => {
  it('finds no violation in the deployment stacks of the example fleets', () => {
    const fleets = ['fleets/published-study.yaml', 'fleets/examples/scale-to-zero-ic.yaml', 'fleets/examples/llama-3-1-8b-g6e.yaml'].map((path) => synthFleet(path));
    const stacks = fleets.flatMap((fleet) => fleet.deployments.map((d) => ({ stackName: d.stackName, templatePath: fleet.templatePaths[d.stackName] })));
    const context = {
      // The validator reads the template files; the construct tree is required by the interface only.
      appConstruct: fleets[0].app,
      templatePaths: stacks.map((s) => s.templatePath),
      stackTemplates: stacks.map((s) => ({ ...s, stackConstructPath: s.stackName, accountId: '123456789012', region: 'us-east-1' })),
    };
    const report = new CloudFormationValidatePlugin().validate(context);
    const violations = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.resourceLogicalId}: ${v.description}`));
    expect(violations).toEqual([]);
    expect(report.success).toBe(true);
  });
});
