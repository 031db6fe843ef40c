// Entry point of the H5 relay page: read the link, pick the way to open the
// mini-program for this browser (route.js), and keep the user informed when
// it fails.

import { fetchScheme, fetchSignature } from './api.js';
import { createBeacons } from './beacon.js';
import { detectEnv } from './env.js';
import { ApiError, isRetryable } from './errors.js';
import { isStale, watchJump } from './jump.js';
import { readParams } from './params.js';
import { linkKind, routeFor } from './route.js';
import { loadSettings } from './settings.js';
import { createUI } from './ui.js';
import { configure, createOpenTag, JSSDK_URL, loadScript, tagPath, WeChatError } from './wechat.js';

const settings = loadSettings(window.SMSJUMP_CONFIG);
const t = settings.texts;
const ui = createUI(document, t);
const env = detectEnv(navigator.userAgent, navigator.maxTouchPoints || 0);
const route = routeFor(env, settings);
ui.env(env);
document.body.dataset.route = route;
ui.brand(settings.brandName, settings.brandIcon);

/** @type {{c: string, k?: string, cq?: string}} */
let params;
/** @type {import('./api.js').Scheme|null} */
let scheme = null;
let stopWatch = () => {};
// Funnel beacons to get-scheme; each sent at most once, never blocking.
const beacon = createBeacons(navigator, settings.apiURL, location.href, () => params);

function start() {
  switch (route) {
    case 'qr':
      return desktop();
    case 'openTag':
      return wechat();
    case 'urlLink':
      return urlLink();
    case 'guide':
      return guide();
    default:
      return mobile();
  }
}

function getScheme() {
  const p = linkKind(route) === 'urllink' ? { ...params, link: 'urllink' } : params;
  return fetchScheme(settings.apiURL, p, {
    baseHref: location.href,
    timeoutMs: settings.requestTimeoutMs,
  });
}

// Answers that say the link itself cannot open its target (not a passing failure).
const CLOSED = new Set(['invalid_link', 'not_found', 'not_started', 'ended', 'bad_request']);

/**
 * @param {unknown} err
 * @param {(() => void)|null} again what the retry button runs, for retryable kinds
 */
function showError(err, again) {
  // Anything that is not an ApiError is a bug in this page: say "internal".
  const e = err instanceof ApiError ? err : new ApiError('internal', { cause: err });
  // A desktop cannot follow a weixin:// fallback.
  if (env === 'desktop') delete e.closed.fallback;
  ui.error(e, again && isRetryable(e.kind) ? again : null);
}

function loading() {
  ui.state('loading');
  ui.message(t.loading);
  ui.tips(null);
  ui.detail('');
}

// ---- desktop: nothing to open here; hand the link to the phone. The API is
// asked only to learn whether the link still works (an ended campaign gets no
// QR code); the phone asks for its own scheme when it opens the link.
async function desktop() {
  loading();
  ui.open(null);
  try {
    ui.campaign(await getScheme());
  } catch (err) {
    if (err instanceof ApiError && CLOSED.has(err.kind)) {
      showError(err, null);
      return;
    }
    // A passing failure here says nothing about the phone's chances.
  }
  const qr = await import('./qr.js');
  ui.state('desktop');
  ui.message(t.desktop);
  ui.tips([t.desktopHint]);
  qr.renderQR(ui.qr, qr.qrText(location.href), t.desktop);
  beacon('qr');
}

// ---- mobile browsers: URL Scheme, jump at once, keep the button.
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
  beacon('jump');
  location.href = scheme.openlink;
  ui.campaign(scheme);
}

function jumping() {
  ui.state('jumping');
  ui.message(t.jumping);
  ui.tips(null);
  stopWatch();
  stopWatch = watchJump(window, document, settings.fallbackDelayMs, {
    stay() {
      beacon('fallback');
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
  beacon('button');
  if (!isStale(scheme.expiresAt, Date.now())) {
    // The link's own navigation does the jump; only watch what follows.
    if (scheme.mode !== 'urllink') jumping();
    return;
  }
  // The page stayed open past the link's validity: fetch a new one first.
  ev.preventDefault();
  await start();
}

// ---- in-app browsers that block schemes (QQ, Weibo…): the way out comes
// first; the scheme is only a second try behind a button.
async function guide() {
  ui.state('guide');
  ui.message(t.guide);
  ui.tips(t.guideTips);
  ui.open('');
  ui.openBtn.textContent = t.guideTry;
  try {
    scheme = await getScheme();
  } catch (err) {
    showError(err, guide);
    return;
  }
  ui.open(scheme.openlink);
  ui.openBtn.onclick = onOpenClick;
  ui.campaign(scheme);
}

// ---- WeChat (and WeCom) off CloudBase hosting: the web view blocks
// weixin://, the https URL Link is what WeChat opens itself (directly, or
// through its own middle page).
async function urlLink() {
  loading();
  ui.open('');
  try {
    scheme = await getScheme();
  } catch (err) {
    showError(err, urlLink);
    return;
  }
  ui.open(scheme.openlink);
  ui.openBtn.onclick = onOpenClick;
  ui.state('urllink');
  ui.message(t.urlLink);
  ui.tips(env === 'wecom' ? [...t.urlLinkTips, t.guideTips[1]] : t.urlLinkTips);
  beacon('urllink');
  location.href = scheme.openlink;
  ui.campaign(scheme);
}

// ---- WeChat on CloudBase hosting: the open tag, which needs a user tap; the
// URL Link is the way out when the tag cannot work.
async function wechat() {
  loading();
  ui.open(null);
  let s;
  try {
    // The answer validates the link and the campaign window, carries the
    // target's path and query for the tag, and a URL Link for the fallback.
    s = scheme = await getScheme();
  } catch (err) {
    showError(err, wechat);
    return;
  }
  ui.campaign(s);
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
      beacon('launch');
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
    // Off CloudBase hosting the open tag needs the 服务号's signature of this page.
    let sig = null;
    if (!settings.cloudBase && settings.jssdk) {
      sig = await fetchSignature(settings.apiURL, location.href, {
        baseHref: location.href,
        timeoutMs: settings.requestTimeoutMs,
      }).catch((err) => {
        throw new WeChatError('wx_config', `signature: ${err.kind || err}`);
      });
    }
    await configure(window.wx, settings.appId, settings.requestTimeoutMs, wechatFallback, sig);
    ui.state('wechat');
    ui.message(t.wechat);
  } catch (err) {
    wechatFallback(err instanceof WeChatError ? err : new WeChatError('sdk_load', String(err)));
  }
}

/** @param {WeChatError} err */
function wechatFallback(err) {
  beacon('fallback');
  ui.wxSlot.hidden = true;
  ui.fallback(err.reason);
  ui.message(t.wechatFallback);
  ui.detail(err.detail);
  if (scheme && scheme.mode === 'urllink') {
    // The URL Link opens the mini-program without the tag.
    ui.open(scheme.openlink);
    ui.openBtn.onclick = onOpenClick;
    ui.tips(t.urlLinkTips);
  } else {
    ui.tips(t.wechatFallbackTips);
  }
}

try {
  params = readParams(location.search);
  start();
} catch (err) {
  showError(err, null);
}
