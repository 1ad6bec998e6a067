import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag v3 acknowledges each IAM5 finding by its exact id (`AwsSolutions-IAM5[Resource::...]`;
 * prefix matching is not supported: cdk-nag README, "Note on bulk suppression"). This derives the
 * ids from the policies under `scope` the way the rule does, and acknowledges each with `reason`.
 * Call it after every statement has been added.
 */
export function acknowledgeWildcardFindings(scope: IConstruct, reason: string): string[] {
  const findings = new Set<string>();
  for (const policy of scope.node.findAll().filter((c): c is iam.CfnPolicy => c instanceof iam.CfnPolicy)) {
    const doc = Stack.of(policy).resolve(policy.policyDocument) as { Statement?: PolicyStatementJson[] };
    for (const statement of doc.Statement ?? []) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of asArray(statement.Action)) if (String(action).includes('*')) findings.add(`Action::${String(action)}`);
      for (const resource of asArray(statement.Resource)) {
        const flat = flattenCfnReference(resource);
        if (flat.includes('*')) findings.add(`Resource::${flat}`);
      }
    }
  }
  const ids = [...findings].map((f) => `AwsSolutions-IAM5[${f}]`);
  if (ids.length > 0) Validations.of(scope).acknowledge(...ids.map((id) => ({ id, reason })));
  return ids;
}

interface PolicyStatementJson {
  readonly Effect?: string;
  readonly Action?: unknown;
  readonly Resource?: unknown;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
