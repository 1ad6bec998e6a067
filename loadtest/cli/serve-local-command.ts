import type { Command } from 'commander';
import { UserInputError } from '../../lib/errors';
import type { ServingContainer } from '../../lib/results/records';
import { formatFaultSpec } from '../local/faults';
import { startLocalEndpoint, type LocalEndpoint } from '../local/server';
import { optionalParamsFlag } from './params-flag';
import { loadTemplateDeployment } from '../offline/template-file';
import { withFlagNames } from './flag-names';
import { startTemplateEndpoint } from '../offline/template-endpoint';
import { addTgiOptions, optionalWholeNumberFlag, positiveNumberFlag, tgiOverridesOf, wholeNumberFlag, type TgiFlags } from './flag-values';

/**
 * `llm-bench serve-local`: a loopback twin of a TGI endpoint on SageMaker, served by the planner's
 * engine in real time (or `--speedup` times faster). Prints the URL and how to call it; stops on Ctrl-C.
 */

export interface ServeLocalFlags extends TgiFlags {
  /** Required unless `fromTemplate` is given. */
  readonly model?: string;
  readonly instance?: string;
  /** A deployment stack's template (or a cdk.out folder): the endpoint is what it declares. */
  readonly fromTemplate?: string;
  /** Deployment id to serve from the template(s). */
  readonly deployment?: string;
  /** Serve the autoscaling twin of this fleet deployment (its synthesized scaling policies run). */
  readonly autoscalingTwin?: string;
  /** Fleet file of `autoscalingTwin`. */
  readonly fleet?: string;
  readonly tp?: string;
  readonly copies: string;
  readonly instances: string;
  readonly port: string;
  readonly speedup: string;
  readonly faults?: string;
  readonly endpointName?: string;
  readonly component?: readonly string[];
  readonly creatingDescribeCalls?: string;
  readonly params?: string;
  readonly engine?: string;
}

const ENGINES = { tgi: 'tgi', lmi: 'lmi' } as const;

/** `--engine`: the container whose protocol the endpoint speaks and whose scheduler serves it (TGI's, or vLLM's for LMI). */
function containerOf(engine: string | undefined): ServingContainer {
  if (engine === undefined) return 'tgi';
  const container = (ENGINES as Record<string, ServingContainer | undefined>)[engine];
  if (container === undefined) throw new UserInputError('--engine', `'${engine}' is not an engine; allowed: ${Object.keys(ENGINES).join(', ')}`);
  return container;
}

/** TGI flags name TGI settings; an LMI endpoint is configured by its LMI settings (catalog defaults). */
function tgiOverridesFor(container: ServingContainer, flags: ServeLocalFlags): ReturnType<typeof tgiOverridesOf> {
  const overrides = tgiOverridesOf(flags);
  if (container === 'lmi' && Object.keys(overrides).length > 0) {
    throw new UserInputError('--engine', `TGI settings (${Object.keys(overrides).join(', ')}) do not apply to an LMI endpoint; allowed with --engine tgi`);
  }
  return overrides;
}

/** Sanity ceiling (not an AWS limit): every replica is simulated in this process. */
const MAX_INSTANCES = 100;

