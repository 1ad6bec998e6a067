import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeOutputFolder } from '../report/output-folder';
import { renderReproduceMarkdown } from './markdown';
import type { ReproducedStudy } from './reproduce-study';

/** Writes DIR/reproduce.md and DIR/reproduce.json; returns their paths. */
export function writeReproduction(dir: string, study: ReproducedStudy): { markdown: string; json: string } {
  makeOutputFolder(dir);
  const markdown = join(dir, 'reproduce.md');
  const json = join(dir, 'reproduce.json');
  writeFileSync(markdown, renderReproduceMarkdown(study));
  writeFileSync(json, `${JSON.stringify(study, null, 2)}\n`);
  return { markdown, json };
}
