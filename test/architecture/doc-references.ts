import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * What the Markdown docs point at, checked against the tree: relative links (and their #anchors,
 * against the target's headings as GitHub slugs them) and backquoted repository paths
 * (`lib/results/pool-runs.ts`, `loadtest/sweep/rules`, `lib/results/{exact-sum,slo-figures}.ts`); a
 * backquoted path followed by `@version` is another repository's and is not checked.
 */

/** Top-level folders a backquoted path must start with to be taken as a path in this repository. */
export const REPO_ROOTS = ['lib', 'loadtest', 'test', 'bin', 'scripts', 'fleets', 'docs'] as const;

/** GitHub's anchor of a heading: its text lowercased, punctuation dropped, spaces as hyphens. */
export function githubSlug(heading: string): string {
  return heading
    .trim()
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The file's lines outside fenced code blocks, with their line numbers (1-based). */
function proseLines(text: string): { readonly line: number; readonly text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fenced = false;
  text.split('\n').forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return;
    }
    if (!fenced) out.push({ line: i + 1, text: line });
  });
  return out;
}

/** Anchors of a Markdown file's headings (a repeated heading gets -1, -2, … as on GitHub). */
export function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { text } of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const n = seen.get(slug) ?? 0;
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
    seen.set(slug, n + 1);
  }
  return anchors;
}

/** `a/{b,c}.ts` → a/b.ts, a/c.ts (comma lists only; `{N}` placeholders stay). */
export function expandBraces(path: string): string[] {
  const m = /\{([^{}]*,[^{}]*)\}/.exec(path);
  if (m === null) return [path];
  return m[1].split(',').flatMap((alt) => expandBraces(path.slice(0, m.index) + alt.trim() + path.slice(m.index + m[0].length)));
}

/**
 * The part of a backquoted path that must exist: up to a trailing `:line`, `#L…` or `@version`, and
 * up to the folder before any placeholder or wildcard (`{runId}`, `<deployment>`, `*`, `…`, `[.gz]`).
 */
export function checkablePath(path: string): string {
  const bare = path.replace(/(?::\d+(?:-\d+)?|#L?\d.*|@[\w.-]+)$/, '');
  const wild = bare.search(/[{}<>*…[\]?]|\.\.\./);
  if (wild < 0) return bare.replace(/\/$/, '');
  const prefix = bare.slice(0, wild);
  return prefix.slice(0, prefix.lastIndexOf('/') + 1).replace(/\/$/, '');
}

/** Problems of one Markdown file (`file` relative to `repo`): each names the file, line and reference. */
export function checkMarkdown(repo: string, file: string): string[] {
  const problems: string[] = [];
  const text = readFileSync(join(repo, file), 'utf8');
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (target: string): Set<string> => {
    let known = anchorsOf.get(target);
    if (known === undefined) {
      known = headingAnchors(readFileSync(join(repo, target), 'utf8'));
      anchorsOf.set(target, known);
    }
    return known;
  };
  for (const { line, text: prose } of proseLines(text)) {
    const outsideCode = prose.replace(/`[^`]*`/g, '``');
    for (const link of outsideCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = link[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
      const resolved = pathPart === '' ? file : relative(repo, join(repo, dirname(file), decodeURIComponent(pathPart)));
      if (resolved.startsWith('..') || !existsSync(join(repo, resolved))) {
        problems.push(`${file}:${line}: link ${target} → ${resolved} does not exist`);
        continue;
      }
      if (anchor !== undefined && anchor !== '' && resolved.endsWith('.md') && !anchors(resolved).has(anchor)) {
        problems.push(`${file}:${line}: link ${target}: no heading with anchor #${anchor} in ${resolved}`);
      }
    }
    // `path`@tag names a file of another repository at a version (`docs/source/messages_api.md`@v1.4.0).
    for (const code of prose.matchAll(/`([^`\s]+)`(?!@)/g)) {
      const path = code[1];
      if (!REPO_ROOTS.some((root) => path.startsWith(`${root}/`))) continue;
      for (const each of expandBraces(path)) {
        const checked = checkablePath(each);
        if (!existsSync(join(repo, checked))) problems.push(`${file}:${line}: \`${path}\`: ${checked} does not exist`);
      }
    }
  }
  return problems;
}
