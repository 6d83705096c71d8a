/** A horizontal bar chart as a standalone SVG: one bar per row, its value printed beside it. */
export function barChartSvg(
  title: string,
  unit: string,
  bars: { label: string; value: number }[],
): string {
  const labelW = 330;
  const barW = 420;
  const rowH = 28;
  const top = 40;
  const width = labelW + barW + 110;
  const height = top + bars.length * rowH + 20;
  const max = Math.max(...bars.map((b) => b.value), 1);
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const rows = bars.map((b, i) => {
    const y = top + i * rowH;
    const w = Math.max(1, (b.value / max) * barW);
    const colour = b.label.startsWith('BullMQ') ? '#d9822b' : '#2b6cb0';
    return [
      `<text x="${labelW - 8}" y="${y + 18}" text-anchor="end">${esc(b.label)}</text>`,
      `<rect x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${colour}"/>`,
      `<text x="${labelW + w + 6}" y="${y + 18}">${Math.round(b.value).toLocaleString('en-US')} ${esc(unit)}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="24" font-size="15" font-weight="bold">${esc(title)}</text>`,
    ...rows,
    '</svg>',
    '',
  ].join('\n');
}
