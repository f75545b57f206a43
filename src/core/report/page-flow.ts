// The report's page frame and text flow over pdfkit: fonts registered before any text, margins that
// leave room for the header and footer, blocks that move whole to the next page when they do not
// fit (so nothing is clipped), and the header and footer drawn last on every page ("Page i of n").
import PDFDocument from 'pdfkit';
import { reportFontPath, type ReportFont } from './fonts';

export type Doc = PDFKit.PDFDocument;

/** Points (1/72 inch): the header lives above `top`, the footer below the page height minus `bottom`. */
export const MARGINS = { top: 80, bottom: 60, left: 48, right: 48 } as const;

export const INK = { text: '#1b1f24', muted: '#5b6470', rule: '#b8bfc8', accent: '#1f4e79', warn: '#9a3412' } as const;

export const SIZE = { body: 9, small: 8, caption: 7.5, heading: 12, subheading: 10 } as const;

export interface FrameText {
  title: string;
  /** right of the title: the case ID, then the date */
  caseLine: string;
  dateLine: string;
  institution: string | null;
  /** the footer's first line (the disclaimer) and the left part of its second */
  disclaimer: string;
  footerLeft: string;
}

export interface DocumentOptions {
  size: 'A4' | 'LETTER';
  info: PDFKit.DocumentInfo;
}

/** A PDF/A-2b-ready document: PDF 1.7, XMP metadata, sRGB output intent, embedded TTF fonts only. */
export function createDocument(options: DocumentOptions): Doc {
  const doc = new PDFDocument({
    size: options.size,
    margins: { ...MARGINS },
    bufferPages: true,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    lang: 'en',
    displayTitle: true,
    info: options.info,
    // The default font is the TTF itself, so PDF's standard Helvetica is never loaded or referenced.
    font: reportFontPath('regular'),
  });
  for (const font of ['regular', 'bold', 'mono'] as ReportFont[]) doc.registerFont(font, reportFontPath(font));
  return doc;
}

export class PageFlow {
  constructor(readonly doc: Doc) {}

  get left(): number {
    return MARGINS.left;
  }
  get width(): number {
    return this.doc.page.width - MARGINS.left - MARGINS.right;
  }
  get bottom(): number {
    return this.doc.page.height - MARGINS.bottom;
  }
  /** the height a page's body offers */
  get bodyHeight(): number {
    return this.doc.page.height - MARGINS.top - MARGINS.bottom;
  }

  style(font: ReportFont, size: number, color: string = INK.text): this {
    this.doc.font(font).fontSize(size).fillColor(color);
    return this;
  }

  /** Starts a new page when fewer than `height` points are left (a block taller than a page starts one anyway). */
  ensure(height: number): void {
    if (this.doc.y + Math.min(height, this.bodyHeight) > this.bottom) {
      this.doc.addPage();
      this.doc.x = this.left;
      this.doc.y = MARGINS.top;
    }
  }

  gap(points: number): void {
    this.doc.y += points;
  }

  heading(text: string, level: 1 | 2 = 1, keepWithNext = 60): void {
    const size = level === 1 ? SIZE.heading : SIZE.subheading;
    this.style('bold', size, level === 1 ? INK.accent : INK.text);
    const height = this.doc.heightOfString(text, { width: this.width });
    // Space above a section heading, except at the top of a page; counted in what must fit.
    const above = () => (level === 1 && this.doc.y > MARGINS.top + 1 ? 6 : 0);
    this.ensure(above() + height + keepWithNext);
    this.gap(above());
    this.doc.text(text, this.left, this.doc.y, { width: this.width });
    if (level === 1) {
      this.doc.moveTo(this.left, this.doc.y + 1).lineTo(this.left + this.width, this.doc.y + 1).lineWidth(0.5).strokeColor(INK.rule).stroke();
      this.gap(5);
    } else this.gap(2);
  }

  paragraphHeight(text: string, size: number = SIZE.body, width: number = this.width): number {
    this.style('regular', size);
    return this.doc.heightOfString(text, { width, lineGap: 1.5 }) + 3;
  }

  /** Text that may run over pages (notes, comments): pdfkit continues it on a new page line by line. */
  paragraph(text: string, options: { font?: ReportFont; size?: number; color?: string; x?: number; width?: number } = {}): void {
    this.style(options.font ?? 'regular', options.size ?? SIZE.body, options.color);
    const x = options.x ?? this.left;
    this.ensure(this.doc.currentLineHeight(true) * 2);
    this.doc.text(text, x, this.doc.y, { width: options.width ?? this.left + this.width - x, lineGap: 1.5 });
    this.gap(3);
  }

  /** The height of each "key: value" row at this width (the value wraps; the key column is fixed). */
  private keyValueHeights(rows: readonly KeyValue[], width: number, keyWidth: number): number[] {
    return rows.map((row) => {
      this.style(row.mono ? 'mono' : 'regular', row.mono ? SIZE.caption : SIZE.body);
      const valueHeight = this.doc.heightOfString(row.value, { width: width - keyWidth - 6, lineGap: 1 });
      this.style('bold', SIZE.small);
      return Math.max(valueHeight, this.doc.heightOfString(row.key, { width: keyWidth })) + 2.5;
    });
  }

  /** The height keyValues() will take for these rows (without page breaks). */
  keyValuesHeight(rows: readonly KeyValue[], options: KeyValueLayout = {}): number {
    const { width, keyWidth } = this.keyValueLayout(options);
    return this.keyValueHeights(rows, width, keyWidth).reduce((a, b) => a + b, 0);
  }

