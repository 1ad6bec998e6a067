import { curveChartSpec, curvePoints } from '../../loadtest/report/chart-spec';
import { renderHtml } from '../../loadtest/report/html';
import { renderSvg } from '../../loadtest/report/svg';
import { g512Sweep, g5Sweep } from './fixtures';

/** Well-formedness check: every element closes in order (no XML parser is a project dependency). */
function unbalancedTags(xml: string): string[] {
  const stack: string[] = [];
  const problems: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (!closing) stack.push(name);
    else if (stack.pop() !== name) problems.push(name);
  }
  return [...problems, ...stack];
}

describe('chart spec', () => {
  it('has one point per measured level with the knee flagged', () => {
    const points = curvePoints([g5Sweep()]);
    expect(points.map((p) => p.concurrency)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(points.filter((p) => p.knee).map((p) => [p.concurrency, p.knee])).toEqual([[32, 'knee (latency-bound)']]);
    expect(points[6]).toMatchObject({ throughputTokensPerS: 486, latencyMsPerToken: 159 });
    expect(JSON.stringify(curveChartSpec([g5Sweep()]))).toContain('"shape":"diamond"');
  });
});

describe('renderSvg and renderHtml', () => {
  let svg = '';
  beforeAll(async () => {
    svg = await renderSvg([g5Sweep(), g512Sweep()]);
  });

  it('renders a standalone SVG document with the concurrency labels, axis titles and knee', () => {
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(unbalancedTags(svg)).toEqual([]);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    for (const c of ['1', '2', '4', '8', '16', '32', '64', '128']) expect(texts).toContain(c);
    expect(texts).toContain('Throughput (output tokens/s)');
    expect(texts).toContain('Latency (ms/token, p50)');
    expect(texts).toContain('knee (latency-bound)');
    expect(svg).toContain('llama-2-7b g5.12xlarge tp4');
  });

  it('embeds the SVG and the tables in a self-contained page', async () => {
    const html = await renderHtml([g5Sweep(), g512Sweep()], { svg });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(svg);
    expect(html).toContain('<style>');
    expect(html).toMatch(/<h2>Throughput[^<]*<\/h2>/);
    expect(html).toContain('<td>llama-2-7b | g5.2xlarge</td><td class="num">30</td><td class="num">54</td>');
    expect(html).toContain('<p class="banner">Sweep &#39;llama-2-7b g5.12xlarge tp4&#39; stopped early: timeout: 2 of 100 requests hit the 60000 ms deadline at c=128</p>');
    // No external assets: no script, stylesheet link or remote image.
    expect(html).not.toMatch(/<script|<link|src="http/);
  });

  it('escapes markup in labels', async () => {
    const html = await renderHtml([g5Sweep({ label: '<b>x</b>' })], { svg: '<svg></svg>' });
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('<b>x</b>');
  });
});
