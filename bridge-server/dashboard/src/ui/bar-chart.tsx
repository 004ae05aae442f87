/**
 * A small bar chart in plain SVG (one series, a few dozen bars): a chart library
 * would add more weight than this whole page. The numbers are also in a table for
 * screen readers.
 */
export function BarChart({ title, data }: { title: string; data: Array<{ label: string; value: number }> }) {
  const width = 720;
  const height = 180;
  const pad = { top: 10, right: 8, bottom: 24, left: 40 };
  const max = Math.max(1, ...data.map((d) => d.value));
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const barW = data.length ? innerW / data.length : innerW;
  // A max of 1 rounds its half up to 1: one tick per distinct value.
  const ticks = [...new Set([0, Math.round(max / 2), max])];
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: chart`} preserveAspectRatio="none">
        {ticks.map((t) => {
          const y = pad.top + innerH - (t / max) * innerH;
          return (
            <g key={t}>
              <line x1={pad.left} x2={width - pad.right} y1={y} y2={y} className="grid" />
              <text x={pad.left - 6} y={y + 4} textAnchor="end" className="tick">
                {t}
              </text>
            </g>
          );
        })}
        {data.map((d, i) => {
          const h = (d.value / max) * innerH;
          return (
            <rect key={d.label} x={pad.left + i * barW + 1} y={pad.top + innerH - h} width={Math.max(1, barW - 2)} height={h} className="bar">
              <title>{`${d.label}: ${d.value}`}</title>
            </rect>
          );
        })}
        {data.length > 0 && (
          <>
            <text x={pad.left} y={height - 6} className="tick">
              {data[0]!.label}
            </text>
            <text x={width - pad.right} y={height - 6} textAnchor="end" className="tick">
              {data[data.length - 1]!.label}
            </text>
          </>
        )}
      </svg>
      <figcaption>{title}</figcaption>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <tbody>
          {data.map((d) => (
            <tr key={d.label}>
              <th scope="row">{d.label}</th>
              <td>{d.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
