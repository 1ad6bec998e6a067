import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getInstanceType, getModel } from '../../lib/catalog';
import { FAMILY_PARAMETERS, defaultStepTimeParams, type StepTimeParams } from '../../lib/planner/calibration/params';
import { parseCalibrationFile, stepTimeParamsOf } from '../../lib/planner/calibration/params-file';
import { predictSweep } from '../../lib/planner/predict';
import { calibrateFrom } from '../../loadtest/cli/calibrate-command';
import { runCli } from '../support/cli';

/**
 * `llm-bench calibrate --from DIR…` on sweeps measured against the local twin (its engine, driven in
 * virtual time so the test stays fast) with known step-time parameters: the fit recovers them.
 */

const shipped = defaultStepTimeParams();

/** Known A10G parameters, each 10–20 % away from the shipped ones (the fit's start). */
const KNOWN: StepTimeParams = {
  ...shipped,
  families: {
    ...shipped.families,
    A10G: {
      ...shipped.families.A10G,
      memoryEfficiency: shipped.families.A10G.memoryEfficiency * 0.88,
      kvEfficiency: shipped.families.A10G.kvEfficiency * 1.15,
      computeEfficiency: shipped.families.A10G.computeEfficiency * 1.2,
      prefillEfficiency: shipped.families.A10G.prefillEfficiency * 0.85,
      stepOverheadMs: shipped.families.A10G.stepOverheadMs * 1.2,
      commEfficiency: shipped.families.A10G.commEfficiency * 0.85,
      collectiveLatencyMs: shipped.families.A10G.collectiveLatencyMs * 1.15,
      perSequenceStepMs: shipped.families.A10G.perSequenceStepMs * 0.85,
    },
  },
};

/**
 * Sweeps that between them expose every A10G effect: weights vs launches (TP 1/4/8, 7B/13B), KV and
 * prefill (long prompts at TP 1 and 4), compute (Falcon's tiny KV cache lets batches of 128 form),
 * interconnect (TP 8 at batch 64, long prompts at TP 4).
 */
const SWEEPS = [
  { model: 'llama-2-7b', instance: 'ml.g5.2xlarge', tp: 1, inputTokens: 256, levels: [1, 8, 32] },
  { model: 'llama-2-7b', instance: 'ml.g5.2xlarge', tp: 1, inputTokens: 3840, levels: [1, 2, 4] },
  { model: 'llama-2-7b', instance: 'ml.g5.12xlarge', tp: 4, inputTokens: 256, levels: [1, 8, 32] },
  { model: 'llama-2-7b', instance: 'ml.g5.12xlarge', tp: 4, inputTokens: 3840, levels: [1, 4] },
  { model: 'llama-2-13b', instance: 'ml.g5.12xlarge', tp: 4, inputTokens: 256, levels: [1] },
  { model: 'llama-2-7b', instance: 'ml.g5.48xlarge', tp: 8, inputTokens: 256, levels: [1, 64] },
  { model: 'falcon-7b', instance: 'ml.g5.2xlarge', tp: 1, inputTokens: 256, levels: [64, 128] },
] as const;

describe('llm-bench calibrate --from', () => {
  const root = mkdtempSync(join(tmpdir(), 'calibrate-'));
  const dirs: string[] = [];

  beforeAll(() => {
    SWEEPS.forEach((s, i) => {
      const sweep = predictSweep({
        model: getModel(s.model),
        instance: getInstanceType(s.instance),
        tp: s.tp,
        inputTokens: s.inputTokens,
        outputTokens: 256,
        concurrency: s.levels,
        stepTimeParams: KNOWN,
      });
      const dir = join(root, `sweep-${i}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'sweep.json'), JSON.stringify(sweep));
      dirs.push(dir);
    });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('recovers known A10G parameters within 5 % from sweeps of the twin, and leaves the other families alone', () => {
    const run = calibrateFrom(dirs, shipped, { now: new Date('2026-01-01T00:00:00Z') });
    const fitted = stepTimeParamsOf(run.file);
    const misses = FAMILY_PARAMETERS.map((key) => ({ key, miss: Math.abs(fitted.families.A10G[key] / KNOWN.families.A10G[key] - 1) }));
    expect(misses.filter((m) => !(m.miss < 0.05))).toEqual([]);
    expect(fitted.families.A100).toEqual(shipped.families.A100);
    expect(run.report.medianAbsErrorPct.throughput).toBeLessThan(1);
    expect(run.file.provenance.fittedAt).toBe('2026-01-01');
  });

  it('writes a params file that plan --params reads', async () => {
    const out = join(root, 'params.json');
    await runCli(['calibrate', '--from', dirs[0], '--out', out]);
    const file = parseCalibrationFile(readFileSync(out, 'utf8'));
    expect(file.provenance.dataFile).toBe(dirs[0]);
    const withFile = JSON.parse(await runCli(['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.2xlarge', '--concurrency', '1', '--json', '--params', out])) as {
      curve: { throughputTokensPerS: number }[];
    };
    const shippedPlan = JSON.parse(await runCli(['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.2xlarge', '--concurrency', '1', '--json'])) as {
      curve: { throughputTokensPerS: number }[];
    };
    expect(withFile.curve[0].throughputTokensPerS).not.toBeCloseTo(shippedPlan.curve[0].throughputTokensPerS, 0);
  });

  it('names the flag when the params file is missing or malformed', async () => {
    await expect(runCli(['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.2xlarge', '--params', join(root, 'nope.json')])).rejects.toThrow(/--params/);
    const bad = join(root, 'bad.json');
    writeFileSync(bad, JSON.stringify({ provenance: {}, families: {}, general: {} }));
    await expect(runCli(['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.2xlarge', '--params', bad])).rejects.toThrow(/--params/);
  });
});
