// Draws a recorded Chart as a self-contained SVG message sequence chart, and as an HTML page
// holding that SVG plus each node's console. No scripts, fonts or other external resources.
//
// Layout: one lifeline per node (id and address on top), one row per event, top to bottom in
// the order things happened; the left column gives each row's virtual time in ms (printed when
// it changes). A datagram is an arrow from the sender's row; it ends on the receiver's lifeline
// just after the last event before its delivery, so a delayed datagram slopes down over the
// rows that happened while it was in flight. A dropped datagram ends midway in a cross.
//
// For tests and tools each arrow is a <g class="msg"> with data-from, data-to, data-time (sent,
// virtual ms), data-kind (dtls | coaps | coap | udp), data-outcome (delivered | loss | partition |
// no-listener | vanished | in-flight | forwarded: handed to the loopback bridge) and its label text in a <text class="label">; a copy that
// arrives twice (link duplication) is a second group with data-duplicate="true" and no label.
// Console lines are <g class="note"> with data-node and data-kind (input | output); network
// changes (a scenario's loss, partition, heal) are <g class="network"> bands across the chart.
import { terminalText, type Chart, type ChartEvent, type DatagramEvent, type NetworkEvent, type NoteEvent, type Outcome } from "./recorder.js";

export { terminalText };

const CHAR_W = 6.7; // 11 px monospace advance, rounded up
const TIME_W = 86;
const TOP = 70;
const ROW_H = 26;
const HEADER_W = 190;
const MIN_GAP = 240;
const MAX_GAP = 600;

const COLORS: Readonly<Record<string, string>> = { dtls: "#6b4fa0", coaps: "#0b5ea8", coap: "#17804a", udp: "#666" };
const DROP_TEXT: Readonly<Record<string, string>> = {
  loss: "lost", partition: "partitioned", "no-listener": "no listener", vanished: "no such node",
};

