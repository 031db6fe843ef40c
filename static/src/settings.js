// Runtime settings: window.SMSJUMP_CONFIG (written by build.mjs into config.js,
// which deploy may rewrite) over built-in defaults.

import { defaultTexts } from './texts.js';

/**
 * @typedef {object} Settings
 * @property {string} apiURL      get-scheme URL, absolute or relative to the page
 * @property {string} appId       mini-program AppID (wx…), for wx.config
 * @property {string} originalId  mini-program original id (gh_…), open tag username
 * @property {string} envVersion  release | trial | develop
 * @property {string} path        default open-tag page path (+ ?query); '' = home page
 * @property {number} requestTimeoutMs
 * @property {number} fallbackDelayMs time after a jump before help is shown
 * @property {boolean} cloudBase  the page is on CloudBase static hosting of the
 *   mini-program: WeChat accepts the signature-free open tag there
 * @property {boolean} jssdk     get-scheme signs pages with a 服务号 (…/jssdk):
 *   the open tag works on any JS-safe domain of that account
 * @property {string} brandName   the mini-program's name, shown on the page
 * @property {string} brandIcon   its icon (https URL or a path on this site)
 * @property {typeof defaultTexts} texts
 */

export const DEFAULTS = Object.freeze({
  apiURL: '/api/scheme',
  appId: '',
  originalId: '',
  envVersion: 'release',
  path: '',
  requestTimeoutMs: 10000,
  fallbackDelayMs: 2500,
  cloudBase: false,
  jssdk: false,
  brandName: '',
  brandIcon: '',
});

/**
 * @param {unknown} raw the value of window.SMSJUMP_CONFIG (may be missing)
 * @returns {Settings}
 */
export function loadSettings(raw) {
  const r = raw && typeof raw === 'object' ? /** @type {Record<string, any>} */ (raw) : {};
  const str = (name) => (typeof r[name] === 'string' && r[name] !== '' ? r[name] : DEFAULTS[name]);
  const num = (name) => (typeof r[name] === 'number' && r[name] > 0 ? r[name] : DEFAULTS[name]);
  return {
    apiURL: str('apiURL'),
    appId: str('appId'),
    originalId: str('originalId'),
    envVersion: str('envVersion'),
    path: str('path'),
    requestTimeoutMs: num('requestTimeoutMs'),
    fallbackDelayMs: num('fallbackDelayMs'),
    cloudBase: r.cloudBase === true,
    jssdk: r.jssdk === true,
    brandName: str('brandName'),
    brandIcon: str('brandIcon'),
    texts: mergeTexts(defaultTexts, r.texts),
  };
}

// Overrides replace texts of the same name and type only, so a typo in a deploy
// variable cannot blank the page.
function mergeTexts(base, over) {
  if (!over || typeof over !== 'object') return base;
  const out = Object.assign({}, base);
  for (const key of Object.keys(base)) {
    const b = base[key];
    const o = over[key];
    if (typeof b === 'string' && typeof o === 'string' && o !== '') out[key] = o;
    else if (Array.isArray(b) && Array.isArray(o) && o.every((x) => typeof x === 'string')) out[key] = o;
    else if (b && typeof b === 'object' && !Array.isArray(b)) out[key] = mergeTexts(b, o);
  }
  return out;
}
