// Entry point of the H5 relay page: read the link, pick the way to open the
// mini-program for this browser, and keep the user informed when it fails.

import { fetchScheme } from './api.js';
import { detectEnv } from './env.js';
import { ApiError, isRetryable } from './errors.js';
import { isStale, watchJump } from './jump.js';
import { readParams } from './params.js';
import { loadSettings } from './settings.js';
import { createUI } from './ui.js';
import { configure, createOpenTag, JSSDK_URL, loadScript, tagPath, WeChatError } from './wechat.js';

const settings = loadSettings(window.SMSJUMP_CONFIG);
const t = settings.texts;
const ui = createUI(document, t);
const env = detectEnv(navigator.userAgent, navigator.maxTouchPoints || 0);
ui.env(env);

/** @type {{c: string, k?: string, cq?: string}} */
let params;
/** @type {import('./api.js').Scheme|null} */
let scheme = null;
let stopWatch = () => {};

function start() {
  if (env === 'desktop') desktop();
  else if (env === 'wechat') wechat();
  else mobile();
}

function getScheme() {
  return fetchScheme(settings.apiURL, params, {
    baseHref: location.href,
    timeoutMs: settings.requestTimeoutMs,
  });
}

/**
 * @param {unknown} err
 * @param {(() => void)|null} again what the retry button runs, for retryable kinds
 */
function showError(err, again) {
  // Anything that is not an ApiError is a bug in this page: say "internal".
  const e = err instanceof ApiError ? err : new ApiError('internal', { cause: err });
  ui.error(e, again && isRetryable(e.kind) ? again : null);
}

function loading() {
  ui.state('loading');
  ui.message(t.loading);
  ui.tips(null);
  ui.detail('');
}

// ---- desktop: nothing to open here; hand the link to the phone. No API call:
// the phone asks for a fresh scheme when it opens the link, and a scheme fetched
// now could expire before the scan.
async function desktop() {
  const qr = await import('./qr.js');
  ui.state('desktop');
  ui.message(t.desktop);
  ui.tips([t.desktopHint]);
  ui.open(null);
  qr.renderQR(ui.qr, qr.qrText(location.href), t.desktop);
}

// ---- mobile browsers (and in-app browsers other than WeChat): URL Scheme.

async function mobile() {
  loading();
  ui.open('');
  try {
    scheme = await getScheme();
  } catch (err) {
    showError(err, mobile);
    return;
  }
  ui.open(scheme.openlink);
  ui.openBtn.onclick = onOpenClick;
  jumping();
  // Browsers may block a jump that no tap started; the button stays for that.
  location.href = scheme.openlink;
}

function jumping() {
  ui.state('jumping');
  ui.message(t.jumping);
  ui.tips(null);
  stopWatch();
  stopWatch = watchJump(window, document, settings.fallbackDelayMs, {
    stay() {
      ui.fallback('timeout');
      ui.message(t.fallback);
      ui.tips([...t.fallbackTips, t.fallbackRetry]);
    },
    leave() {
      ui.state('left');
    },
    back() {
      ui.message(t.returned);
    },
  });
}

/** @param {MouseEvent} ev */
async function onOpenClick(ev) {
  if (!scheme) return;
  if (!isStale(scheme.expiresAt, Date.now())) {
    // The link's own navigation does the jump; only watch what follows.
    jumping();
    return;
  }
  // The page stayed open past the scheme's validity: fetch a new one first.
  ev.preventDefault();
  await mobile();
}

// ---- inside WeChat: the open tag, which needs a user tap.
async function wechat() {
  loading();
  ui.open(null);
  let s;
  try {
    // Asked even though WeChat cannot follow the openlink: it validates the link
    // and the campaign window, and may carry the target's path and query.
    s = await getScheme();
  } catch (err) {
    showError(err, wechat);
    return;
  }
  try {
    if (!settings.appId || !settings.originalId) throw new WeChatError('not_configured');
    await loadScript(document, JSSDK_URL, settings.requestTimeoutMs);
    const tag = createOpenTag(document, {
      username: settings.originalId,
      path: s.path ? tagPath(s.path, s.query) : tagPath(settings.path),
      envVersion: s.envVersion || settings.envVersion,
      label: t.openButton,
    });
    tag.addEventListener('launch', () => {
      ui.state('launched');
      ui.message(t.launched);
    });
    tag.addEventListener('error', (ev) => {
      const d = /** @type {CustomEvent} */ (ev).detail;
      wechatFallback(new WeChatError('launch_error', (d && d.errMsg) || ''));
    });
    // Fired after wx.config when this WeChat cannot render open tags at all.
    document.addEventListener('WeixinOpenTagsError', (ev) => {
      const d = /** @type {CustomEvent} */ (ev).detail;
      wechatFallback(new WeChatError('open_tag', (d && d.errMsg) || ''));
    });
    // In the DOM (and not display:none) before wx.config, as with a static tag:
    // WeChat sizes the tag's frame when it renders it.
    ui.wxSlot.hidden = false;
    ui.wxSlot.appendChild(tag);
    await configure(window.wx, settings.appId, settings.requestTimeoutMs, wechatFallback);
    ui.state('wechat');
    ui.message(t.wechat);
  } catch (err) {
    wechatFallback(err instanceof WeChatError ? err : new WeChatError('sdk_load', String(err)));
  }
}

/** @param {WeChatError} err */
function wechatFallback(err) {
  ui.wxSlot.hidden = true;
  ui.fallback(err.reason);
  ui.message(t.wechatFallback);
  ui.tips(t.wechatFallbackTips);
  ui.detail(err.detail);
}

try {
  params = readParams(location.search);
  start();
} catch (err) {
  showError(err, null);
}