/** Text safe inside XML/HTML text and attribute values (C0 controls become U+FFFD). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']|[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => {
    switch (c) {
      case "&": return "&amp;";
      case "<": return "&lt;";
      case ">": return "&gt;";
      case '"': return "&quot;";
      case "'": return "&#39;";
      default: return "\ufffd";
    }
  });
}

const textWidth = (s: string): number => s.length * CHAR_W;

interface Geometry {
  readonly x: (node: number) => number;
  readonly y: (row: number) => number;
  readonly width: number;
  readonly height: number;
}

function geometry(chart: Chart): Geometry {
  const columns = chart.nodes.map((n) => n.id);
  const needsElsewhere = chart.events.some((e) => e.type === "datagram" && e.to === 0);
  if (needsElsewhere) columns.push(0);
  const index = new Map(columns.map((id, i) => [id, i]));
  // Wide enough for the longest label between neighbouring lifelines.
  let longest = 0;
  for (const e of chart.events) {
    if (e.type !== "datagram") continue;
    const span = Math.abs((index.get(e.from) ?? 0) - (index.get(e.to) ?? 0)) || 1;
    longest = Math.max(longest, textWidth(e.label) / span);
  }
  const gap = Math.min(MAX_GAP, Math.max(MIN_GAP, Math.ceil(longest + 40)));
  const left = TIME_W + HEADER_W / 2 + 10;
  const x = (node: number) => left + (index.get(node) ?? 0) * gap;
  const y = (row: number) => TOP + 14 + row * ROW_H;
  // Notes run to the right of their lifeline and may stick out past the last one.
  let right = left + (columns.length - 1) * gap + HEADER_W / 2 + 10;
  for (const e of chart.events) if (e.type === "note") right = Math.max(right, x(e.node) + 14 + textWidth(noteText(e)) + 10);
  return { x, y, width: Math.ceil(right), height: y(chart.events.length) + 30 };
}

function noteText(e: NoteEvent): string {
  return e.kind === "input" ? `> ${e.text}` : e.text;
}

function attrs(a: Record<string, string | number | boolean>): string {
  return Object.entries(a).map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`).join("");
}

function cross(x: number, y: number): string {
  const r = 5;
  return `<path class="cross" d="M${x - r},${y - r}L${x + r},${y + r}M${x - r},${y + r}L${x + r},${y - r}"/>`;
}

function arrow(e: DatagramEvent, o: Outcome | undefined, first: boolean, g: Geometry, lastRow: number): string {
  const x1 = g.x(e.from), y1 = g.y(e.row);
  const x2 = g.x(e.to);
  const endRow = o ? Math.max(e.row, o.afterRow) : lastRow;
  const y2 = g.y(endRow) + ROW_H * 0.45;
  const outcome = !o ? (e.external ? "forwarded" : "in-flight") : o.kind === "delivered" ? "delivered" : o.reason;
  const self = e.from === e.to;
  const color = COLORS[e.kind] ?? "#666";
  const title = [
    `${e.kind.toUpperCase()} ${e.size} B, node ${e.from || "outside"} -> ${e.to ? `node ${e.to}` : e.toAddress}`,
    `sent ${e.time} ms${o ? `, ${outcome === "delivered" ? "delivered" : DROP_TEXT[outcome]} ${o.time} ms` : e.external ? ", forwarded to another terminal" : ", still in flight"}`,
    ...e.detail,
  ].join("\n");
  const parts: string[] = [`<title>${escapeXml(title)}</title>`];
  let endX = x2, endY = y2;
  if (o?.kind === "dropped" && (o.reason === "loss" || o.reason === "partition")) {
    endX = self ? x1 + 30 : (x1 + x2) / 2;
    endY = (y1 + y2) / 2;
  }
  if (self) {
    parts.push(`<path class="line" d="M${x1},${y1}h40V${y2}H${x1 + 2}" fill="none"${o?.kind === "delivered" ? ` marker-end="url(#head-${e.kind})"` : ""}/>`);
  } else {
    const dash = o || e.external ? "" : ` stroke-dasharray="5 4"`;
    const head = o?.kind === "delivered" || !o ? ` marker-end="url(#head-${e.kind})"` : "";
    parts.push(`<line class="line" x1="${x1}" y1="${y1}" x2="${endX}" y2="${endY}"${dash}${head}/>`);
  }
  if (o?.kind === "dropped") {
    parts.push(cross(endX, endY));
    const dir = x2 >= x1 ? 1 : -1;
    parts.push(`<text class="drop" x="${endX + dir * 9}" y="${endY + 4}" text-anchor="${dir > 0 ? "start" : "end"}">${DROP_TEXT[o.reason]}</text>`);
  }
  if (first) {
    const lx = self ? x1 + 46 : (x1 + x2) / 2;
    parts.push(`<text class="label" x="${lx}" y="${y1 - 5}" text-anchor="${self ? "start" : "middle"}">${escapeXml(e.label)}</text>`);
  }
  const a: Record<string, string | number | boolean> = {
    class: "msg", "data-from": e.from, "data-to": e.to, "data-time": e.time, "data-kind": e.kind, "data-outcome": outcome,
  };
  if (!first) a["data-duplicate"] = true;
  return `<g${attrs(a)} stroke="${o?.kind === "dropped" ? "#c0392b" : color}" fill="${color}">${parts.join("")}</g>`;
}

function note(e: NoteEvent, g: Geometry): string {
  const x = g.x(e.node), y = g.y(e.row);
  const text = noteText(e);
  const w = textWidth(text) + 8;
  return `<g${attrs({ class: "note", "data-node": e.node, "data-time": e.time, "data-kind": e.kind })}>` +
    `<circle cx="${x}" cy="${y}" r="3"/>` +
    `<rect x="${x + 8}" y="${y - 10}" width="${w.toFixed(1)}" height="15" rx="3"/>` +
    `<text x="${x + 12}" y="${y + 1}">${escapeXml(text)}</text></g>`;
}

function networkBand(e: NetworkEvent, g: Geometry): string {
  const y = g.y(e.row);
  const text = `network: ${e.text}`;
  const w = textWidth(text) + 16;
  const mid = (TIME_W + g.width) / 2;
  return `<g${attrs({ class: "network", "data-time": e.time })}>` +
    `<line x1="${TIME_W}" y1="${y - 3}" x2="${g.width - 4}" y2="${y - 3}"/>` +
    `<rect x="${(mid - w / 2).toFixed(1)}" y="${y - 11}" width="${w.toFixed(1)}" height="15" rx="7"/>` +
    `<text x="${mid}" y="${y}" text-anchor="middle">${escapeXml(text)}</text></g>`;
}

const STYLE = `
  .msc { background: #fff; }
  .msc text { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 11px; }
  .msc .head rect { fill: #eef3f9; stroke: #4a6785; }
  .msc .head .id { font-weight: bold; font-size: 13px; fill: #1d2b3a; }
  .msc .head .addr { fill: #4a6785; }
  .msc .lifeline line { stroke: #8aa0b6; stroke-dasharray: 6 4; }
  .msc .time { fill: #444; }
  .msc .grid { stroke: #e6e6e6; }
  .msc .msg .line { stroke-width: 1.4; }
  .msc .msg .label { stroke: #fff; stroke-width: 3px; paint-order: stroke; }
  .msc .network line { stroke: #c0392b; stroke-dasharray: 2 3; }
  .msc .network rect { fill: #fdecea; stroke: #c0392b; }
  .msc .network text { fill: #8e2418; font-weight: bold; }
  .msc .msg .cross { stroke-width: 2.2; }
  .msc .msg .drop { stroke: #fff; stroke-width: 3px; paint-order: stroke; fill: #c0392b; font-style: italic; }
  .msc .note circle { fill: #1d2b3a; }
  .msc .note rect { fill: #fffbe6; stroke: #d8c98a; }
  .msc .note[data-kind="output"] rect { fill: #f4f4f4; stroke: #cfcfcf; }
  .msc .note[data-kind="input"] text { font-weight: bold; fill: #1d2b3a; }
  .msc .note[data-kind="output"] text { fill: #444; }
  .msc .axis { fill: #888; }
`;

/** The chart as a standalone SVG document. */
export function renderSvg(chart: Chart): string {
  const g = geometry(chart);
  const events = chart.events;
  const lastRow = Math.max(0, events.length - 1);
  const out: string[] = [];
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="msc" width="${g.width}" height="${g.height}" viewBox="0 0 ${g.width} ${g.height}"${attrs({ "data-nodes": chart.nodes.length, "data-events": events.length, "data-end": chart.endTime })}>`);
  out.push(`<title>${escapeXml(chart.title)}</title>`);
  out.push(`<style>${STYLE}</style>`);
  out.push(`<defs>${Object.entries(COLORS).map(([k, c]) =>
    `<marker id="head-${k}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${c}" stroke="none"/></marker>`).join("")}</defs>`);
  out.push(`<rect width="100%" height="100%" fill="#fff"/>`);
  out.push(`<text class="axis" x="${TIME_W - 10}" y="${TOP - 8}" text-anchor="end">virtual ms</text>`);
  // Time axis: a row's time when it differs from the row above, with a faint rule across.
  let previous: number | undefined;
  for (const e of events) {
    if (e.time === previous) continue;
    previous = e.time;
    const y = g.y(e.row) - ROW_H / 2 + 2;
    if (e.type !== "network") out.push(`<line class="grid" x1="${TIME_W - 6}" y1="${y}" x2="${g.width}" y2="${y}"/>`);
    out.push(`<text class="time" x="${TIME_W - 10}" y="${g.y(e.row) + 4}" text-anchor="end">${e.time}</text>`);
  }
  const bottom = g.height - 20;
  const lifelines: Array<{ id: number; title: string; sub: string }> = chart.nodes.map((n) => ({ id: n.id, title: `node ${n.id}`, sub: n.address }));
  if (events.some((e) => e.type === "datagram" && e.to === 0)) lifelines.push({ id: 0, title: "(no node)", sub: "unknown address" });
  for (const l of lifelines) {
    const x = g.x(l.id);
    out.push(`<g${attrs({ class: "lifeline", "data-node": l.id })}><line x1="${x}" y1="${TOP - 16}" x2="${x}" y2="${bottom}"/></g>`);
    out.push(`<g class="head"><rect x="${x - HEADER_W / 2}" y="8" width="${HEADER_W}" height="${TOP - 24}" rx="5"/>` +
      `<text class="id" x="${x}" y="26" text-anchor="middle">${escapeXml(l.title)}</text>` +
      `<text class="addr" x="${x}" y="${TOP - 24}" text-anchor="middle">${escapeXml(l.sub)}</text></g>`);
  }
  for (const e of events) {
    if (e.type === "note") { out.push(note(e, g)); continue; }
    if (e.type === "network") { out.push(networkBand(e, g)); continue; }
    if (e.outcomes.length === 0) out.push(arrow(e, undefined, true, g, lastRow));
    e.outcomes.forEach((o, i) => out.push(arrow(e, o, i === 0, g, lastRow)));
  }
  out.push(`<text class="axis" x="${TIME_W - 10}" y="${bottom + 12}" text-anchor="end">end ${chart.endTime}</text>`);
  out.push(`</svg>`);
  return `${out.join("\n")}\n`;
}

/** Counts of what the SVG draws, for summaries and tests. */
export function chartCounts(chart: Chart): { arrows: number; lost: number; notes: number } {
  let arrows = 0, lost = 0, notes = 0;
  for (const e of chart.events as readonly ChartEvent[]) {
    if (e.type === "note") { notes++; continue; }
    if (e.type === "network") continue;
    arrows += Math.max(1, e.outcomes.length);
    lost += e.outcomes.filter((o) => o.kind === "dropped").length;
  }
  return { arrows, lost, notes };
}

/** A self-contained HTML page: the chart, then each node's console as it printed it. */
export function renderHtml(chart: Chart): string {
  const svg = renderSvg(chart).replace(/^<\?xml[^>]*>\n/, "");
  const consoles = [...chart.consoles].map(([id, bytes]) => {
    const address = chart.nodes.find((n) => n.id === id)?.address ?? "";
    const text = terminalText(bytes);
    return `<section class="console" data-node="${id}"><h2>node ${id} <span>${escapeXml(address)}</span></h2><pre>${escapeXml(text)}</pre></section>`;
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeXml(chart.title)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 16px; color: #1d2b3a; background: #fafafa; }
  h1 { font-size: 18px; margin: 0 0 4px; }
  p.meta { margin: 0 0 12px; color: #555; font-size: 13px; }
  .chart { overflow-x: auto; background: #fff; border: 1px solid #ddd; }
  .consoles { display: flex; flex-wrap: wrap; gap: 16px; margin-top: 16px; }
  .console { flex: 1 1 420px; min-width: 0; }
  .console h2 { font-size: 14px; margin: 0 0 4px; }
  .console h2 span { font-weight: normal; color: #4a6785; font-family: monospace; }
  .console pre { background: #10161d; color: #d8e1ea; padding: 8px 10px; margin: 0; font-size: 12px;
                 overflow: auto; max-height: 520px; white-space: pre-wrap; word-break: break-all; }
</style>
</head>
<body>
<h1>${escapeXml(chart.title)}</h1>
<p class="meta">${chart.nodes.length} nodes, virtual time 0 to ${chart.endTime} ms. Hover an arrow for its DTLS records.</p>
<div class="chart">
${svg}</div>
<div class="consoles">
${consoles.join("\n")}
</div>
</body>
</html>
`;
}
