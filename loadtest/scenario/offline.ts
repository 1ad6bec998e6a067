import { appendFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { publishScenarioMetrics } from '../handlers/metrics';
import type { ScenarioResult } from '../../lib/results/scenario';
import { writeScenarioFiles } from './report';
import { runTwinScenario } from './run-twin-scenario';
import { synthesizeDeploymentScaling } from './scaling-twin';
import { scenarioSpec } from './schedule';

/**
 * `npm start -- --deployment ID --scenario KIND`: the scenario against the deployment's autoscaling
 * twin, with a schedule sized from its synthesized policy: the top of the load asks for half the
 * maximum copies at the policy's target (at least 2), so target tracking has to add capacity.
 */
export interface OfflineScenarioOptions {
  readonly deployment: string;
  readonly kind: string;
  readonly fleetPath: string;
  readonly outDir: string;
  readonly speedup?: number;
  readonly runId?: string;
}

export async function runScenarioOffline(opts: OfflineScenarioOptions): Promise<{ result: ScenarioResult; files: Awaited<ReturnType<typeof writeScenarioFiles>>; emfPath: string }> {
  const { policies } = synthesizeDeploymentScaling(opts.fleetPath, opts.deployment);
  const policy = policies[0];
  const target = policy?.targetTracking?.targetValue ?? 8;
  const copies = Math.max(2, Math.floor((policy?.maxCapacity ?? 4) / 2));
  const to = Math.ceil(target * copies);
  const spec =
    opts.kind === 'spike'
      ? scenarioSpec('spike', { to, idleS: 30, holdS: 420 })
      : opts.kind === 'scale-from-zero'
        ? scenarioSpec('scale-from-zero', { to: Math.ceil(target * 2), idleS: 10, overS: 120, holdS: 240 })
        : scenarioSpec(opts.kind, { from: 1, to, overS: 240, holdS: 300, fallS: 120 });
  const result = await runTwinScenario({ deployment: opts.deployment, fleetPath: opts.fleetPath, spec, speedup: opts.speedup ?? 30 });
  const runId = opts.runId ?? result.startedAt.replace(/[:.]/g, '-');
  const files = await writeScenarioFiles(path.join(opts.outDir, 'scenarios', opts.deployment, `${spec.kind}-${runId}`), result);
  // The EMF document CloudWatch would receive from the pipeline, as the offline sweep keeps its own.
  const emfPath = path.join(opts.outDir, 'metrics', `${opts.deployment}-${spec.kind}-${runId}.emf.jsonl`);
  mkdirSync(path.dirname(emfPath), { recursive: true });
  publishScenarioMetrics(result, opts.deployment, (emf) => appendFileSync(emfPath, `${JSON.stringify(emf)}\n`));
  return { result, files, emfPath };
}
