import { recommend, type Recommendation } from '../../lib/results/recommend';
import { isFeasible } from '../../lib/results/summarize-sweep';
import { formatStopReason } from '../../lib/results/stop-reason';
import { ERROR_KINDS, type ErrorKind, type LevelResult, type SweepResult } from '../../lib/results/records';
import { isStale, priceAgeDays, STALE_AFTER_DAYS } from '../../lib/catalog';
import { formatMeasure, formatUsd, MISSING } from './format';
import { formatInterval, levelLabel } from './level-cells';
import { gpuUtilizationTable, serverLevelTable } from './server-tables';
import type { ReportTable } from './report-table';

export type { ReportTable } from './report-table';

/** The content of a report: banners first, then tables in reading order. */
export interface ReportModel {
  readonly title: string;
  /** Partial-report and early-stop notices. */
  readonly banners: readonly string[];
  readonly tables: readonly ReportTable[];
  readonly recommendations: readonly Recommendation[];
}

export interface ReportOptions {
  /** Latency bound for recommendations, p50 ms per output token. @default 100 */
  readonly latencyBoundMsPerToken?: number;
  /** SLO attainment a level must reach for '$ per 1M tokens at SLO'. @default the sweeps' own (minCostAtSlo), else 0.9 */
  readonly minSloAttainment?: number;
  /** Date prices are aged against. @default now */
  readonly now?: Date;
}

const DEFAULT_LATENCY_BOUND_MS_PER_TOKEN = 100;

function concurrencyColumns(sweeps: readonly SweepResult[]): number[] {
  const all = new Set<number>();
  for (const s of sweeps) for (const l of s.levels) all.add(l.concurrency);
  return [...all].sort((a, b) => a - b);
}

function banners(sweeps: readonly SweepResult[]): string[] {
  const out: string[] = [];
  for (const s of sweeps) {
    if (s.failure) out.push(`Partial report: sweep '${s.label}' failed at ${s.failure.step}: ${s.failure.message}`);
    if (s.stopReason !== undefined && s.stopReason.rule !== 'completed') out.push(`Sweep '${s.label}' stopped early: ${formatStopReason(s.stopReason)}`);
  }
  return out;
}

function configurationTable(sweeps: readonly SweepResult[]): ReportTable {
  return {
    id: 'configurations',
    title: 'Configurations',
    headers: ['Configuration', 'Target', 'Model', 'Instance', 'TP', 'Copies', 'Instances', 'Input tokens', 'Output tokens', 'Speedup', 'Started'],
    rows: sweeps.map((s) => [
      s.label,
      `${s.target.kind} ${s.target.address}${s.target.inferenceComponent ? ` (${s.target.inferenceComponent})` : ''}`,
      s.deployment?.model ?? MISSING,
      s.deployment?.instanceType ?? MISSING,
      String(s.deployment?.tp ?? MISSING),
      String(s.deployment?.copies ?? MISSING),
      String(s.deployment?.instances ?? MISSING),
      String(s.payload.inputTokens),
      String(s.payload.outputTokens),
      s.target.speedup !== undefined && s.target.speedup !== 1 ? `${s.target.speedup}×` : MISSING,
      s.startedAt,
    ]),
  };
}

/** Marks a curve cell whose level is not feasible (timeouts, or errors above the allowance). */
export const INFEASIBLE_MARK = '*';

/** Rows = configuration, columns = concurrency, like the published study; infeasible levels marked. */
function curveTable(sweeps: readonly SweepResult[], id: string, title: string, measure: (level: LevelResult) => number): ReportTable {
  const columns = concurrencyColumns(sweeps);
  const cellAt = (s: SweepResult, c: number): string => {
    const level = levelAt(s, c);
    if (level === undefined) return MISSING;
    return `${formatMeasure(measure(level))}${isFeasible(level) ? '' : INFEASIBLE_MARK}`;
  };
  const rows = sweeps.map((s) => [s.label, ...columns.map((c) => cellAt(s, c))]);
  const marked = rows.some((row) => row.some((cell) => cell.endsWith(INFEASIBLE_MARK)));
  return {
    id,
    title,
    ...(marked ? { caption: `Cells marked ${INFEASIBLE_MARK} are not feasible levels (timeouts, or errors above the 1 % allowance); — means no request succeeded or the level was not run.` } : {}),
    headers: ['Configuration', ...columns.map(String)],
    rows,
  };
}

