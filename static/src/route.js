// The one table of which environment gets which path into the mini-program
// (static/README.md, "Which path, when", shows the same table).

/**
 * @typedef {'scheme'|'openTag'|'urlLink'|'guide'|'qr'} Route
 *   scheme   ask for a weixin:// scheme, jump at once, keep a button
 *   openTag  WeChat's <wx-open-launch-weapp>, signature-free on CloudBase
 *            hosting, or signed by a 服务号 (get-scheme's …/jssdk); the URL
 *            Link is its fallback
 *   urlLink  WeChat's web view blocks weixin://: go to the https URL Link,
 *            which WeChat opens directly or through its own middle page
 *   guide    in-app browsers that block schemes: "在浏览器打开" first, the
 *            scheme as a second try
 *   qr       desktop: a QR code of this page for the phone
 */

/**
 * @param {import('./env.js').Env} env
 * @param {{cloudBase: boolean, jssdk: boolean}} s settings
 * @returns {Route}
 */
export function routeFor(env, s) {
  switch (env) {
    case 'wechat':
      return s.cloudBase || s.jssdk ? 'openTag' : 'urlLink';
    case 'wecom':
      return 'urlLink';
    case 'inapp':
      return 'guide';
    case 'desktop':
      return 'qr';
    default:
      return 'scheme';
  }
}

/** Which link get-scheme is asked for on a route: WeChat's web views need a URL Link. */
export function linkKind(route) {
  return route === 'openTag' || route === 'urlLink' ? 'urllink' : 'scheme';
}
