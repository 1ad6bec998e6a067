import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

/** `npm start` (bin/start.ts) refuses bad options with one `error: <field>: …` line and exit 1, before any synth. */
const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

interface Run {
  readonly status: number | null;
  readonly stderr: string;
  readonly stdout: string;
}

function start(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(TSX, ['bin/start.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      resolve({ status: error === null ? 0 : typeof code === 'number' ? code : null, stdout, stderr });
    });
  });
}

const CASES: readonly (readonly [readonly string[], string])[] = [
  [['--speedup', 'abc'], "error: --speedup: 'abc' is not a number > 0"],
  [['--speedup', '-1'], "error: --speedup: '-1' is not a number > 0"],
  [['--run-id', '../../etc'], "error: --run-id: '../../etc' is not a valid run id"],
  [['--out', '/etc/passwd/x'], "error: --out: cannot write to results folder '/etc/passwd/x' (ENOTDIR)"],
  [['--bogus'], "error: --bogus: unknown option '--bogus'"],
  [['--scenario', 'ramp', '--deployment', 'x', '--capacity', 'bootS=3'], "error: --capacity: unknown key 'bootS'; allowed keys: containerStartS, downloadGBps, loadToGpuGBps, instanceProvisionS"],
  [['--scenario', 'ramp', '--deployment', 'x', '--capacity', 'downloadGBps=0'], "error: --capacity: downloadGBps must be a number > 0 (GB/s), got '0'"],
  [['--capacity', 'containerStartS=10'], "error: --capacity: sets the autoscaling twin's capacity model: give it with --scenario KIND"],
];

describe('npm start options', () => {
  it('refuses each bad option with one error line naming it, exit 1, no stack trace and no output', async () => {
    // Started together: each is a separate tsx process refused before the fleet is synthesized.
    const runs = await Promise.all(CASES.map(([args]) => start(args)));
    runs.forEach((run, i) => {
      const expected = CASES[i][1];
      expect({ status: run.status, lines: run.stderr.trim().split('\n'), stdout: run.stdout }).toEqual({
        status: 1,
        lines: [expect.stringContaining(expected)],
        stdout: '',
      });
    });
  });
});

describe('npm start --scenario', () => {
  it('refuses a scenario the deployment does not declare, naming what it declares', async () => {
    const run = await start(['--deployment', 'llama-2-7b-g5-2xlarge', '--scenario', 'ramp', '--out', path.join(os.tmpdir(), 'start-cli-scenario')]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual(["error: --scenario: deployment llama-2-7b-g5-2xlarge declares no 'ramp' scenario; allowed: none (add it to benchmark.scenarios in the fleet file)"]);
  });
});
