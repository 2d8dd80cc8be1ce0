/** Rendering: SVG with drawn marks, PNG bytes with the PNG signature, and text that shows in the PNG. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dfsBarsSpec, latencyOverTimeSpec } from '../../reports/charts.ts';
import { PNG_SIGNATURE, renderSvg, svgToImage, svgToPng, textWidth } from '../../reports/render.ts';
import { timeline } from './fixtures.ts';

test('a time-series chart renders to SVG with line paths, rules and its axis titles', async () => {
  const svg = await renderSvg(latencyOverTimeSpec([{ name: 'a', policy: 'file', timeline: timeline(5, 2) }]));
  assert.ok(svg.startsWith('<svg'));
  assert.match(svg, /class="mark-line role-mark/);
  assert.match(svg, /<path[^>]*stroke="#1f77b4"/, 'the file policy\'s colour');
  assert.match(svg, /class="mark-rule role-mark/);
  assert.match(svg, />latency \(µs, log scale\)</);
  assert.match(svg, />simulated time \(s\)</);
  assert.match(svg, />restore</);
  // Deterministic: the same spec gives the same SVG (clip-path ids restart per chart).
  assert.equal(await renderSvg(latencyOverTimeSpec([{ name: 'a', policy: 'file', timeline: timeline(5, 2) }])), svg);
});

test('a bar chart renders rect marks; the PNG has the PNG signature and twice the SVG\'s size', async () => {
  const svg = await renderSvg(dfsBarsSpec([{ run: 'a', policy: 'file', reads: 10, costUsd: 0.1 }, { run: 'b', policy: 'block', reads: 20, costUsd: 0.2 }]));
  assert.match(svg, /class="mark-rect role-mark/);
  assert.equal((svg.match(/<path[^>]*fill="#ff7f0e"/g) ?? []).length >= 2, true, 'block bars and legend swatch');
  const png = svgToPng(svg);
  assert.deepEqual([...png.subarray(0, 8)], [...PNG_SIGNATURE]);
  const width = Number(/width="(\d+)"/.exec(svg)![1]);
  const img = svgToImage(svg);
  assert.equal(img.width, width * 2);
});

test('text is drawn in the PNG (a font is loaded)', () => {
  const dark = (svg: string) => {
    const { rgba } = svgToImage(svg, 1);
    let n = 0;
    for (let i = 0; i < rgba.length; i += 4) if (rgba[i]! < 128) n++;
    return n;
  };
  const text = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="5" y="30" font-family="sans-serif" font-size="20" fill="#000">latency µs</text></svg>';
  const blank = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"></svg>';
  assert.equal(dark(blank), 0);
  assert.ok(dark(text) > 100, `only ${dark(text)} dark pixels: no font?`);
});

test('text widths follow DejaVu Sans, not a fixed 0.8 em per character', () => {
  assert.ok(textWidth('iiii', 10) < textWidth('mmmm', 10));
  assert.ok(Math.abs(textWidth('0123456789', 10) - 63.6) < 1);
  assert.ok(textWidth('policy', 12, true) > textWidth('policy', 12));
});
