import type { PredictedLevel } from '../../lib/planner/predict';
import type { ReproducedConfiguration, ReproducedStudy } from './reproduce-study';
import { STUDY_PAYLOADS, type StudyGroup } from './study-configurations';

/**
 * The study's tables: rows = configuration, columns = concurrency; a throughput table then a latency
 * table per group and payload. Cells read `predicted (published)` where the study has a figure;
 * `—` where the level is infeasible (timeouts or errors) or was not reached.
 */

const GROUP_TITLES: Readonly<Record<StudyGroup, string>> = {
  calibration: 'Calibration sweeps (Llama 2 7B; the parameters were fitted on these)',
  'default-tp': 'Study models at their JumpStart default TP',
  'tp-scaling': 'TP degree on ml.p4d.24xlarge (Llama 2 7B and 13B)',
  instances: 'Instances of ml.g5.2xlarge (Llama 2 7B)',
};

const GROUP_ORDER: readonly StudyGroup[] = ['calibration', 'default-tp', 'tp-scaling', 'instances'];

type Measure = 'throughput' | 'latency';

function predictedFigure(level: PredictedLevel | undefined, measure: Measure): string {
  if (level === undefined || !level.feasible) return '—';
  return measure === 'throughput' ? level.throughputTokensPerS.toFixed(0) : level.latencyMsPerToken.toFixed(0);
}

function cell(config: ReproducedConfiguration, index: number, concurrency: number, measure: Measure): string {
  const level = config.prediction?.curve.find((l) => l.concurrency === concurrency);
  const predicted = predictedFigure(level, measure);
  if (config.published === undefined) return predicted;
  const published = (measure === 'throughput' ? config.published.throughput : config.published.latency)[index] ?? null;
  return `${predicted} (${published === null ? '—' : published})`;
}

function summary(config: ReproducedConfiguration, measure: Measure): string[] {
  if (measure === 'latency') return [config.prediction?.knee !== undefined ? `${config.prediction.knee.concurrency} (${config.prediction.knee.rule})` : '—'];
  const max = config.prediction?.maxThroughput;
  const published = config.publishedMaxThroughput !== undefined ? ` (${config.publishedMaxThroughput})` : '';
  return [max !== undefined ? `${max.tokensPerS.toFixed(0)} @ ${max.concurrency}${published}` : `—${published}`, String(config.prediction?.maxFeasibleConcurrency ?? '—')];
}

function table(configs: readonly ReproducedConfiguration[], concurrency: readonly number[], measure: Measure): string[] {
  const extra = measure === 'throughput' ? ['max tok/s', 'max feasible c'] : ['knee c'];
  const header = ['configuration', ...concurrency.map(String), ...extra];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const config of configs) {
    const cells = config.fits ? concurrency.map((c, i) => cell(config, i, c, measure)) : concurrency.map(() => '—');
    const tail = config.fits ? summary(config, measure) : extra.map((_, i) => (i === 0 ? 'does not fit' : '—'));
    lines.push(`| ${[config.label, ...cells, ...tail].join(' | ')} |`);
  }
  return lines;
}

export function renderReproduceMarkdown(study: ReproducedStudy): string {
  const out: string[] = [
    '# Published study, predicted',
    '',
    `Generated ${study.generatedAt} by \`llm-bench reproduce\` from the step-time parameters fitted ${study.calibration.fittedAt} ` +
      `on ${study.calibration.dataFile} (median |error| on that data: throughput ${study.calibration.medianAbsErrorPct?.throughput ?? '?'} %, ` +
      `ms/token ${study.calibration.medianAbsErrorPct?.latency ?? '?'} %). Cells read \`predicted (published)\` where the study has a figure; ` +
      '— marks an infeasible level (a request over the 60 s invocation limit or > 1 % errors) or one past it.',
    '',
    ...study.assumptions.map((a) => `- ${a}`),
  ];
  for (const group of GROUP_ORDER) {
    for (const payload of STUDY_PAYLOADS) {
      const configs = study.configurations.filter((c) => c.groups.includes(group) && c.payload.totalTokens === payload.totalTokens);
      if (configs.length === 0) continue;
      const title = `${GROUP_TITLES[group]} — payload ${payload.totalTokens} tokens (${payload.inputTokens} in + ${payload.outputTokens} out)`;
      out.push('', `## ${title}`, '', '### Throughput (output tokens/s, whole endpoint)', '', ...table(configs, study.concurrency, 'throughput'));
      out.push('', '### Latency (ms per output token, mean)', '', ...table(configs, study.concurrency, 'latency'));
    }
  }
  return `${out.join('\n')}\n`;
}
