// Numbers as the cell diagram draws them, shared by the cell page's twin (cell_live.js) and the
// unrolled chain (chain.js): the same text, colour, text colour and wire width that Python computes.

function fmt3(v) {  // Python's f"{v:.3f}"
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Object.is(v, -0)) return "-0.000";
  // toFixed rounds the exact binary value as Python does, except an exact tie, which it rounds
  // up where Python rounds to even. A double is a tie at the third decimal only if it is an odd
  // number of sixteenths (0.0625, 0.1875, …): (2n + 1) / 2000 must be a binary fraction.
  const sixteenths = v * 16;
  if (Number.isInteger(sixteenths) && Math.abs(sixteenths) % 2 === 1) {
    let n = Math.floor(Math.abs(v) * 1000);  // exact: an odd number of sixteenths times 1000 is k + 0.5
    if (n % 2 === 1) n += 1;
    return (v < 0 ? "-" : "") + (n / 1000).toFixed(3);
  }
  return v.toFixed(3);
}

function valueColor(value, low, high, stops) {  // colors.value_color
  const position = (high === low || !Number.isFinite(value)) ? 0.5
    : Math.min(1.0, Math.max(0.0, (value - low) / (high - low)));
  let k = 0;
  while (k < stops.length - 2 && position > stops[k + 1][0]) k++;
  const [p0, c0] = stops[k], [p1, c1] = stops[k + 1];
  const weight = p1 === p0 ? 0.0 : (position - p0) / (p1 - p0);
  const [r, g, b] = c0.map((a, j) => Math.floor(a + (c1[j] - a) * weight + 0.5));
  return `rgb(${r},${g},${b})`;
}

function wireWidth(value) {  // cell_diagram.wire_width: 2 px at C = 0, 5 at |C| = 1, never saturating
  const size = Number.isFinite(value) ? Math.abs(value) : 0.0;
  return 2.0 + 8.0 * size / (1.0 + size);
}

function needsWhiteText(value, gate, bound) {  // colors.needs_white_text: low gates, strong signed values
  return gate ? value < 0.6 : Math.abs(value) > 0.6 * bound;
}
