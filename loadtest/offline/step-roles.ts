import { STEP_ENV } from '../../lib/benchmark/benchmark-functions';
import type { AwsCall } from '../local/judges/aws-call';
import type { IamJudge } from '../local/judges/iam/iam-judge';
import { arnOfResource, resolveTemplateValue, roleOfResource } from '../local/judges/iam/template-roles';
import type { LocalFolderStore } from '../pipeline/local-store';
import { AccessDeniedError, AuthorizedStore } from './authorized-store';
import type { StepHandler } from './bind-tasks';
import type { CfnTemplate } from './definition';
import type { StepIdentity } from './local-handlers';

/** Lambda function logical id of each pipeline step (its LLM_BENCH_STEP variable). */
export function stepFunctions(template: CfnTemplate): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const step = (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.[STEP_ENV];
    if (typeof step === 'string') out.set(step, id);
  }
  return out;
}

/**
 * Each step runs as its function's role: its SDK clients sign with the role's logical id as access
 * key id (the local endpoint's IAM judge reads it back), and its S3 calls are judged by the role.
 */
export function stepIdentities(
  template: CfnTemplate,
  judge: IamJudge,
  store: LocalFolderStore,
  ctx: { region: string; account: string },
  signAsRole: boolean,
): (step: string) => StepIdentity {
  const functions = stepFunctions(template);
  const cache = new Map<string, StepIdentity>();
  return (step) => {
    const known = cache.get(step);
    if (known) return known;
    const fn = functions.get(step);
    if (fn === undefined) throw new Error(`no Lambda function of the template runs step '${step}'`);
    const role = roleOfResource(template, fn);
    const env = (template.Resources[fn]?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    const bucket = String(resolveTemplateValue(env.RESULTS_BUCKET, template.Resources, ctx));
    const authorize = (call: AwsCall) => judge.authorize(role, call);
    const identity: StepIdentity = {
      store: new AuthorizedStore(store, bucket, authorize),
      authorize,
      ...(signAsRole ? { credentials: { accessKeyId: role, secretAccessKey: 'offline' } } : {}),
    };
    cache.set(step, identity);
    return identity;
  };
}

/** Task handlers invoked as the state machine's role: lambda:InvokeFunction on each step's function. */
export function invokedAs(
  template: CfnTemplate,
  machineId: string,
  judge: IamJudge,
  handlers: Readonly<Record<string, StepHandler>>,
  ctx: { region: string; account: string },
): Record<string, StepHandler> {
  const role = roleOfResource(template, machineId);
  const functions = stepFunctions(template);
  return Object.fromEntries(
    Object.entries(handlers).map(([step, handler]) => {
      const fn = functions.get(step);
      if (fn === undefined) return [step, handler];
      const arn = arnOfResource(template.Resources, fn, ctx);
      const judged: StepHandler = async (input) => {
        const decision = await judge.authorize(role, { action: 'lambda:InvokeFunction', resources: [{ arn }] });
        if (!decision.allowed) throw new AccessDeniedError('Lambda.AccessDeniedException', decision.message);
        return handler(input);
      };
      return [step, judged];
    }),
  );
}
