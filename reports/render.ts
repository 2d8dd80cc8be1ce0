/**
 * Chart rendering in Node: Vega-Lite spec → Vega → SVG string (headless view), and
 * SVG → PNG with resvg. resvg draws text only with fonts it has: it is given DejaVu
 * Sans when the system has it (Debian's fonts-dejavu-core) and the system fonts
 * otherwise.
 */
import { existsSync } from 'node:fs';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/** Vega-Lite → Vega, with Vega-Lite's warnings (a field it cannot use, a mark it drops) collected, not printed. */
export function compileSpec(spec: TopLevelSpec): { vega: vega.Spec; warnings: string[] } {
  const warnings: string[] = [];
  const logger = vega.logger(vega.Warn);
  logger.warn = (...args: readonly unknown[]) => { warnings.push(args.join(' ')); return logger; };
  logger.error = (...args: readonly unknown[]) => { throw new Error(`vega-lite: ${args.join(' ')}`); };
  const compiled = vegaLite.compile(spec, { logger });
  return { vega: compiled.spec, warnings };
}

/**
 * Advance widths of DejaVu Sans, in ems, for ' ' (32) to '~' (126), measured with
 * resvg. Without a canvas Vega guesses 0.8 em for every character, a third too wide
 * for this font, which left wide empty margins and pushed long axis titles out of
 * their charts; these widths make the layout match what resvg and browsers draw.
 */
const REGULAR = [0.32, 0.4, 0.46, 0.84, 0.64, 0.95, 0.78, 0.27, 0.39, 0.39, 0.5, 0.84, 0.32, 0.36, 0.32, 0.34, 0.64, 0.64, 0.64, 0.64, 0.64, 0.64, 0.64, 0.64, 0.64, 0.64, 0.34, 0.34, 0.84, 0.84, 0.84, 0.53, 1, 0.71, 0.69, 0.7, 0.77, 0.63, 0.58, 0.77, 0.75, 0.29, 0.29, 0.66, 0.56, 0.86, 0.75, 0.79, 0.6, 0.79, 0.69, 0.63, 0.6, 0.73, 0.68, 0.99, 0.69, 0.61, 0.69, 0.39, 0.34, 0.39, 0.84, 0.5, 0.5, 0.61, 0.63, 0.55, 0.63, 0.62, 0.34, 0.63, 0.63, 0.28, 0.28, 0.58, 0.28, 0.97, 0.63, 0.61, 0.63, 0.63, 0.4, 0.52, 0.39, 0.63, 0.59, 0.82, 0.59, 0.59, 0.52, 0.64, 0.34, 0.64, 0.84];
const BOLD = [0.35, 0.46, 0.52, 0.84, 0.7, 1, 0.87, 0.31, 0.46, 0.46, 0.52, 0.84, 0.38, 0.42, 0.38, 0.37, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.4, 0.4, 0.84, 0.84, 0.84, 0.58, 1, 0.77, 0.76, 0.73, 0.83, 0.68, 0.68, 0.82, 0.84, 0.37, 0.37, 0.77, 0.64, 1, 0.84, 0.85, 0.73, 0.85, 0.77, 0.68, 0.7, 0.81, 0.77, 1.1, 0.77, 0.72, 0.73, 0.46, 0.37, 0.46, 0.84, 0.5, 0.5, 0.67, 0.72, 0.59, 0.72, 0.68, 0.41, 0.72, 0.71, 0.34, 0.34, 0.67, 0.34, 1.04, 0.71, 0.69, 0.72, 0.72, 0.49, 0.6, 0.48, 0.71, 0.65, 0.92, 0.65, 0.65, 0.58, 0.71, 0.37, 0.71, 0.84];

/** The width in pixels of `text` in DejaVu Sans; characters outside ASCII count as a digit. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const table = bold ? BOLD : REGULAR;
  let em = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    em += c >= 32 && c <= 126 ? table[c - 32]! : c === 0x2264 || c === 0x2265 ? 0.84 : bold ? 0.72 : 0.64;
  }
  return em * fontSize;
}

interface TextItem { fontSize?: number; fontWeight?: string | number; limit?: number }
const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics;
metrics.width = (item, text) => {
  const t = text == null ? '' : String(text).trim();
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  const w = textWidth(t, size, item.fontWeight === 'bold' || Number(item.fontWeight) >= 600);
  return item.limit && item.limit > 0 ? Math.min(w, item.limit) : w;
};

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compileSpec(spec).vega;
  // Clip-path ids restart at 1 in every chart: the same spec gives the same SVG.
  (vega as unknown as { resetSVGDefIds: () => void }).resetSVGDefIds();
  // No loader can reach the network or disk: every chart's data is inline.
  const loader = vega.loader();
  loader.load = async (uri: string) => { throw new Error(`chart data must be inline, not loaded from ${uri}`); };
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const FONT_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/TTF', '/usr/share/fonts/dejavu'];
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

let fontOptions: ResvgRenderOptions['font'] | undefined;

/** DejaVu Sans files when present (fast: no font scan), else every system font. */
function fonts(): ResvgRenderOptions['font'] {
  if (fontOptions) return fontOptions;
  for (const dir of FONT_DIRS) {
    const files = FONT_FILES.map((f) => `${dir}/${f}`).filter((p) => existsSync(p));
    if (files.length > 0) {
      fontOptions = { fontFiles: files, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' };
      return fontOptions;
    }
  }
  fontOptions = { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' };
  return fontOptions;
}

/** SVG text → an image, at `scale` times the SVG's size (2: sharp on high-density screens and in print). */
export function svgToImage(svg: string, scale = 2): { png: Uint8Array; width: number; height: number; rgba: Uint8Array } {
  const image = new Resvg(svg, { font: fonts(), fitTo: { mode: 'zoom', value: scale }, background: 'white' }).render();
  return { png: image.asPng(), width: image.width, height: image.height, rgba: image.pixels };
}

/** SVG text → PNG bytes (twice the SVG's size). */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  return svgToImage(svg, scale).png;
}

/** The PNG signature: \x89 P N G \r \n \x1a \n. */
export const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
