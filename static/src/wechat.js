// Inside WeChat a page cannot follow weixin:// links; it opens a mini-program
// only through the open tag <wx-open-launch-weapp>, tapped by the user, after
// the JS-SDK's wx.config (PLATFORM.md, "Open tag").

/** The one remote script the page loads, pinned to the version the open tag needs. */
export const JSSDK_URL = 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js';

/** Kinds of failure that set body[data-fallback] inside WeChat. */
export class WeChatError extends Error {
  /**
   * @param {'not_configured'|'sdk_load'|'wx_config'|'wx_timeout'|'open_tag'|'launch_error'} reason
   * @param {string} [detail] WeChat's errMsg, shown small to the user
   */
  constructor(reason, detail = '') {
    super(`wechat: ${reason}${detail ? `: ${detail}` : ''}`);
    this.name = 'WeChatError';
    this.reason = reason;
    this.detail = detail;
  }
}

/**
 * Loads a classic script once.
 * @param {Document} doc
 * @param {string} src
 * @param {number} timeoutMs
 * @returns {Promise<void>}
 */
export function loadScript(doc, src, timeoutMs) {
  return new Promise((resolve, reject) => {
    const s = doc.createElement('script');
    const timer = setTimeout(() => reject(new WeChatError('sdk_load', 'timeout')), timeoutMs);
    s.src = src;
    s.async = true;
    s.onload = () => {
      clearTimeout(timer);
      resolve();
    };
    s.onerror = () => {
      clearTimeout(timer);
      reject(new WeChatError('sdk_load'));
    };
    doc.head.appendChild(s);
  });
}

/**
 * @typedef {object} Signature a service account's JS-SDK signature of this page
 * @property {string} appId the service account's AppID
 * @property {number} timestamp
 * @property {string} nonceStr
 * @property {string} signature
 */

/**
 * wx.config, signature-free (accepted only for pages on CloudBase static
 * hosting of the same mini-program) or with a service account's signature
 * (any JS-safe domain of that account); a refused config fires wx.error
 * ("invalid signature") and the caller shows the fallback.
 * Some WeChat versions call ready and then error for a refused config, so an
 * error after ready still reaches the caller, through onLateError.
 * @param {any} wx the JS-SDK global
 * @param {string} appId
 * @param {number} timeoutMs
 * @param {(err: WeChatError) => void} [onLateError]
 * @param {Signature|null} [sig] from get-scheme's …/jssdk
 * @returns {Promise<void>} resolves on wx.ready
 */
export function configure(wx, appId, timeoutMs, onLateError, sig) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(new WeChatError('wx_timeout'));
    }, timeoutMs);
    wx.ready(() => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve();
    });
    wx.error((res) => {
      const err = new WeChatError('wx_config', (res && res.errMsg) || '');
      clearTimeout(timer);
      if (!settled) {
        settled = true;
        reject(err);
      } else if (onLateError) {
        onLateError(err);
      }
    });
    wx.config({
      debug: false,
      appId: sig ? sig.appId : appId,
      timestamp: sig ? sig.timestamp : 0,
      nonceStr: sig ? sig.nonceStr : 'nonce',
      signature: sig ? sig.signature : 'signature',
      jsApiList: ['chooseImage'],
      openTagList: ['wx-open-launch-weapp'],
    });
  });
}

/**
 * Path attribute of the open tag: page path plus "?query", no leading slash.
 * @param {string} path
 * @param {string} [query]
 */
export function tagPath(path, query) {
  const p = (path || '').replace(/^\/+/, '');
  if (!query) return p;
  return `${p}?${query.replace(/^\?/, '')}`;
}

const escapeHTML = (s) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/**
 * Creates the open tag. Its button lives in a template WeChat renders in an
 * isolated frame, so it carries its own style; page CSS does not reach it.
 * @param {Document} doc
 * @param {{username: string, path: string, envVersion: string, label: string}} o
 * @returns {HTMLElement}
 */
export function createOpenTag(doc, o) {
  const tag = doc.createElement('wx-open-launch-weapp');
  tag.id = 'wx-launch';
  tag.setAttribute('username', o.username);
  if (o.path) tag.setAttribute('path', o.path);
  if (o.envVersion && o.envVersion !== 'release') tag.setAttribute('env-version', o.envVersion);
  const tpl = doc.createElement('script');
  tpl.type = 'text/wxtag-template';
  tpl.textContent =
    '<style>.b{display:block;box-sizing:border-box;width:100%;min-height:52px;margin:0;padding:12px 16px;' +
    'border:0;border-radius:12px;background:#07c160;color:#fff;font-size:18px;font-weight:600;' +
    'font-family:-apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei",sans-serif}</style>' +
    `<button class="b">${escapeHTML(o.label)}</button>`;
  tag.appendChild(tpl);
  return tag;
}