  private keyValueLayout(options: KeyValueLayout): { x: number; width: number; keyWidth: number } {
    const x = options.x ?? this.left;
    return { x, width: options.width ?? this.left + this.width - x, keyWidth: options.keyWidth ?? 112 };
  }

  /**
   * Rows of "key: value" in two columns; each row moves whole to the next page when it does not fit.
   * `mono` values (hashes) use the monospace font so they stay one unbroken word.
   */
  keyValues(rows: readonly KeyValue[], options: KeyValueLayout = {}): void {
    const { x, width, keyWidth } = this.keyValueLayout(options);
    const heights = this.keyValueHeights(rows, width, keyWidth);
    rows.forEach((row, i) => {
      // A value longer than a page (a long note) flows on over pages; any other row moves whole.
      const flows = heights[i] > this.bodyHeight;
      this.ensure(flows ? 60 : heights[i]);
      const y = this.doc.y;
      this.style('bold', SIZE.small, INK.muted);
      this.doc.text(row.key, x, y + 0.5, { width: keyWidth });
      this.style(row.mono ? 'mono' : 'regular', row.mono ? SIZE.caption : SIZE.body, row.color);
      this.doc.text(row.value, x + keyWidth + 6, y + (row.mono ? 1 : 0), { width: width - keyWidth - 6, lineGap: 1 });
      this.doc.y = flows ? this.doc.y + 2.5 : y + heights[i];
    });
    this.doc.x = this.left;
  }

  /** A table with a header row; each row moves whole to the next page (the header is repeated there). */
  table(columns: readonly TableColumn[], rows: readonly string[][]): void {
    const rowHeight = (cells: readonly string[], font: ReportFont) => {
      this.style(font, SIZE.body);
      return Math.max(...cells.map((cell, i) => this.doc.heightOfString(cell, { width: columns[i].width - 6 }))) + 5;
    };
    const drawRow = (cells: readonly string[], font: ReportFont, shade: boolean) => {
      const height = rowHeight(cells, font);
      const y = this.doc.y;
      if (shade) this.doc.rect(this.left, y, this.width, height).fill('#eef1f5');
      let x = this.left;
      this.style(font, SIZE.body, font === 'bold' ? INK.muted : INK.text);
      cells.forEach((cell, i) => {
        this.doc.text(cell, x + 3, y + 2.5, { width: columns[i].width - 6, align: columns[i].align ?? 'left' });
        x += columns[i].width;
      });
      this.doc.y = y + height;
    };
    const header = columns.map((c) => c.title);
    this.ensure(rowHeight(header, 'bold') + (rows[0] ? rowHeight(rows[0], 'regular') : 0));
    drawRow(header, 'bold', false);
    rows.forEach((cells, index) => {
      if (this.doc.y + rowHeight(cells, 'regular') > this.bottom) {
        this.ensure(Number.POSITIVE_INFINITY);
        drawRow(header, 'bold', false);
      }
      drawRow(cells, 'regular', index % 2 === 0);
    });
    this.doc.moveTo(this.left, this.doc.y).lineTo(this.left + this.width, this.doc.y).lineWidth(0.5).strokeColor(INK.rule).stroke();
    this.doc.x = this.left;
    this.gap(4);
  }

  /** Header and footer on every page, once the page count is known. */
  drawFrame(text: FrameText): number {
    const { doc } = this;
    const { start, count } = doc.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      doc.switchToPage(i);
      // Text in the margins must not make pdfkit open a page: the body's bottom limit is lifted here.
      const margins = doc.page.margins;
      doc.page.margins = { ...margins, top: 0, bottom: 0 };
      const right = doc.page.width - MARGINS.right;
      const width = right - MARGINS.left;
      this.style('bold', 11, INK.accent);
      doc.text(text.title, MARGINS.left, 26, { lineBreak: false });
      this.style('bold', 10);
      doc.text(text.caseLine, MARGINS.left, 26, { width, align: 'right', lineBreak: false });
      this.style('regular', SIZE.small, INK.muted);
      doc.text(text.institution ?? 'Institution not set', MARGINS.left, 42, { lineBreak: false });
      doc.text(text.dateLine, MARGINS.left, 42, { width, align: 'right', lineBreak: false });
      doc.moveTo(MARGINS.left, 58).lineTo(right, 58).lineWidth(0.75).strokeColor(INK.rule).stroke();

      const footerTop = doc.page.height - MARGINS.bottom + 14;
      doc.moveTo(MARGINS.left, footerTop).lineTo(right, footerTop).lineWidth(0.5).strokeColor(INK.rule).stroke();
      this.style('bold', SIZE.caption, INK.warn);
      doc.text(text.disclaimer, MARGINS.left, footerTop + 5, { width, lineBreak: false });
      this.style('regular', SIZE.caption, INK.muted);
      doc.text(text.footerLeft, MARGINS.left, footerTop + 16, { lineBreak: false });
      doc.text(`Page ${i - start + 1} of ${count}`, MARGINS.left, footerTop + 16, { width, align: 'right', lineBreak: false });
      doc.page.margins = margins;
    }
    return count;
  }
}

export interface KeyValue {
  key: string;
  value: string;
  mono?: boolean;
  color?: string;
}

export interface KeyValueLayout {
  x?: number;
  width?: number;
  keyWidth?: number;
}

export interface TableColumn {
  title: string;
  width: number;
  align?: 'left' | 'right';
}
