import { REPORT_FILE_KINDS, REPORT_FILES } from '../../loadtest/report/names';
import { renderReportFiles } from '../../loadtest/report/report-files';
import { renderCsv } from '../../loadtest/report/csv';
import { renderMarkdown } from '../../loadtest/report/markdown';
import { g512Sweep, g5Sweep } from './fixtures';

describe('renderReportFiles', () => {
  it('renders every report file of one sweep; sweep.json holds the sweep itself', async () => {
    const sweep = g5Sweep();
    const files = await renderReportFiles([sweep]);
    expect(Object.keys(files).sort()).toEqual([...REPORT_FILE_KINDS].sort());
    expect(Object.values(REPORT_FILES).sort()).toEqual(['curve.svg', 'report.html', 'report.md', 'sweep.csv', 'sweep.json']);
    expect(JSON.parse(files.json)).toEqual(sweep);
    expect(files.markdown).toBe(renderMarkdown([sweep]));
    expect(files.csv).toBe(renderCsv([sweep]));
    expect(files.svg).toMatch(/^<svg /);
    expect(files.html).toContain(files.svg);
  });

  it('stores several sweeps as an array', async () => {
    const files = await renderReportFiles([g5Sweep(), g512Sweep()]);
    expect((JSON.parse(files.json) as unknown[]).length).toBe(2);
  });

  it('turns a chart failure into a note in curve.svg, report.html and report.md; the tables stay', async () => {
    const sweep = g5Sweep();
    const files = await renderReportFiles([sweep], {
      renderChart: () => Promise.reject(new Error('no canvas <here>')),
    });
    expect(files.svg).toContain('chart unavailable: no canvas &lt;here&gt;');
    expect(files.html).toContain(files.svg.trim());
    expect(files.html).toContain('<table>');
    expect(files.markdown).toBe(`${renderMarkdown([sweep]).trimEnd()}\n\n> chart unavailable: no canvas <here>\n`);
    expect(files.csv).toBe(renderCsv([sweep]));
  });
});
