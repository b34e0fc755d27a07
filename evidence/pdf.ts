/**
 * The export's PDF report (pdf-lib): a cover (tenant, locations, period, overall status), a
 * summary table, then per location its current findings with citations and due dates, the
 * rules that failed during the period, status history, credentials, permits and alerts.
 * Every page's footer has the page number, the generation time and the content digest the
 * signed manifest carries (evidence/manifest.ts), so a printed page can be tied to the data.
 *
 * Fonts are embedded (DejaVu Sans, subset) so names in any Latin, Greek or Cyrillic script and
 * "≤ ≥ –" render; the caller passes the font bytes (bundled as modules in the Worker).
 */
import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, type PDFFont, type PDFPage, rgb } from "pdf-lib";
import { type LocationSummary, overallStatus, type Status } from "./document";

export interface ReportInput {
  tenantName: string;
  exportId: string;
  from: string;
  to: string;
  generatedAt: string;
  contentDigest: string;
  /** This file's locations (all of them, or one part's). */
  locations: readonly LocationSummary[];
  /** When the report is split (evidence/document.ts `reportFiles`): which part this is. */
  part?: ReportPart;
}

export interface ReportPart {
  number: number;
  of: number;
  /** 1-based position of this part's first location among all the export's. */
  firstLocation: number;
  totalLocations: number;
  /** The whole export's overall status (the cover says it, whichever part it is). */
  overall: Status | "unknown";
}

export interface ReportFonts {
  regular: ArrayBuffer | Uint8Array;
  bold: ArrayBuffer | Uint8Array;
}

// US Letter, in points.
const PAGE = { width: 612, height: 792 };
const MARGIN = { left: 54, right: 54, top: 60, bottom: 64 };
const WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.38, 0.38, 0.42);
const RULE = rgb(0.8, 0.8, 0.84);
const STATUS_COLOR: Record<Status | "unknown", ReturnType<typeof rgb>> = {
  compliant: rgb(0.05, 0.45, 0.2),
  at_risk: rgb(0.7, 0.42, 0),
  non_compliant: rgb(0.72, 0.1, 0.1),
  unknown: MUTED,
};
const STATUS_LABEL: Record<Status | "unknown", string> = {
  compliant: "Compliant",
  at_risk: "At risk",
  non_compliant: "Non-compliant",
  unknown: "Not evaluated",
};

/** Text pdf-lib can draw: no control characters (a newline would be drawn as a missing glyph). */
const clean = (text: string) => text.replace(/[\p{Cc}\u2028\u2029]+/gu, " ");

interface Column {
  title: string;
  width: number;
}

/** A cursor down the pages: wraps text, breaks pages, draws tables. */
class Layout {
  page!: PDFPage;
  y = 0;
  readonly pages: PDFPage[] = [];
  /**
   * Word widths by font and size: measuring text with an embedded font runs fontkit's layout,
   * and wrapping measures every word several times. Lines are measured as the sum of their
   * words and spaces (no kerning across a space), which is what wrapping needs.
   */
  private readonly widths = new Map<string, number>();

  constructor(
    private readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.pages.push(this.page);
    this.y = PAGE.height - MARGIN.top;
  }

  ensure(height: number): void {
    if (this.y - height < MARGIN.bottom) this.newPage();
  }

  /** The width of `text` (one word, or a space) in `font` at `size`, measured once. */
  private widthOf(text: string, font: PDFFont, size: number): number {
    const key = `${font === this.bold ? "b" : "r"}${size}:${text}`;
    let width = this.widths.get(key);
    if (width === undefined) {
      width = font.widthOfTextAtSize(text, size);
      this.widths.set(key, width);
    }
    return width;
  }

