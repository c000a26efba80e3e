/** The HTML evaluation report, with the confusion matrix drawn as an SVG heat map. */
export interface ReportInput {
  summary: string[];
  variants: string[];
  thresholds: string[];
  perIntent: string[];
  confusions: string[];
  /** [expected, predicted] per question. */
  predictions: [string, string][];
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);

function markdownTable(rows: string[]): string {
  const cells = (row: string) =>
    row
      .split('|')
      .slice(1, -1)
      .map((c) => escapeHtml(c.trim()));
  const [head, , ...body] = rows;
  return `<table><tr>${cells(head!)
    .map((c) => `<th>${c}</th>`)
    .join('')}</tr>${body
    .map(
      (row) =>
        `<tr>${cells(row)
          .map((c) => `<td>${c}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</table>`;
}

function confusionSvg(predictions: [string, string][]): string {
  const labels = [...new Set(predictions.flat())].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const counts = labels.map(() => labels.map(() => 0));
  for (const [expected, predicted] of predictions) counts[index.get(expected)!]![index.get(predicted)!]! += 1;
  const cell = 14;
  const margin = 230;
  const size = margin + labels.length * cell;
  const rects = counts.flatMap((row, r) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return row.map((n, c) => {
      if (n === 0) return '';
      const shade = Math.round(255 * (1 - n / total));
      const colour = r === c ? `rgb(${shade},${shade},255)` : `rgb(255,${shade},${shade})`;
      return `<rect x="${margin + c * cell}" y="${margin + r * cell}" width="${cell}" height="${cell}" fill="${colour}"><title>${escapeHtml(labels[r]!)} -> ${escapeHtml(labels[c]!)}: ${n}</title></rect>`;
    });
  });
  const rowLabels = labels.map((l, i) => `<text x="${margin - 4}" y="${margin + i * cell + 11}" text-anchor="end">${escapeHtml(l)}</text>`);
  const colLabels = labels.map((l, i) => `<text transform="translate(${margin + i * cell + 10},${margin - 4}) rotate(-60)">${escapeHtml(l)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" font-size="10" font-family="sans-serif" role="img" aria-label="Confusion matrix: rows expected, columns predicted">
<rect x="${margin}" y="${margin}" width="${labels.length * cell}" height="${labels.length * cell}" fill="none" stroke="#ccc"/>
${rects.join('')}${rowLabels.join('')}${colLabels.join('')}</svg>`;
}

export function confusionReport(input: ReportInput): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intent evaluation</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;font-size:13px}</style></head><body>
<h1>Intent evaluation</h1><ul>${input.summary.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>
<h2>Classifier and feature choices</h2>${markdownTable(input.variants)}
<h2>Answer thresholds (5-fold cross-validation, best first)</h2>${markdownTable(input.thresholds)}
<h2>Confusion matrix (rows: expected, columns: predicted; held-out and off-topic)</h2>${confusionSvg(input.predictions)}
<h2>Confusion pairs</h2><pre>${escapeHtml(input.confusions.join('\n') || '(none)')}</pre>
<h2>Per intent</h2>${markdownTable(input.perIntent)}
</body></html>`;
}
