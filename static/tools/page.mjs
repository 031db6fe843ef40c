// Turns the source index.html (which links src/style.css and src/main.js, as an
// editor sees them) into the deployed one: CSS inlined, bundle name swapped in.

export const CSS_TAG = '<link rel="stylesheet" href="src/style.css">';
export const ENTRY_TAG = '<script type="module" src="src/main.js"></script>';

/**
 * @param {string} html source index.html
 * @param {{css: string, entry: string}} o minified CSS and the bundle's file name
 * @returns {string}
 */
export function assembleHTML(html, o) {
  for (const tag of [CSS_TAG, ENTRY_TAG]) {
    if (html.split(tag).length !== 2) throw new Error(`index.html must contain ${tag} exactly once`);
  }
  if (!/^[\w.-]+\.js$/.test(o.entry)) throw new Error(`bad bundle name ${o.entry}`);
  if (/<\/style/i.test(o.css)) throw new Error('CSS must not contain </style');
  const out = html
    .replace(CSS_TAG, () => `<style>${o.css.trim()}</style>`)
    .replace(ENTRY_TAG, () => `<script type="module" src="${o.entry}"></script>`);
  return collapseWhitespace(out);
}

// The template has no <pre> or whitespace-sensitive text between tags, so
// whitespace between tags and leading indentation can go.
function collapseWhitespace(html) {
  return html
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n')
    .replace(/>\n</g, '><')
    .concat('\n');
}
