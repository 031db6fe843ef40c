// Desktop view: a QR code of the page's own link, to scan with the phone.
// Encoding is qrcode-generator's; this file only draws its module matrix as SVG.

import qrcode from 'qrcode-generator';

const SVG_NS = 'http://www.w3.org/2000/svg';
const QUIET_ZONE = 4; // modules of white border the QR spec asks for

/**
 * The text to encode: the page URL without its fragment, in ASCII only
 * (qrcode-generator's byte mode drops the high byte of non-Latin-1 characters).
 * @param {string} href
 */
export function qrText(href) {
  const u = new URL(href);
  u.hash = '';
  return u.href.replace(/[^\x21-\x7e]/g, (ch) => encodeURIComponent(ch));
}

/**
 * One SVG path ("M x y h1 v1 h-1 z" per run of dark modules in a row) for the
 * whole code: a few KB of DOM instead of one element per module.
 * @param {{getModuleCount(): number, isDark(r: number, c: number): boolean}} code
 */
export function qrPath(code) {
  const n = code.getModuleCount();
  let d = '';
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!code.isDark(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && code.isDark(r, c)) c++;
      d += `M${start + QUIET_ZONE} ${r + QUIET_ZONE}h${c - start}v1h${start - c}z`;
    }
  }
  return { d, size: n + 2 * QUIET_ZONE };
}

/**
 * Draws the QR code of `text` into `el` (replacing its content).
 * @param {HTMLElement} el
 * @param {string} text
 * @param {string} label accessible name of the image
 */
export function renderQR(el, text, label) {
  // Type 0 = smallest version that fits; M recovers ~15 % damage, enough on screen.
  const code = qrcode(0, 'M');
  code.addData(text, 'Byte');
  code.make();
  // No destructuring in page code: esbuild cannot lower it for Safari < 15.
  const p = qrPath(code);
  const size = p.size;
  const doc = el.ownerDocument;
  const svg = doc.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  const bg = doc.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', String(size));
  bg.setAttribute('height', String(size));
  bg.setAttribute('fill', '#fff');
  const fg = doc.createElementNS(SVG_NS, 'path');
  fg.setAttribute('d', p.d);
  fg.setAttribute('fill', '#000');
  svg.append(bg, fg);
  el.textContent = '';
  el.appendChild(svg);
  el.dataset.qrText = text;
  el.hidden = false;
}
