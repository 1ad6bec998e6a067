import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { UserInputError } from '../../lib/errors';
import type { CfnTemplate } from './definition';
import { readTemplateDeployment, type TemplateDeployment } from './template-deployment';

/**
 * A deployment read from `cdk synth` output: a stack template file, or a cloud assembly folder
 * (cdk.out) whose `*.template.json` holding the deployment is picked by its `llm-bench:deployment` tag.
 */

/** Region of an ECR image URI (`{account}.dkr.ecr.{region}.amazonaws.com/…`). */
export function regionOfImage(image: string): string | undefined {
  return /\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com/.exec(image)?.[1];
}

function readTemplate(file: string): CfnTemplate {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate;
    if (parsed === null || typeof parsed !== 'object' || typeof parsed.Resources !== 'object') throw new Error('no Resources');
    return parsed;
  } catch (error) {
    throw new UserInputError('templatePath', `'${file}' is not a CloudFormation template (${error instanceof Error ? error.message : String(error)})`);
  }
}

function hasEndpoint(template: CfnTemplate): boolean {
  return Object.values(template.Resources).some((r) => r.Type === 'AWS::SageMaker::Endpoint');
}

export interface LoadedDeployment {
  readonly deployment: TemplateDeployment;
  readonly template: CfnTemplate;
  readonly region: string;
}

/** Reads the deployment `deploymentId` (optional for a single stack file) from `source`. */
export function loadTemplateDeployment(source: string, deploymentId: string | undefined): LoadedDeployment {
  if (!existsSync(source)) throw new UserInputError('templatePath', `'${source}' does not exist (a stack template file or a cdk.out folder)`);
  const files = statSync(source).isDirectory()
    ? readdirSync(source)
        .filter((f) => f.endsWith('.template.json'))
        .map((f) => path.join(source, f))
    : [source];
  const candidates = files.map(readTemplate).filter(hasEndpoint);
  const read = candidates.map((template) => {
    const image = Object.values(template.Resources).find((r) => r.Type === 'AWS::SageMaker::Model')?.Properties?.PrimaryContainer as { Image?: unknown } | undefined;
    const region = typeof image?.Image === 'string' ? regionOfImage(image.Image) : undefined;
    if (region === undefined) throw new UserInputError('templatePath', "the Model's PrimaryContainer.Image is not an ECR image URI with a region");
    return { deployment: readTemplateDeployment(template, region), template, region };
  });
  if (read.length === 0) throw new UserInputError('templatePath', `no template with an AWS::SageMaker::Endpoint in '${source}'`);
  if (deploymentId === undefined) {
    if (read.length === 1) return read[0] as LoadedDeployment;
    throw new UserInputError('deploymentId', `'${source}' holds ${read.length} deployments; name one: ${read.map((d) => d.deployment.deploymentId ?? d.deployment.endpointName).join(', ')}`);
  }
  const found = read.find((d) => d.deployment.deploymentId === deploymentId);
  if (found === undefined) {
    throw new UserInputError('deploymentId', `unknown deployment '${deploymentId}'; '${source}' has: ${read.map((d) => d.deployment.deploymentId ?? '(untagged)').join(', ')}`);
  }
  return found;
}
