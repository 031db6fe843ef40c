// Where the page runs, from the user agent: that decides how it opens the
// mini-program (open tag, URL Scheme, or a QR code to scan).

/** @typedef {'wechat'|'mobile'|'desktop'} Env */

const MOBILE = /Android|iPhone|iPod|iPad|Mobile|HarmonyOS|OpenHarmony|Windows Phone/i;

/**
 * @param {string} ua navigator.userAgent
 * @param {number} [maxTouchPoints] navigator.maxTouchPoints
 * @returns {Env}
 */
export function detectEnv(ua, maxTouchPoints = 0) {
  const u = ua || '';
  // iPadOS Safari asks for desktop sites and says "Macintosh"; only touch tells.
  const mobile = MOBILE.test(u) || (/Macintosh/.test(u) && maxTouchPoints > 1);
  // WeCom (企业微信) also says MicroMessenger but has no open tag for
  // mini-programs of other subjects: treat it as any in-app browser.
  // WeChat for Windows/Mac cannot follow a scheme and the open tag is a mobile
  // feature there too: show the QR code to scan with the phone.
  if (/MicroMessenger/i.test(u) && !/wxwork/i.test(u) && mobile) return 'wechat';
  return mobile ? 'mobile' : 'desktop';
}