/** Starts the endpoint the flags describe; a busy port is a user error. */
export async function startFromFlags(flags: ServeLocalFlags): Promise<LocalEndpoint> {
  const port = wholeNumberFlag('--port', flags.port, { min: 0 });
  if (port > 65535) throw new UserInputError('--port', `${port} is not a port (0..65535; 0 = any free port)`);
  if (flags.autoscalingTwin !== undefined) {
    if (flags.model !== undefined || flags.instance !== undefined || flags.fromTemplate !== undefined) {
      throw new UserInputError('--autoscaling-twin', 'takes the model, instance and policies from the fleet: give it without --model, --instance or --from-template');
    }
    // Loaded on use: it synthesizes the fleet (aws-cdk-lib), which every other command can do without.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startScalingTwin } = require('../scenario/scaling-twin') as typeof import('../scenario/scaling-twin');
    const twin = await startScalingTwin({ deployment: flags.autoscalingTwin, ...(flags.fleet ? { fleetPath: flags.fleet } : {}), speedup: positiveNumberFlag('--speedup', flags.speedup), port });
    return twin.endpoint;
  }
  if (flags.fromTemplate !== undefined) return startFromTemplate(flags, port);
  if (flags.deployment !== undefined) throw new UserInputError('--deployment', 'needs --from-template FILE');
  if (flags.model === undefined) throw new UserInputError('--model', "is required (e.g. --model llama-2-7b), unless --from-template FILE gives the deployment");
  if (flags.instance === undefined) throw new UserInputError('--instance', "is required (e.g. --instance ml.g5.2xlarge), unless --from-template FILE gives the deployment");
  const container = containerOf(flags.engine);
  const tgi = tgiOverridesFor(container, flags);
  try {
    return await startLocalEndpoint({
      model: flags.model,
      instance: flags.instance,
      tp: optionalWholeNumberFlag('--tp', flags.tp),
      copies: wholeNumberFlag('--copies', flags.copies),
      instances: wholeNumberFlag('--instances', flags.instances, { max: MAX_INSTANCES }),
      tgi,
      port,
      speedup: positiveNumberFlag('--speedup', flags.speedup),
      faults: flags.faults,
      endpointName: flags.endpointName,
      inferenceComponents: flags.component ?? [],
      creatingDescribeCalls: optionalWholeNumberFlag('--creating-describe-calls', flags.creatingDescribeCalls, { min: 0 }),
      container,
      stepTimeParams: optionalParamsFlag(flags.params),
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      throw new UserInputError('--port', `port ${port} is in use; pick another, or --port 0 for any free port`);
    }
    throw error;
  }
}

/** Flags the template decides; giving them with --from-template is an error rather than silently ignored. */
const TEMPLATE_DECIDES = ['model', 'instance', 'tp', 'endpointName', 'component', 'maxConcurrentRequests', 'maxBatchTotalTokens', 'maxBatchPrefillTokens', 'maxTotalTokens', 'maxInputTokens'] as const;

/** The endpoint a synthesized deployment template declares, its container started by the TGI launcher judge. */
async function startFromTemplate(flags: ServeLocalFlags, port: number): Promise<LocalEndpoint> {
  const given = TEMPLATE_DECIDES.find((key) => flags[key] !== undefined);
  if (given !== undefined) {
    throw new UserInputError(`--${given.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, 'is decided by the template with --from-template (edit the template instead)');
  }
  let loaded: ReturnType<typeof loadTemplateDeployment>;
  try {
    loaded = loadTemplateDeployment(flags.fromTemplate as string, flags.deployment);
  } catch (error) {
    throw withFlagNames(error);
  }
  const { deployment, template, region } = loaded;
  const { endpoint, start } = await startTemplateEndpoint(deployment, {
    // The account only names the role in messages; resources keep the template's own ARNs.
    modelAccess: { template, region, account: '123456789012' },
    port,
    speedup: positiveNumberFlag('--speedup', flags.speedup),
    ...(flags.faults !== undefined ? { faults: flags.faults } : {}),
    ...(flags.params !== undefined ? { stepTimeParams: optionalParamsFlag(flags.params) } : {}),
    creatingDescribeCalls: optionalWholeNumberFlag('--creating-describe-calls', flags.creatingDescribeCalls, { min: 0 }),
  });
  if (!start.started) process.stderr.write(`container would not start (${start.stage}): ${start.message}\nDescribeEndpoint answers Failed; invocations are refused.\n`);
  return endpoint;
}

/** What to print once the endpoint listens: the URL and how to call it with curl, the SDK and llm-bench. */
export function describeEndpoint(endpoint: LocalEndpoint): string {
  const { deployment, url } = endpoint;
  const copies = `${deployment.copies} cop${deployment.copies === 1 ? 'y' : 'ies'}`;
  const components = endpoint.inferenceComponents;
  const component = components[0];
  const body = JSON.stringify({ inputs: 'What is Deep Learning?', parameters: { max_new_tokens: 20, details: true } });
  const chat = JSON.stringify({ messages: [{ role: 'user', content: 'What is Deep Learning?' }], max_tokens: 20, stream: true });
  const lines = [
    `local ${endpoint.container.toUpperCase()} endpoint: ${deployment.model.id} on ${deployment.instances} × ${deployment.instance.name} (TP ${deployment.tp}, ${copies}` +
      `${components.length > 0 ? ` per component: ${components.join(', ')}` : ''}), speedup ${deployment.speedup}×, faults ${formatFaultSpec(deployment.faults)}`,
    `  url        ${url}   (GET /info, /health)`,
    `  TGI        curl -s ${url}/generate -H 'Content-Type: application/json' -d '${body}'`,
    `  stream     curl -sN ${url}/generate_stream -H 'Content-Type: application/json' -d '${body}'`,
    `  OpenAI     curl -s ${url}/v1/completions -H 'Content-Type: application/json' -d '{"prompt":"Hi","max_tokens":20}'`,
    `  chat       curl -sN ${url}/v1/chat/completions -H 'Content-Type: application/json' -d '${chat}'`,
    `  container  curl -sN ${url}/invocations -H 'Content-Type: application/json' -d '${chat}'   (${endpoint.container === 'lmi' ? 'LMI: JSON lines' : 'TGI: SSE'})`,
    `  SageMaker  new SageMakerRuntimeClient({ endpoint: '${url}', region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })`,
    `             InvokeEndpoint{,WithResponseStream} EndpointName '${endpoint.endpointName}'` +
      (component !== undefined ? `, InferenceComponentName one of ${components.map((c) => `'${c}'`).join(', ')}` : ''),
    `  targets    tgi:${url}   openai:${url}   sagemaker:${endpoint.endpointName}${component !== undefined ? `:${component}` : ''} (with --endpoint-url ${url}` +
      `${endpoint.container === 'lmi' ? ' --container lmi' : ''}); --api generate|completions|chat`,
    'press Ctrl-C to stop',
  ];
  return `${lines.join('\n')}\n`;
}

/** Resolves on the first SIGINT or SIGTERM. */
function interrupted(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function register(program: Command): void {
  const command = program
    .command('serve-local')
    .description('serve a local twin of a TGI endpoint (TGI, OpenAI and SageMaker runtime protocols) driven by the planner engine')
    .option('--model <id>', "model id ('llama-2-7b') or JumpStart id (required without --from-template)")
    .option('--instance <type>', "SageMaker instance type ('ml.g5.2xlarge') (required without --from-template)")
    .option('--from-template <file>', "serve what a deployment's synthesized template declares (a stack template file or a cdk.out folder)")
    .option('--deployment <id>', 'deployment to serve from --from-template (needed when it holds several)')
    .option('--autoscaling-twin <deployment>', 'serve the autoscaling twin of this fleet deployment: its synthesized target tracking / scale-to-zero policies run, new copies take a modelled load time')
    .option('--fleet <path>', 'fleet file of --autoscaling-twin (default fleets/published-study.yaml)')
    .option('--tp <n>', "tensor-parallel degree (default: JumpStart's for the instance)")
    .option('--copies <n>', 'model copies per instance (per inference component)', '1')
    .option('--instances <n>', `instances behind the endpoint (1 to ${MAX_INSTANCES})`, '1')
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', '8080')
    .option('--params <file>', 'step-time parameters written by llm-bench calibrate (default: the shipped calibration)')
    .option('--speedup <x>', 'run virtual time this many times faster than the wall clock (advertised in /info)', '1')
    .option('--faults <spec>', 'inject faults, e.g. overload=0.1,5xx=0.05,hang=0.02,reset=0.02,garbage=0.02,truncate=0.02,throttle=0.01,seed=7')
    .option('--endpoint-name <name>', "SageMaker endpoint name the runtime routes answer to (default 'local-endpoint')")
    .option('--component <name...>', 'inference component names (requests must name one of them)')
    .option('--engine <engine>', "container: tgi (TGI scheduler, SSE) | lmi (vLLM scheduler; djl-inference: body routing, JSON-lines streams)", 'tgi');
  addTgiOptions(command)
    .option('--creating-describe-calls <n>', 'SageMaker DescribeEndpoint/DescribeInferenceComponent answer Creating this many times first', '0')
    .action(async (flags: ServeLocalFlags) => {
      const endpoint = await startFromFlags(flags);
      process.stdout.write(describeEndpoint(endpoint));
      const signal = await interrupted();
      process.stdout.write(`${signal}: stopping\n`);
      await endpoint.close();
    });
}