function levelAt(s: SweepResult, c: number) {
  const level = s.levels.find((l) => l.concurrency === c);
  return level && level.ok > 0 ? level : undefined;
}

function summaryTable(sweeps: readonly SweepResult[]): ReportTable {
  // Sweeps judged on SLOs add their goodput figures (lib/results/slo-figures.ts).
  const slo = sweeps.some((s) => s.levels.some((l) => l.goodput !== undefined));
  const headers = ['Configuration', 'Max throughput (tokens/s)', 'at c', 'Min latency (ms/token)', 'at c', 'Max feasible c', 'Knee c', 'Knee rule', 'Cost (USD/h)', 'USD per 1M tokens'];
  if (slo) headers.push('Max goodput (tokens/s)', 'at', 'USD per 1M tokens at SLO', 'at');
  headers.push('Level-seconds', 'Instance-seconds', 'Stop reason');
  return {
    id: 'summary',
    title: 'Summary',
    caption:
      'Level-seconds: endpoint time of the levels (warm-up, window and drain of every repeat); instance-seconds: that × the instances.' +
      (slo ? ' Goodput counts the output tokens of requests meeting every SLO; USD per 1M tokens at SLO is the cheapest level whose attainment meets the target, costed on goodput tokens.' : ''),
    headers,
    rows: sweeps.map((s) => [
      s.label,
      formatMeasure(s.maxThroughput?.tokensPerS),
      String(s.maxThroughput?.concurrency ?? MISSING),
      formatMeasure(s.minLatency?.msPerToken),
      String(s.minLatency?.concurrency ?? MISSING),
      String(s.maxFeasibleConcurrency ?? MISSING),
      String(s.knee?.concurrency ?? MISSING),
      s.knee ? `${s.knee.rule}${s.knee.detail ? ` (${s.knee.detail})` : ''}` : MISSING,
      formatUsd(s.cost?.hourlyUsd ?? s.deployment?.hourlyUsd),
      formatUsd(s.cost?.usdPerMillionTokensAtMaxThroughput),
      ...(slo
        ? [
            formatMeasure(s.maxGoodput?.tokensPerS),
            levelLabel(s, s.maxGoodput?.concurrency),
            formatUsd(s.minCostAtSlo?.usdPerMillionTokens),
            s.minCostAtSlo !== undefined ? `${levelLabel(s, s.minCostAtSlo.concurrency)} (≥ ${formatMeasure(s.minCostAtSlo.minAttainment * 100)} %)` : MISSING,
          ]
        : []),
      formatMeasure(s.cost?.levelSeconds),
      formatMeasure(s.cost?.instanceSeconds),
      s.failure ? `failed: ${s.failure.step}` : (s.stopReason?.rule ?? MISSING),
    ]),
  };
}

/** Where each sweep's price came from: region, source, date and age, discount (every report states it). */
function priceTable(sweeps: readonly SweepResult[], now: Date): ReportTable {
  return {
    id: 'prices',
    title: 'Prices',
    caption: `On-demand SageMaker hosting price of one instance; ages above ${STALE_AFTER_DAYS} days are flagged stale (refresh with llm-bench prices --refresh).`,
    headers: ['Configuration', 'Region', 'USD/h per instance', 'Discount', 'Source', 'As of', 'Verified'],
    rows: sweeps.map((s) => {
      const p = s.deployment?.price;
      if (p === undefined) {
        const given = s.deployment?.hourlyUsd !== undefined ? 'given by hand (--hourly-usd) or not recorded' : 'no price';
        return [s.label, MISSING, MISSING, MISSING, given, MISSING, MISSING];
      }
      const origin = p.origin === 'override' ? '--price override' : p.origin === 'price-list' ? `AWS Price List API${p.note ? ` (${p.note})` : ''}` : `shipped table: ${p.source}${p.note ? ` (${p.note})` : ''}`;
      const age = p.asOf !== undefined ? `${p.asOf} (${priceAgeDays(p.asOf, now)} d${isStale(p, now) ? ', stale' : ''})` : MISSING;
      return [s.label, p.region, formatUsd(p.listUsd), p.discount > 0 ? `${Math.round(p.discount * 100)} %` : MISSING, origin, age, p.verified ? 'yes' : `no${p.derivedFrom ? `: ${p.derivedFrom}` : ''}`];
    }),
  };
}

