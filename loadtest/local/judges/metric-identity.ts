/**
 * Metric identity judge: CloudWatch identifies a metric by namespace, name and its full set of
 * dimensions; a query for a subset of the emitted dimensions finds nothing
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension:
 * "CloudWatch treats each unique combination of dimensions as a separate metric"). This judge
 * lists the series EMF lines create (Embedded Metric Format:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html)
 * and the metrics each alarm and dashboard widget of a template queries, and finds the queries no
 * emitted series answers.
 */

export interface MetricSeries {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension name → value, the full set. */
  readonly dimensions: Readonly<Record<string, string>>;
}

export interface MetricQuery extends MetricSeries {
  /** Where the query is: `alarm <logical id>` or `dashboard <logical id> widget "<title>"`. */
  readonly source: string;
}

/** Canonical text of a series: namespace, name and sorted dimensions. */
export function seriesKey(series: MetricSeries): string {
  const dims = Object.keys(series.dimensions)
    .sort()
    .map((name) => `${name}=${series.dimensions[name]}`)
    .join(',');
  return `${series.namespace}/${series.metricName}{${dims}}`;
}

interface EmfDirective {
  readonly Namespace: string;
  readonly Dimensions: readonly (readonly string[])[];
  readonly Metrics: readonly { readonly Name: string }[];
}

/** Series an EMF document creates: each metric × each dimension set of each directive. */
export function emfSeries(document: unknown): MetricSeries[] {
  if (document === null || typeof document !== 'object') throw new Error('EMF: document is not an object');
  const doc = document as Record<string, unknown>;
  const aws = doc._aws as { CloudWatchMetrics?: readonly EmfDirective[] } | undefined;
  if (aws?.CloudWatchMetrics === undefined) throw new Error('EMF: no _aws.CloudWatchMetrics');
  const out: MetricSeries[] = [];
  for (const directive of aws.CloudWatchMetrics) {
    for (const set of directive.Dimensions) {
      const dimensions: Record<string, string> = {};
      for (const name of set) {
        const value = doc[name];
        if (typeof value !== 'string') throw new Error(`EMF: dimension ${name} has no string value at the root`);
        dimensions[name] = value;
      }
      for (const metric of directive.Metrics) out.push({ namespace: directive.Namespace, metricName: metric.Name, dimensions });
    }
  }
  return out;
}

/** Series of EMF JSON lines. */
export function emfSeriesOfLines(text: string): MetricSeries[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => emfSeries(JSON.parse(line) as unknown));
}

interface TemplateLike {
  readonly Resources: Readonly<Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>>;
}

function dimensionsOf(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of Array.isArray(list) ? (list as { Name?: unknown; Value?: unknown }[]) : []) {
    if (typeof d.Name === 'string') out[d.Name] = String(d.Value);
  }
  return out;
}

/** Metrics an AWS::CloudWatch::Alarm queries: its single metric, or each MetricStat of `Metrics`. */
function alarmQueries(id: string, props: Record<string, unknown>): MetricQuery[] {
  const source = `alarm ${id}`;
  if (typeof props.MetricName === 'string') {
    return [{ source, namespace: String(props.Namespace), metricName: props.MetricName, dimensions: dimensionsOf(props.Dimensions) }];
  }
  const metrics = Array.isArray(props.Metrics) ? (props.Metrics as { MetricStat?: { Metric?: Record<string, unknown> } }[]) : [];
  return metrics.flatMap((m) => {
    const metric = m.MetricStat?.Metric;
    return metric === undefined ? [] : [{ source, namespace: String(metric.Namespace), metricName: String(metric.MetricName), dimensions: dimensionsOf(metric.Dimensions) }];
  });
}

/**
 * Metrics of a dashboard body's metric widgets. Each entry is `[Namespace, MetricName, dim, value, …, {options}]`;
 * `"..."` or `"."` repeat the previous entry's fields
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html#CloudWatch-Dashboard-Properties-Metrics-Array-Format).
 */
export function dashboardQueries(id: string, body: unknown): MetricQuery[] {
  const widgets = (body as { widgets?: { type?: string; properties?: { title?: string; metrics?: unknown[][] } }[] }).widgets ?? [];
  const out: MetricQuery[] = [];
  for (const widget of widgets) {
    if (widget.type !== 'metric') continue;
    let previous: string[] = [];
    for (const entry of widget.properties?.metrics ?? []) {
      const fields = entry.filter((f): f is string => typeof f === 'string');
      if (fields.length === 0) continue; // a math expression: no metric of its own
      let expanded: string[];
      if (fields[0] === '...') expanded = [...previous.slice(0, previous.length - (fields.length - 1)), ...fields.slice(1)];
      else expanded = fields.map((f, i) => (f === '.' ? (previous[i] as string) : f));
      previous = expanded;
      const [namespace, metricName, ...pairs] = expanded;
      const dimensions: Record<string, string> = {};
      for (let i = 0; i + 1 < pairs.length; i += 2) dimensions[pairs[i] as string] = pairs[i + 1] as string;
      out.push({ source: `dashboard ${id} widget "${widget.properties?.title ?? ''}"`, namespace: namespace as string, metricName: metricName as string, dimensions });
    }
  }
  return out;
}

/**
 * Every metric the template's alarms and dashboards query. `resolve` turns a dashboard's
 * DashboardBody (an Fn::Join with Ref AWS::Region) into its JSON text.
 */
export function templateMetricQueries(template: TemplateLike, resolve: (value: unknown) => string): MetricQuery[] {
  const out: MetricQuery[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::CloudWatch::Alarm') out.push(...alarmQueries(id, props));
    if (resource.Type === 'AWS::CloudWatch::Dashboard') out.push(...dashboardQueries(id, JSON.parse(resolve(props.DashboardBody)) as unknown));
  }
  return out;
}

export interface MetricMismatch {
  readonly query: MetricQuery;
  /** Emitted series with the same namespace and name (their dimension sets differ). */
  readonly sameName: readonly MetricSeries[];
}

/** Queries no emitted series answers exactly. */
export function unansweredQueries(queries: readonly MetricQuery[], emitted: readonly MetricSeries[]): MetricMismatch[] {
  const keys = new Set(emitted.map(seriesKey));
  return queries
    .filter((q) => !keys.has(seriesKey(q)))
    .map((query) => ({ query, sameName: emitted.filter((s) => s.namespace === query.namespace && s.metricName === query.metricName) }));
}

/** One line per mismatch, naming the query and what was emitted instead. */
export function formatMismatches(mismatches: readonly MetricMismatch[]): string {
  return mismatches
    .map((m) => `${m.query.source} queries ${seriesKey(m.query)}; emitted: ${m.sameName.length === 0 ? 'no series of that name' : [...new Set(m.sameName.map(seriesKey))].slice(0, 3).join(' | ')}`)
    .join('\n');
}
