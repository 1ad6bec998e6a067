import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkablePath, checkMarkdown, expandBraces, githubSlug, headingAnchors } from './doc-references';

const REPO = join(__dirname, '..', '..');
/** The docs folder and the READMEs: every relative link, #anchor and backquoted repository path in them resolves. */
const DOCS = [...readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`), 'README.md', 'fleets/README.md', 'loadtest/local/README.md'];

describe('docs point at what exists', () => {
  it.each(DOCS)('%s: links, anchors and backquoted paths resolve', (file) => {
    expect(checkMarkdown(REPO, file)).toEqual([]);
  });

  it('docs/architecture.md names every folder of lib/ and loadtest/', () => {
    const architecture = checkMarkdown(REPO, 'docs/architecture.md');
    expect(architecture).toEqual([]);
    const text = readFileSync(join(REPO, 'docs/architecture.md'), 'utf8');
    const folders = ['lib', 'loadtest'].flatMap((top) =>
      readdirSync(join(REPO, top), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => `${top}/${e.name}`),
    );
    expect(folders.filter((folder) => !text.includes(`\`${folder}`))).toEqual([]);
  });
});

describe('the checks catch what they guard against', () => {
  it('slugs headings as GitHub does (backquotes and punctuation dropped, spaces as hyphens)', () => {
    expect(githubSlug('Adaptive search (`--concurrency auto`)')).toBe('adaptive-search---concurrency-auto');
    expect(githubSlug('To change X, edit Y')).toBe('to-change-x-edit-y');
    expect(githubSlug('Repeats and confidence intervals')).toBe('repeats-and-confidence-intervals');
    expect([...headingAnchors('# A\n## B\n```\n# not a heading\n```\n## B\n')]).toEqual(['a', 'b', 'b-1']);
  });

  it('expands comma braces and checks the folder before a placeholder', () => {
    expect(expandBraces('lib/results/{pool-runs,level-window}.ts')).toEqual(['lib/results/pool-runs.ts', 'lib/results/level-window.ts']);
    expect(expandBraces('runs/{deployment}/x')).toEqual(['runs/{deployment}/x']);
    expect(checkablePath('loadtest/pipeline/layout.ts:24')).toBe('loadtest/pipeline/layout.ts');
    expect(checkablePath('lib/results/records.ts#L10-L20')).toBe('lib/results/records.ts');
    expect(checkablePath('loadtest/telemetry/**')).toBe('loadtest/telemetry');
    expect(checkablePath('loadtest/handlers/scenario-*.ts')).toBe('loadtest/handlers');
    expect(checkablePath('loadtest/sweep/rules/')).toBe('loadtest/sweep/rules');
  });

  it('reports a missing file, a missing anchor and a missing backquoted path, naming file and line', () => {
    const repo = mkdtempSync(join(tmpdir(), 'doc-refs-'));
    mkdirSync(join(repo, 'docs'));
    mkdirSync(join(repo, 'lib'));
    writeFileSync(join(repo, 'lib', 'here.ts'), '');
    writeFileSync(join(repo, 'docs', 'other.md'), '# Other\n## Known part\n');
    writeFileSync(
      join(repo, 'docs', 'a.md'),
      [
        '# A',
        'See [other](other.md#known-part), [top](#a), [web](https://example.com/x.md) and `lib/here.ts`.',
        'Broken: [gone](gone.md), [anchor](other.md#unknown), [self](#nowhere), `lib/{here,gone}.ts`.',
        'Not ours: `docs/source/messages_api.md`@v1.4.0, `records/c-{N}.json`.',
        '```',
        'fenced: [x](nothing.md) `lib/nothing.ts`',
        '```',
      ].join('\n'),
    );
    expect(checkMarkdown(repo, 'docs/a.md')).toEqual([
      'docs/a.md:3: link gone.md → docs/gone.md does not exist',
      'docs/a.md:3: link other.md#unknown: no heading with anchor #unknown in docs/other.md',
      'docs/a.md:3: link #nowhere: no heading with anchor #nowhere in docs/a.md',
      'docs/a.md:3: `lib/{here,gone}.ts`: lib/gone.ts does not exist',
    ]);
  });
});
