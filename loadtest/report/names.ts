/** The report files of a sweep folder or pipeline run, by kind: the one place their names are written. */
export const REPORT_FILES = {
  json: 'sweep.json',
  markdown: 'report.md',
  html: 'report.html',
  svg: 'curve.svg',
  csv: 'sweep.csv',
} as const;

export type ReportFileKind = keyof typeof REPORT_FILES;

export const REPORT_FILE_KINDS = Object.keys(REPORT_FILES) as readonly ReportFileKind[];

/** Content type of each report file (S3 serves them with it). */
export const REPORT_CONTENT_TYPES: Readonly<Record<ReportFileKind, string>> = {
  json: 'application/json',
  markdown: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  svg: 'image/svg+xml',
  csv: 'text/csv; charset=utf-8',
};