function kneeTable(sweeps: readonly SweepResult[]): ReportTable {
  const rules = ['slo-attainment', 'latency-bound', 'marginal-gain', 'half-latency', 'predicted'] as const;
  const used = rules.filter((r) => sweeps.some((s) => s.knees?.some((k) => k.rule === r)));
  return {
    id: 'knees',
    title: 'Knee by rule (concurrency)',
    caption: 'slo-attainment: highest c whose share of requests meeting every SLO reaches the target (levels judged on SLOs); latency-bound: highest c with p50 ms/token under the bound; marginal-gain: last c before Δtokens/s per Δms/token falls below a fraction (default 10 %) of the first rising step; half-latency: highest c whose p50 ms/token is at most twice the best.',
    headers: ['Configuration', ...used],
    rows: sweeps.map((s) => [s.label, ...used.map((r) => String(s.knees?.find((k) => k.rule === r)?.concurrency ?? MISSING))]),
  };
}

/** Per-level figures of one sweep beyond the curve: rates, latency percentiles, streaming timings. */
function levelDetailTable(s: SweepResult, index: number): ReportTable {
  const streamed = s.levels.some((l) => l.ttftMs !== undefined);
  const open = s.levels.some((l) => l.offeredRatePerS !== undefined);
  const judged = s.levels.some((l) => l.goodput !== undefined);
  const verdicts = s.levels.some((l) => l.client !== undefined);
  const twins = s.levels.some((l) => l.twin !== undefined);
  const repeated = s.levels.some((l) => l.repeats !== undefined && l.repeats.n > 1);
  const repeatedTtft = s.levels.some((l) => l.repeats?.ttftMsP50 !== undefined);
  const headers = [open ? 'Offered req/s' : 'c'];
  if (open) headers.push('Achieved req/s');
  headers.push('Requests', 'OK', 'Requests/s', 'Tokens/s', 'ms/token mean', 'p50', 'p90', 'p99', 'e2e ms p50', 'e2e ms p99');
  if (streamed) headers.push('TTFT ms p50', 'TTFT ms p99', 'ITL ms p50', 'ITL ms p99', 'TPOT ms p50');
  if (judged) headers.push('SLO attainment %', 'Goodput tokens/s');
  if (repeated) headers.push('Repeats', 'Tokens/s 95 % CI', 'ms/token p50 95 % CI');
  if (repeatedTtft) headers.push('TTFT ms p50 95 % CI');
  headers.push('Client queue ms p99', 'Duration s', 'Level s');
  if (verdicts) headers.push('Client');
  if (twins) headers.push('Twin');
  const captions = [
    ...(repeated ? ['A 95 % CI is mean ± t(0.975, n − 1) × s / √n over the repeats; Level s is what the level cost on the endpoint (warm-up, window and drain of every repeat).'] : []),
    ...(twins ? ["Twin: whether the local twin kept up with its virtual time (its lag p99, endpoint ms); a LAGGING level's latencies carry the twin's own lag."] : []),
  ];
  return {
    id: `levels-${index + 1}`,
    title: `Levels: ${s.label}`,
    ...(captions.length > 0 ? { caption: captions.join(' ') } : {}),
    headers,
    rows: [...s.levels]
      .sort((a, b) => a.concurrency - b.concurrency)
      .map((l) => {
        const ok = l.ok > 0;
        const m = (v: number | undefined): string => (ok ? formatMeasure(v) : MISSING);
        const row = open ? [l.offeredRatePerS !== undefined ? String(l.offeredRatePerS) : MISSING, formatMeasure(l.achievedRatePerS)] : [String(l.concurrency)];
        row.push(String(l.requests), String(l.ok), formatMeasure(l.requestsPerS), formatMeasure(l.throughputTokensPerS));
        row.push(m(l.latencyMsPerToken.mean), m(l.latencyMsPerToken.p50), m(l.latencyMsPerToken.p90), m(l.latencyMsPerToken.p99), m(l.e2eMs.p50), m(l.e2eMs.p99));
        if (streamed) row.push(m(l.ttftMs?.p50), m(l.ttftMs?.p99), m(l.itlMs?.p50), m(l.itlMs?.p99), m(l.tpotMs?.p50));
        if (judged) row.push(l.goodput !== undefined ? formatMeasure(l.goodput.attainment * 100) : MISSING, l.goodput !== undefined ? formatMeasure(l.goodput.tokensPerS) : MISSING);
        if (repeated) row.push(String(l.repeats?.n ?? 1), formatInterval(l.repeats?.throughputTokensPerS), formatInterval(l.repeats?.msPerTokenP50));
        if (repeatedTtft) row.push(formatInterval(l.repeats?.ttftMsP50));
        row.push(formatMeasure(l.clientQueueMs?.p99), formatMeasure(l.durationS), formatMeasure(l.levelSeconds));
        // A client-bound level says nothing about the server: flagged with what crossed its threshold.
        if (verdicts) row.push(l.client === undefined ? MISSING : l.client.verdict === 'ok' ? 'ok' : `CLIENT-BOUND (${(l.client.reasons ?? []).join('; ')})`);
        // So is a level whose twin lagged behind its own virtual time.
        if (twins) row.push(l.twin === undefined ? MISSING : l.twin.verdict === 'ok' ? `ok (${formatMeasure(l.twin.lagMsP99)} ms)` : `LAGGING (${l.twin.reason ?? ''})`);
        return row;
      }),
  };
}