  /** Splits `text` into lines no wider than `width` (breaking long words too). */
  wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    const space = this.widthOf(" ", font, size);
    let lineWidth = 0;
    for (const word of clean(text).split(" ")) {
      const wordWidth = this.widthOf(word, font, size);
      if (lines.length > 0 && lineWidth + space + wordWidth <= width) {
        lines[lines.length - 1] = `${lines[lines.length - 1]} ${word}`;
        lineWidth += space + wordWidth;
        continue;
      }
      let rest = word;
      let restWidth = wordWidth;
      while (restWidth > width && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
        restWidth = font.widthOfTextAtSize(rest, size);
      }
      lines.push(rest);
      lineWidth = restWidth;
    }
    return lines.length > 0 ? lines : [""];
  }

  paragraph(
    text: string,
    options: { size?: number; bold?: boolean; color?: ReturnType<typeof rgb>; gap?: number } = {},
  ): void {
    const size = options.size ?? 10;
    const font = options.bold ? this.bold : this.regular;
    for (const line of this.wrap(text, font, size, WIDTH)) {
      this.ensure(size * 1.35);
      this.page.drawText(line, { x: MARGIN.left, y: this.y - size, size, font, color: options.color ?? INK });
      this.y -= size * 1.35;
    }
    this.y -= options.gap ?? 4;
  }

  heading(text: string, size = 14): void {
    this.ensure(size * 3);
    this.y -= size * 0.6;
    this.paragraph(text, { size, bold: true, gap: 6 });
  }

  table(columns: readonly Column[], rows: readonly string[][], empty: string): void {
    const size = 8.5;
    const line = size * 1.3;
    const header = () => {
      this.ensure(line * 2);
      let x = MARGIN.left;
      for (const column of columns) {
        this.page.drawText(clean(column.title), { x, y: this.y - size, size, font: this.bold, color: MUTED });
        x += column.width * WIDTH;
      }
      this.y -= line + 2;
      this.page.drawLine({
        start: { x: MARGIN.left, y: this.y + 1 },
        end: { x: MARGIN.left + WIDTH, y: this.y + 1 },
        thickness: 0.5,
        color: RULE,
      });
      this.y -= 2;
    };
    if (rows.length === 0) {
      this.paragraph(empty, { size: 9, color: MUTED });
      return;
    }
    header();
    for (const row of rows) {
      const cells = columns.map((column, i) =>
        this.wrap(row[i] ?? "", this.regular, size, column.width * WIDTH - 6),
      );
      const height = Math.max(...cells.map((cell) => cell.length)) * line + 3;
      if (this.y - height < MARGIN.bottom) {
        this.newPage();
        header();
      }
      let x = MARGIN.left;
      cells.forEach((cell, i) => {
        cell.forEach((text, n) => {
          this.page.drawText(text, { x, y: this.y - size - n * line, size, font: this.regular, color: INK });
        });
        x += (columns[i] as Column).width * WIDTH;
      });
      this.y -= height;
    }
    this.y -= 6;
  }
}

const statusOf = (status: Status | null) => STATUS_LABEL[status ?? "unknown"];

/** An instant as a reader wants it: "2026-10-02 09:00 UTC" (the JSON keeps full precision). */
const when = (iso: string) =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;
const day = (iso: string) => iso.slice(0, 10);

