// Funnel beacons: tell get-scheme what the page did (jump attempted, open tag
// launched, URL Link followed, help shown, button tapped, QR code shown), so
// the campaign report can count it. navigator.sendBeacon queues the request
// and returns at once, and the browser still sends it when the page goes away
// (which a jump does): a beacon never delays or blocks the jump. It is a POST
// without a body, a "simple" request: no CORS preflight, no cookies.

/** Events get-scheme accepts on /beacon. */
export const EVENTS = Object.freeze(['jump', 'launch', 'urllink', 'fallback', 'button', 'qr']);

/**
 * URL of a beacon: get-scheme's URL with /beacon appended to its path, and
 * only c, k and e in the query.
 * @param {string} apiURL absolute, or relative to baseHref
 * @param {string} baseHref
 * @param {{c: string, k?: string}} params
 * @param {string} event
 */
export function beaconURL(apiURL, baseHref, params, event) {
  const u = new URL(apiURL, baseHref);
  u.pathname = u.pathname.replace(/\/*$/, '') + '/beacon';
  u.search = '';
  u.hash = '';
  u.searchParams.set('c', params.c);
  if (params.k) u.searchParams.set('k', params.k);
  u.searchParams.set('e', event);
  return u.href;
}

/**
 * Returns send(event): each known event at most once per page load (a
 * second tap is not a second visitor), never throwing.
 * @param {{sendBeacon?: (url: string) => boolean}} nav navigator
 * @param {string} apiURL
 * @param {string} baseHref
 * @param {() => ({c: string, k?: string}|undefined)} getParams
 */
export function createBeacons(nav, apiURL, baseHref, getParams) {
  const sent = new Set();
  return function send(event) {
    const params = getParams();
    if (!EVENTS.includes(event) || sent.has(event) || !params || !params.c) return false;
    sent.add(event);
    try {
      return typeof nav.sendBeacon === 'function' ? nav.sendBeacon(beaconURL(apiURL, baseHref, params, event)) : false;
    } catch {
      return false; // a full beacon queue or a blocked URL must not break the page
    }
  };
}
