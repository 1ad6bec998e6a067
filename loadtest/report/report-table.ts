/** A table of a report, independent of its output format. Cells are preformatted strings. */
export interface ReportTable {
  readonly id: string;
  readonly title: string;
  readonly caption?: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Per row, a link for its first cell (e.g. a deployment's own report), relative to the report. */
  readonly rowLinks?: readonly (string | undefined)[];
}