/** Renders the report; returns the PDF's bytes. */
export async function renderReport(input: ReportInput, fonts: ReportFonts): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle(`Evidence export ${input.exportId} — ${clean(input.tenantName)}`);
  doc.setAuthor("Prep");
  doc.setProducer("Prep evidence vault");
  doc.setCreationDate(new Date(input.generatedAt));
  doc.setModificationDate(new Date(input.generatedAt));
  const regular = await doc.embedFont(fonts.regular, { subset: true });
  const bold = await doc.embedFont(fonts.bold, { subset: true });
  const layout = new Layout(doc, regular, bold);

  // Cover.
  const part = input.part;
  const overall = part ? part.overall : overallStatus(input.locations.map((location) => location.status));
  layout.y -= 80;
  layout.paragraph("Food-safety compliance evidence", { size: 24, bold: true, gap: 12 });
  layout.paragraph(input.tenantName, { size: 16, gap: 24 });
  layout.paragraph(`Period: ${input.from} – ${input.to}`, { size: 12 });
  layout.paragraph(`Locations: ${part ? part.totalLocations : input.locations.length}`, { size: 12 });
  if (part)
    layout.paragraph(
      `Part ${part.number} of ${part.of}: locations ${part.firstLocation}–${part.firstLocation + input.locations.length - 1}`,
      { size: 12, bold: true },
    );
  layout.paragraph(`Overall status: ${STATUS_LABEL[overall]}`, {
    size: 12,
    bold: true,
    color: STATUS_COLOR[overall],
    gap: 24,
  });
  layout.paragraph(`Export ${input.exportId}, generated ${when(input.generatedAt)}.`, {
    size: 9,
    color: MUTED,
  });
  layout.paragraph(
    "Every file of this export is listed with its SHA-256 in manifest.json, signed (manifest.jws, Ed25519) with a key published at /.well-known/jwks.json. Check the bundle with: npx prep evidence verify <folder-or-zip>. The content digest in each page's footer is the manifest's contentDigest: the hash of the JSON data this report summarises.",
    { size: 9, color: MUTED },
  );

  // Summary table.
  layout.newPage();
  layout.heading("Summary", 16);
  layout.table(
    [
      { title: "Location", width: 0.28 },
      { title: "Status", width: 0.14 },
      { title: "Failing now", width: 0.12 },
      { title: "Failed in period", width: 0.16 },
      { title: "Checks", width: 0.1 },
      { title: "Alerts", width: 0.09 },
      { title: "Temp. logs", width: 0.11 },
    ],
    input.locations.map((location) => [
      location.name,
      statusOf(location.status),
      String(location.findings.filter((finding) => finding.status === "fail").length),
      String(location.counts.periodFailures),
      String(location.counts.checks),
      String(location.counts.alerts),
      String(location.counts.temperatureLogs),
    ]),
    "No locations.",
  );

  for (const location of input.locations) {
    layout.newPage();
    layout.heading(location.name, 16);
    layout.paragraph(location.address, { size: 9, color: MUTED });
    layout.paragraph(
      `Status: ${statusOf(location.status)}${location.evaluatedAt ? ` (evaluated ${when(location.evaluatedAt)})` : ""}`,
      { size: 11, bold: true, color: STATUS_COLOR[location.status ?? "unknown"], gap: 2 },
    );
    layout.paragraph(
      `Datasets: ${location.datasets.map((d) => `${d.jurisdiction} ${d.version}`).join(", ") || "none"}`,
      { size: 8, color: MUTED },
    );

    layout.heading("Current findings", 12);
    layout.table(
      [
        { title: "Finding", width: 0.3 },
        { title: "Citation", width: 0.28 },
        { title: "Status", width: 0.1 },
        { title: "Severity", width: 0.1 },
        { title: "Due by", width: 0.12 },
        { title: "Subject", width: 0.1 },
      ],
      location.findings.map((finding) => [
        `${finding.title}. ${finding.message}`,
        finding.citation,
        finding.status,
        finding.severity,
        finding.dueBy ?? "—",
        finding.subject ?? "—",
      ]),
      "No failing or warning findings.",
    );

    layout.heading("Rules failed during the period", 12);
    layout.table(
      [
        { title: "Rule", width: 0.32 },
        { title: "Citation", width: 0.3 },
        { title: "First seen", width: 0.14 },
        { title: "Last seen", width: 0.14 },
        { title: "Checks", width: 0.1 },
      ],
      location.periodFailures.map((failure) => [
        failure.title,
        failure.citation,
        day(failure.firstSeen),
        day(failure.lastSeen),
        String(failure.checks),
      ]),
      "No rule failed in a check during the period.",
    );
    more(layout, location.counts.periodFailures, location.periodFailures.length);

    layout.heading("History", 12);
    layout.paragraph(`${location.counts.checks} checks in the period.`, { size: 9 });
    layout.table(
      [
        { title: "When", width: 0.4 },
        { title: "From", width: 0.3 },
        { title: "To", width: 0.3 },
      ],
      location.history.map((change) => [
        change.at,
        change.from ? statusOf(change.from) : "—",
        statusOf(change.to),
      ]),
      "No status changes recorded in the period.",
    );

    layout.heading("Credentials", 12);
    layout.table(
      [
        { title: "Staff", width: 0.4 },
        { title: "Credential", width: 0.4 },
        { title: "Expires", width: 0.2 },
      ],
      location.credentials.map((credential) => [
        credential.staff,
        credential.type,
        credential.expiresAt ?? "—",
      ]),
      "No credentials on record.",
    );
    more(layout, location.counts.credentials, location.credentials.length);

    layout.heading("Permits", 12);
    layout.table(
      [
        { title: "Permit", width: 0.4 },
        { title: "Number", width: 0.4 },
        { title: "Expires", width: 0.2 },
      ],
      location.permits.map((permit) => [permit.type, permit.number ?? "—", permit.expiresAt ?? "—"]),
      "No permits on record.",
    );

    layout.heading("Alerts", 12);
    layout.table(
      [
        { title: "Detected", width: 0.26 },
        { title: "Change", width: 0.28 },
        { title: "Acknowledged", width: 0.26 },
        { title: "By", width: 0.2 },
      ],
      location.alerts.map((alert) => [
        when(alert.detectedAt),
        `${statusOf(alert.from as Status)} → ${statusOf(alert.to as Status)}`,
        alert.acknowledgedAt ? when(alert.acknowledgedAt) : "not acknowledged",
        alert.acknowledgedBy ?? "—",
      ]),
      "No alerts in the period.",
    );
    more(layout, location.counts.alerts, location.alerts.length);
  }

  const total = layout.pages.length;
  layout.pages.forEach((page, index) => {
    const size = 7.5;
    page.drawLine({
      start: { x: MARGIN.left, y: MARGIN.bottom - 18 },
      end: { x: PAGE.width - MARGIN.right, y: MARGIN.bottom - 18 },
      thickness: 0.5,
      color: RULE,
    });
    page.drawText(clean(`Generated ${when(input.generatedAt)} · export ${input.exportId}`), {
      x: MARGIN.left,
      y: MARGIN.bottom - 30,
      size,
      font: regular,
      color: MUTED,
    });
    const label = `Page ${index + 1} of ${total}`;
    page.drawText(label, {
      x: PAGE.width - MARGIN.right - regular.widthOfTextAtSize(label, size),
      y: MARGIN.bottom - 30,
      size,
      font: regular,
      color: MUTED,
    });
    page.drawText(`Content digest (SHA-256): ${input.contentDigest}`, {
      x: MARGIN.left,
      y: MARGIN.bottom - 41,
      size: 7,
      font: regular,
      color: MUTED,
    });
  });
  return doc.save({ useObjectStreams: true });
}

function more(layout: Layout, total: number, shown: number): void {
  if (total > shown)
    layout.paragraph(`… and ${total - shown} more in the location's JSON file.`, { size: 8, color: MUTED });
}
