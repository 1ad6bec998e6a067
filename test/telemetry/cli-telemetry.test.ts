import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { UserInputError } from '../../lib/errors';
import { runSweepCommand, type SweepFlags } from '../../loadtest/cli/sweep-command';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import { OVERHEAD_LATENCY_MS } from '../../loadtest/local/cloudwatch';
import { parseTelemetryMode } from '../../loadtest/telemetry';

function sink(): Writable & { text: string } {
  const s = new Writable({
    write(chunk: Buffer, _e, done) {
      s.text += chunk.toString();
      done();
    },
  }) as Writable & { text: string };
  s.text = '';
  return s;
}

const FLAGS = { speedup: '60', inputTokens: '64', outputTokens: '64', timeout: '60', retries: '0', maxConcurrency: '256', maxErrorRate: '0.01', concurrency: '1,4', duration: '120', warmup: '1', instance: 'ml.g5.2xlarge' };

/** `llm-bench sweep --target sagemaker:NAME --endpoint-url URL`: the real CloudWatch client reads the twin's GetMetricData per level. */
describe('llm-bench sweep: CloudWatch telemetry per level', () => {
  let endpoint: LocalEndpoint;
  let out: string;
  beforeAll(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: 60, endpointName: 'llama-telemetry' });
  });
  afterAll(() => endpoint.close());
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), 'sweep-telemetry-'))));
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('joins GPU utilization, model and overhead latency to every level; the report and the console show them', async () => {
    const stderr = sink();
    const flags: SweepFlags = { ...FLAGS, target: `sagemaker:${endpoint.endpointName}`, endpointUrl: endpoint.url, out };
    const sweep = await runSweepCommand(flags, { stdout: sink(), stderr });
    expect(sweep.levels.map((l) => l.concurrency)).toEqual([1, 4]);
    for (const level of sweep.levels) {
      expect(level.server?.gpuUtilizationPct).toBeGreaterThan(0);
      expect(level.server?.gpuUtilizationPct).toBeLessThanOrEqual(100);
      expect(level.server?.modelLatencyMs?.mean).toBeGreaterThan(0);
      expect(level.server?.modelLatencyMs?.mean).toBeLessThanOrEqual(level.e2eMs.mean * 1.01);
      expect(level.server?.overheadLatencyMs?.mean).toBe(OVERHEAD_LATENCY_MS);
      // The window read is the level's, mapped onto the twin's 60× clock (GET /info).
      expect(((level.server?.window.endMs ?? 0) - (level.server?.window.startMs ?? 0)) / 1000).toBeCloseTo(level.durationS, 0);
      expect(level.server?.invocation5xxErrors).toBe(0);
    }
    expect(JSON.parse(readFileSync(join(out, 'levels', 'c-4.json'), 'utf8'))).toHaveProperty('server.gpuUtilizationPct');
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('GPU utilization (% of each GPU, CloudWatch)');
    expect(report).toMatch(/\| c +\| Tokens\/s +\| GPU util % +\|/);
    expect(report).toContain('overhead ms');
    expect(stderr.text).toMatch(/c=4: .* GPU \d+ %/);
  });

  it('--telemetry off reads nothing; other values are refused naming the flag', async () => {
    const flags: SweepFlags = { ...FLAGS, concurrency: '1', duration: '30', target: `sagemaker:${endpoint.endpointName}`, endpointUrl: endpoint.url, out, telemetry: 'off' };
    const sweep = await runSweepCommand(flags, { stdout: sink(), stderr: sink() });
    expect(sweep.levels[0]?.server).toBeUndefined();
    expect(() => parseTelemetryMode('maybe')).toThrow(UserInputError);
    expect(() => parseTelemetryMode('maybe')).toThrow("--telemetry: must be 'on' or 'off', got 'maybe'");
  });
});