function recommendationTable(recs: readonly Recommendation[], bound: number): ReportTable {
  return {
    id: 'recommendations',
    title: 'Recommendations',
    caption:
      `Latency bound: p50 ms/token < ${bound}. Only feasible levels (no timeouts, error rate within the allowance) compete.` +
      (recs.some((r) => r.goal === 'max-goodput') ? ' Goodput goals take levels judged on SLOs whose client kept up.' : ''),
    headers: ['Goal', 'Configuration', 'Concurrency', 'Value', 'Why'],
    rows: recs.map((r) => [
      r.goal,
      r.label,
      r.offeredRatePerS !== undefined ? `${r.offeredRatePerS} req/s` : String(r.concurrency),
      `${r.unit.startsWith('USD') ? formatUsd(r.value) : formatMeasure(r.value)} ${r.unit}`,
      r.why,
    ]),
  };
}

function errorTable(sweeps: readonly SweepResult[]): ReportTable {
  const seen = ERROR_KINDS.filter((k) => sweeps.some((s) => s.levels.some((l) => (l.errors[k] ?? 0) > 0)));
  const rows = sweeps.flatMap((s) =>
    s.levels
      .filter((l) => l.ok < l.requests || l.retries > 0)
      .map((l) => [s.label, String(l.concurrency), String(l.requests), String(l.ok), ...seen.map((k: ErrorKind) => String(l.errors[k] ?? 0)), String(l.retries)]),
  );
  return {
    id: 'errors',
    title: 'Errors by kind',
    ...(rows.length === 0 ? { caption: 'No request failed and none was retried.' } : {}),
    headers: ['Configuration', 'c', 'Requests', 'OK', ...seen, 'Retries'],
    rows,
  };
}

/** True for a column whose cells are all numbers (or missing): renderers right-align it. */
export function isNumericColumn(table: ReportTable, index: number): boolean {
  const cells = table.rows.map((row) => row[index]).filter((cell) => cell !== MISSING);
  return cells.length > 0 && cells.every((cell) => /^-?[\d.]+(×|\*| [A-Za-z/0-9. ]+)?$/.test(cell));
}

/** Everything a report shows, as preformatted tables; Markdown and HTML render this same model. */
export function buildReportModel(sweeps: readonly SweepResult[], opts: ReportOptions = {}): ReportModel {
  const bound = opts.latencyBoundMsPerToken ?? DEFAULT_LATENCY_BOUND_MS_PER_TOKEN;
  const minSloAttainment = opts.minSloAttainment ?? sweeps.find((s) => s.minCostAtSlo !== undefined)?.minCostAtSlo?.minAttainment;
  const recommendations = recommend(sweeps, { latencyBoundMsPerToken: bound, ...(minSloAttainment !== undefined ? { minSloAttainment } : {}) });
  return {
    title: sweeps.length === 1 ? `LLM endpoint benchmark: ${sweeps[0].label}` : `LLM endpoint benchmark: ${sweeps.length} configurations`,
    banners: banners(sweeps),
    tables: [
      configurationTable(sweeps),
      curveTable(sweeps, 'throughput', 'Throughput (output tokens/s, whole endpoint)', (l) => l.throughputTokensPerS),
      ...gpuUtilizationTable(sweeps),
      curveTable(sweeps, 'latency', 'Latency (ms per output token, p50)', (l) => l.latencyMsPerToken.p50),
      summaryTable(sweeps),
      priceTable(sweeps, opts.now ?? new Date()),
      kneeTable(sweeps),
      recommendationTable(recommendations, bound),
      errorTable(sweeps),
      ...sweeps.map(levelDetailTable),
      ...sweeps.flatMap(serverLevelTable),
    ],
    recommendations,
  };
}
