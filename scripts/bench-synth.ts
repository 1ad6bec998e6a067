/**
 * Times `cdk synth` of a generated 50-deployment fleet (in process, offline).
 * Target: under 20 s. Usage: npm run bench:synth [-- --deployments 50] [--no-bundling]
 * `--no-bundling` skips the pipeline's Lambda bundling (esbuild), as `cdk synth --exclusively` does for
 * other stacks; `--no-validation` skips the second, informational pass with aws-cdk-lib's built-in
 * CloudFormation schema validation. `--check` exits 1 when the headline time is over the target.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { stringify } from 'yaml';
import { getInstanceType, getModel } from '../lib/catalog';
import { impossibleCombinationProblems } from '../lib/endpoint/validation';
import { buildApp } from '../lib/fleet/app';
import { validTpDegrees } from '../lib/planner/deployment-shape';

const TARGET_S = 20;
const MODELS = ['llama-2-7b', 'mistral-7b', 'llama-3-1-8b', 'qwen2-5-7b-instruct', 'llama-2-13b', 'falcon-7b'];
const INSTANCES = ['ml.g5.2xlarge', 'ml.g5.12xlarge', 'ml.g5.48xlarge', 'ml.g6e.xlarge', 'ml.g6e.12xlarge', 'ml.p4d.24xlarge'];

/** Up to `count` valid deployments: every model × instance × valid TP, a third of them inference components. */
function generateDeployments(count: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const modelId of MODELS) {
    const model = getModel(modelId);
    for (const name of INSTANCES) {
      const instance = getInstanceType(name);
      for (const tp of validTpDegrees(model, instance)) {
        const base = { model: modelId, instanceType: name, tp };
        const d = { model, instance, region: 'us-east-1', layout: 'variant' as const, tp, copies: 1, instances: 1, tgi: model.tgiDefaults };
        if (impossibleCombinationProblems(d).length > 0) continue;
        const copies = Math.floor(instance.acceleratorCount / tp);
        out.push(out.length % 3 === 2 && copies > 1 ? { ...base, copies, autoscaling: { maxCopies: copies } } : base);
        if (out.length === count) return out;
      }
    }
  }
  return out;
}

interface SynthMode {
  readonly bundling: boolean;
  readonly validation: boolean;
}

/** One timed synth of the fleet file into its own cloud assembly directory; returns the seconds taken. */
function timeSynth(fleetPath: string, outdir: string, mode: SynthMode, wanted: number): number {
  const started = process.hrtime.bigint();
  const app = new App({
    outdir,
    context: mode.bundling ? {} : { 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: mode.validation,
  });
  const built = buildApp(app, { fleetPath, region: 'us-east-1', account: '123456789012', log: () => undefined });
  const builtAt = process.hrtime.bigint();
  const assembly = app.synth();
  const done = process.hrtime.bigint();
  const s = (a: bigint, b: bigint): number => Number(b - a) / 1e9;
  const label = [mode.bundling ? 'Lambda bundling' : 'no Lambda bundling', mode.validation ? 'CloudFormation validation' : 'no CloudFormation validation'].join(', ');
  console.log(
    `synth of ${built.deployments.length} deployments (${assembly.stacks.length} stacks; ${label}): ` +
      `${s(started, done).toFixed(2)} s (construct ${s(started, builtAt).toFixed(2)} s, synthesize ${s(builtAt, done).toFixed(2)} s)`,
  );
  if (built.deployments.length < wanted) console.log(`note: only ${built.deployments.length} valid combinations were generated`);
  return s(started, done);
}

/**
 * Default: the headline figure is `cdk synth --no-validation` (bundling included), then, for
 * information, aws-cdk-lib's built-in CloudFormation validation on top (a fixed engine start-up of
 * several seconds plus a per-template cost).
 */
function main(): void {
  const flag = process.argv.indexOf('--deployments');
  const count = flag >= 0 ? Number(process.argv[flag + 1]) : 50;
  const bundling = !process.argv.includes('--no-bundling');
  const dir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  try {
    const fleetPath = join(dir, 'fleet.yaml');
    writeFileSync(fleetPath, stringify({ name: 'bench', defaults: { acceptEula: true }, deployments: generateDeployments(count) }));
    const headlineS = timeSynth(fleetPath, join(dir, 'out-1'), { bundling, validation: false }, count);
    const verdict = headlineS < TARGET_S ? 'within' : 'over';
    console.log(`${verdict} the ${TARGET_S} s target (cdk synth --no-validation equivalent)`);
    if (!process.argv.includes('--no-validation')) timeSynth(fleetPath, join(dir, 'out-2'), { bundling, validation: true }, count);
    if (verdict === 'over' && process.argv.includes('--check')) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
