import { canonicalJson, identityDifferences, identityHash, TOOL_VERSION, type RunIdentity } from '../../loadtest/pipeline/run-identity';
import { pipelineIdentity } from '../../loadtest/pipeline/run-manifest';
import { sweepIdentity } from '../../loadtest/sweep/sweep-identity';
import { version } from '../../package.json';
import { DEPLOYMENT } from './records-fixture';

const base: RunIdentity = {
  target: { kind: 'tgi', address: 'http://127.0.0.1:8080' },
  payload: { inputTokens: 256, outputTokens: 256 },
  workload: { requests: 6, warmupRequests: 1 },
  levels: { mode: 'list', levels: [1, 2] },
  slos: { maxErrorRate: 0.01 },
  toolVersion: TOOL_VERSION,
};

describe('run identity', () => {
  it('hashes the canonical JSON: key order and undefined fields do not matter, values do', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: undefined, c: 'x' }] })).toBe('{"a":[1,{"c":"x"}],"b":1}');
    const reordered: RunIdentity = { toolVersion: TOOL_VERSION, slos: base.slos, levels: base.levels, workload: base.workload, payload: { outputTokens: 256, inputTokens: 256 }, target: base.target };
    expect(identityHash(reordered)).toBe(identityHash(base));
    expect(identityHash(base)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(identityHash({ ...base, payload: { inputTokens: 257, outputTokens: 256 } })).not.toBe(identityHash(base));
  });

  it('lists each differing field with the stored and requested values, absent fields included', () => {
    const requested: RunIdentity = { ...base, target: { kind: 'sagemaker', address: 'my-ep' }, deployment: { instanceType: 'ml.g5.2xlarge', instances: 1 } };
    expect(identityDifferences(base, requested)).toEqual([
      'deployment.instanceType: (absent) → "ml.g5.2xlarge"',
      'deployment.instances: (absent) → 1',
      'target.address: "http://127.0.0.1:8080" → "my-ep"',
      'target.kind: "tgi" → "sagemaker"',
    ]);
    expect(identityDifferences(base, base)).toEqual([]);
  });

  it('carries the package version as the tool version', () => {
    expect(TOOL_VERSION).toBe(version);
  });

  it('a CLI sweep: labels and prices are not part of it; levels, payload and rules are; -Infinity reads "off"', () => {
    const input = {
      target: { kind: 'tgi' as const, address: 'http://x' },
      payload: { inputTokens: 64, outputTokens: 16 },
      levels: [1, 2],
      requests: 6,
      stopRules: { invocationTimeoutMs: 60_000, maxErrorRate: 0.01, plateauGain: -Infinity },
    };
    const id = sweepIdentity(input);
    expect(id.slos).toEqual({ invocationTimeoutMs: 60_000, maxErrorRate: 0.01, plateauGain: 'off' });
    expect(identityHash(sweepIdentity({ ...input, deployment: { instanceType: 'ml.g5.2xlarge', instances: 1, hourlyUsd: 1 } }))).toBe(
      identityHash(sweepIdentity({ ...input, deployment: { instanceType: 'ml.g5.2xlarge', instances: 1, hourlyUsd: 2 } })),
    );
    expect(identityDifferences(id, sweepIdentity({ ...input, levels: 'auto', maxConcurrency: 64 }))).toEqual([
      'levels.levels: [1,2] → (absent)',
      'levels.maxConcurrency: (absent) → 64',
      'levels.mode: "list" → "auto"',
    ]);
    expect(identityDifferences(id, sweepIdentity({ ...input, warmupRequests: () => 1 }))).toEqual(['workload.warmupRequests: 0 → "one per stream"']);
  });

  it('a pipeline run: the regression threshold and the price are not part of it, the window is', () => {
    const id = pipelineIdentity(DEPLOYMENT, 1);
    expect(identityHash(pipelineIdentity({ ...DEPLOYMENT, hourlyUsd: 99, benchmark: { ...DEPLOYMENT.benchmark, regressionThresholdPct: 50 } }, 1))).toBe(identityHash(id));
    expect(identityDifferences(id, pipelineIdentity({ ...DEPLOYMENT, benchmark: { ...DEPLOYMENT.benchmark, durationS: 7 } }, 30))).toEqual([
      `target.speedup: (absent) → 30`,
      `workload.durationS: ${DEPLOYMENT.benchmark.durationS} → 7`,
    ]);
  });
});
