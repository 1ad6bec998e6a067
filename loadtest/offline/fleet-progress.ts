import type { FleetReport } from '../../lib/results/fleet-summary';
import type { FleetProgress } from './run-fleet';
import { formatStopReason } from '../../lib/results/stop-reason';

/** Where one deployment of a fleet run stands, as its progress line shows it. */
interface DeploymentLine {
  levels: number;
  lastLevel?: string;
  state: 'waiting' | 'running' | 'done' | 'stopped' | 'failed';
  note?: string;
}

/**
 * Progress of a fleet run in the terminal: one line per deployment (levels measured, the last
 * level's figures, how it ended). On a TTY the block of lines is redrawn in place; elsewhere (CI,
 * pipes) each change is printed once, prefixed with the deployment id.
 */
export class FleetProgressView {
  private readonly lines = new Map<string, DeploymentLine>();
  private drawn = 0;
  private width = 0;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly tty: boolean = process.stdout.isTTY === true,
  ) {}

  readonly onProgress = (event: FleetProgress): void => {
    switch (event.kind) {
      case 'fleet':
        this.out.write(`fleet '${event.fleet}': ${event.deployments.length} deployments, run ${event.runId} → ${event.outDir} (synth ${(event.synthMs / 1000).toFixed(1)} s)\n`);
        this.width = Math.max(...event.deployments.map((d) => d.length));
        for (const id of event.deployments) this.lines.set(id, { levels: 0, state: 'waiting' });
        this.redraw();
        return;
      case 'deployment-error':
        this.update(event.deploymentId, (l) => ({ ...l, state: 'failed', note: event.message }));
        return;
      case 'deployment': {
        const e = event.event;
        if (e.kind === 'endpoint') this.update(event.deploymentId, (l) => ({ ...l, state: 'running' }));
        if (e.kind === 'level') {
          const v = e.level;
          const errors = v.requests - v.ok;
          const figures = `c=${v.concurrency}: ${v.throughputTokensPerS.toFixed(0)} tokens/s, ${v.msPerTokenP50.toFixed(1)} ms/token p50${errors > 0 ? `, ${errors} errors` : ''}${v.twin === 'lagging' ? ' [twin lagging]' : ''}`;
          this.update(event.deploymentId, (l) => ({ ...l, levels: l.levels + 1, lastLevel: figures }));
        }
        if (e.kind === 'done') {
          const state = !e.succeeded ? 'failed' : e.stopReason === undefined || e.stopReason.rule === 'completed' ? 'done' : 'stopped';
          const note = e.failure ? `${e.failure.step}: ${e.failure.message}` : e.stopReason ? formatStopReason(e.stopReason) : undefined;
          this.update(event.deploymentId, (l) => ({ ...l, state, ...(note ? { note } : {}) }));
        }
        return;
      }
    }
  };

  private update(id: string, change: (line: DeploymentLine) => DeploymentLine): void {
    const line = this.lines.get(id) ?? { levels: 0, state: 'waiting' };
    const next = change(line);
    this.lines.set(id, next);
    if (this.tty) this.redraw();
    else this.out.write(`${this.format(id, next)}\n`);
  }

  private format(id: string, l: DeploymentLine): string {
    const state = { waiting: 'waiting', running: 'running', done: 'done', stopped: 'stopped', failed: 'FAILED' }[l.state];
    const tail = l.state === 'failed' || l.state === 'stopped' ? (l.note ?? '') : (l.lastLevel ?? '');
    return `  ${id.padEnd(this.width)}  ${state.padEnd(7)}  ${String(l.levels).padStart(2)} levels  ${tail}`;
  }

  private redraw(): void {
    if (!this.tty) return;
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A`);
    const columns = this.out.columns ?? 120;
    for (const [id, line] of this.lines) this.out.write(`\x1b[2K${this.format(id, line).slice(0, columns - 1)}\n`);
    this.drawn = this.lines.size;
  }
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
}

/** The fleet's side-by-side table and its recommendations, as plain text (what `npm start` ends with). */
export function formatFleetTable(report: FleetReport): string {
  const header = ['deployment', 'status', 'max tokens/s', 'min ms/token', 'knee c', 'max feasible c', 'USD/h', 'USD/1M tokens'];
  const fmt = (v: number | undefined, digits = 0): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
  const rows = report.deployments.map((d) => [
    d.id,
    d.status,
    fmt(d.maxThroughput?.tokensPerS),
    fmt(d.minLatency?.msPerToken, 1),
    d.knee ? String(d.knee.concurrency) : '—',
    d.maxFeasibleConcurrency === undefined ? '—' : String(d.maxFeasibleConcurrency),
    fmt(d.hourlyUsd, 2),
    fmt(d.usdPerMillionTokens, 2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const lines = [pad(header, widths), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => pad(r, widths))];
  const failed = report.deployments.filter((d) => d.status === 'failed' || d.status === 'missing');
  for (const d of failed) lines.push(`  ${d.id}: ${d.reason ?? d.status}`);
  lines.push('', 'recommendations:');
  const show: Record<string, (v: number) => string> = {
    'ms/token': (v) => `${v.toFixed(1)} ms/token`,
    'tokens/s': (v) => `${v.toFixed(0)} tokens/s`,
    'USD/1M tokens': (v) => `$${v.toFixed(2)} per 1M tokens`,
    'USD/h': (v) => `$${v.toFixed(2)}/h`,
  };
  for (const r of report.recommendations) lines.push(`  ${r.goal.padEnd(26)} ${r.label} at c=${r.concurrency}: ${show[r.unit](r.value)}`);
  return lines.join('\n');
}
