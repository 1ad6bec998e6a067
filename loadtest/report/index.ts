export { renderMarkdown } from './markdown';
export { renderCsv, CSV_HEADERS } from './csv';
export { renderSvg } from './svg';
export { renderHtml } from './html';
export { curveChartSpec, curvePoints, type CurvePoint } from './chart-spec';
export { buildReportModel, type ReportModel, type ReportOptions, type ReportTable } from './report-model';
export { writeReport, type ReportFiles, type WriteReportOptions } from './write-report';
export { loadSweeps, SWEEP_FILE_NAME } from './load-sweeps';
