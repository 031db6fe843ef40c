// Where the page runs, from the user agent. Which way the page then opens the
// mini-program is decided in route.js, in one table.

/** @typedef {'wechat'|'wecom'|'inapp'|'mobile'|'desktop'} Env */

const MOBILE = /Android|iPhone|iPod|iPad|Mobile|HarmonyOS|OpenHarmony|Windows Phone/i;

// In-app browsers that block weixin:// schemes (and so WeChat's URL Link
// middle page too): QQ, Weibo, DingTalk, Alipay, Douyin, Toutiao,
// Xiaohongshu. " QQ/" is the QQ app; "MQQBrowser" alone is QQ Browser, a
// real browser that asks before opening WeChat.
const IN_APP = / QQ\/\d|Weibo|__weibo__|DingTalk|AlipayClient|aweme|NewsArticle|xhsdiscover/i;

/**
 * @param {string} ua navigator.userAgent
 * @param {number} [maxTouchPoints] navigator.maxTouchPoints
 * @returns {Env}
 */
export function detectEnv(ua, maxTouchPoints = 0) {
  const u = ua || '';
  // iPadOS Safari asks for desktop sites and says "Macintosh"; only touch tells.
  const mobile = MOBILE.test(u) || (/Macintosh/.test(u) && maxTouchPoints > 1);
  // WeChat for Windows/Mac cannot follow a scheme and the open tag is a mobile
  // feature there too: show the QR code to scan with the phone.
  if (!mobile) return 'desktop';
  // WeCom (企业微信) also says MicroMessenger but has no open tag for
  // mini-programs of other subjects.
  if (/wxwork/i.test(u)) return 'wecom';
  if (/MicroMessenger/i.test(u)) return 'wechat';
  if (IN_APP.test(u)) return 'inapp';
  return 'mobile';
}
