// olekukonko/tablewriter v0.0.5 as calicoctl uses it (Calico pins that release): default settings, so cells wrap
// at 30 characters by minimum raggedness, headings are upper-cased and centred, numbers align right.
/** tablewriter's MAX_ROW_WIDTH: the widest a cell line may be before it wraps (unless one word is wider). */
export const MAX_CELL_WIDTH = 30;
const PENALTY = 1e5;
// tablewriter's own patterns, kept as they are (the percent one can never match: `$` before `%`).
const DECIMAL = /^-*\d*\.?\d*$/;
const PERCENT = /^-*\d*\.?\d*$%$/;

function width(text: string): number {
  return [...text].length;
}

/** WrapWords: breaks words into lines of at most `limit`, minimising the squared slack of every line but the last. */
export function wrapWords(words: readonly string[], limit: number): string[][] {
  const n = words.length;
  const length = (i: number, j: number) => {
    let total = 0;
    for (let k = i; k <= j; k++) total += width(words[k] ?? "") + (k > i ? 1 : 0);
    return total;
  };
  const cost = new Array<number>(n).fill(Number.MAX_SAFE_INTEGER);
  const next = new Array<number>(n).fill(n);
  for (let i = n - 1; i >= 0; i--) {
    if (length(i, n - 1) <= limit) {
      cost[i] = 0;
      next[i] = n;
      continue;
    }
    for (let j = i + 1; j < n; j++) {
      const line = length(i, j - 1);
      const slack = limit - line;
      let c = slack * slack + (cost[j] ?? 0);
      if (line > limit) c += PENALTY;
      if (c < (cost[i] ?? Number.MAX_SAFE_INTEGER)) {
        cost[i] = c;
        next[i] = j;
      }
    }
  }
  const lines: string[][] = [];
  for (let i = 0; i < n; i = next[i] ?? n) lines.push(words.slice(i, next[i]));
  return lines;
}

/** WrapString: the lines of one paragraph; a word longer than the limit raises it. */
export function wrapString(text: string, limit: number): { lines: string[]; limit: number } {
  const words = text.replaceAll("\n", " ").split(" ");
  let lim = limit;
  for (const w of words) lim = Math.max(lim, width(w));
  return { lines: wrapWords(words, lim).map((line) => line.join(" ")), limit: lim };
}

/** parseDimension with auto-wrap on: a cell's lines and the width they need. */
function cellLines(text: string): { lines: string[]; width: number } {
  const raw = text.split("\n");
  let maxWidth = Math.min(Math.max(0, ...raw.map(width)), MAX_CELL_WIDTH);
  const lines: string[] = [];
  let needed = maxWidth;
  raw.forEach((paragraph, i) => {
    const wrapped = wrapString(paragraph, maxWidth).lines;
    for (const line of wrapped) needed = Math.max(needed, width(line));
    if (i > 0) lines.push(" ");
    lines.push(...wrapped);
  });
  maxWidth = needed;
  return { lines, width: maxWidth };
}

function centre(text: string, w: number): string {
  const gap = w - width(text);
  const left = Math.floor(gap / 2);
  return " ".repeat(Math.max(0, left)) + text + " ".repeat(Math.max(0, gap - left));
}

function pad(text: string, w: number): string {
  const trimmed = text.trim();
  const right = DECIMAL.test(trimmed) || PERCENT.test(trimmed);
  const fill = " ".repeat(Math.max(0, w - width(text)));
  return right ? fill + text : text + fill;
}

/** Title(): underscores (and dots between letters) become spaces, then upper case. */
function title(heading: string): string {
  const chars = [...heading].map((c, i, all) => {
    if (c === "_") return " ";
    if (c === ".") {
      const isNumOrSpace = (x: string | undefined) => x !== undefined && /[\d ]/.test(x);
      if ((i !== 0 && !isNumOrSpace(all[i - 1])) || (i !== all.length - 1 && !isNumOrSpace(all[i + 1])))
        return " ";
    }
    return c;
  });
  const name = chars.join("").trim();
  return (name.length === 0 && heading.length > 0 ? " " : name).toUpperCase();
}

/** Table.Render() with the defaults: borders, header line, wrapped cells. No trailing newline. */
export function renderTable(headings: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = headings.map((h) => cellLines(title(h)));
  const body = rows.map((r) => headings.map((_, i) => cellLines(r[i] ?? "")));
  const widths = headings.map((_, i) =>
    Math.max(head[i]?.width ?? 0, ...body.map((cells) => cells[i]?.width ?? 0)),
  );
  const rule = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+`;
  const render = (cells: { lines: string[] }[], line: (text: string, w: number) => string) => {
    const height = Math.max(1, ...cells.map((c) => c.lines.length));
    return Array.from(
      { length: height },
      (_, y) => `|${widths.map((w, i) => ` ${line(cells[i]?.lines[y] ?? "", w)} `).join("|")}|`,
    );
  };
  return [rule, ...render(head, centre), rule, ...body.flatMap((cells) => render(cells, pad)), rule].join(
    "\n",
  );
}
