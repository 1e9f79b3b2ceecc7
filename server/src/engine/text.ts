/** Zero-based line/character position as in LSP; character counts UTF-16 code units. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Maps offsets to positions for one file text, by binary search over line starts. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  offset(pos: Position): number {
    const line = Math.max(0, Math.min(pos.line, this.starts.length - 1));
    return Math.min(this.starts[line] + pos.character, this.text.length);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset where a line starts. */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** Offset where a line's text ends (before its line break). */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return next > this.lineStart(line) && this.text[next - 1] === "\r" ? next - 1 : next;
  }

  /** Where the line after the one holding `offset` starts; undefined on the last line. */
  nextLineStart(offset: number): number | undefined {
    const line = this.position(offset).line;
    return line + 1 < this.starts.length ? this.starts[line + 1] : undefined;
  }

  /** Where the line holding `offset` starts. */
  startOfLine(offset: number): number {
    return this.starts[this.position(offset).line];
  }

  /** A line's text, without its line break. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /** The line an offset is on: its number, where it starts and ends, and its text. */
  lineAt(offset: number): { line: number; start: number; end: number; text: string } {
    const line = this.position(offset).line;
    const start = this.lineStart(line);
    const end = this.lineEnd(line);
    return { line, start, end, text: this.text.slice(start, end) };
  }
}
