// After a jump to weixin://…, the only sign that WeChat opened is that this page
// went to the background. If it is still in front after a short delay the jump
// was blocked, declined, or WeChat is not installed, and the user needs help.

/**
 * @typedef {object} JumpHandlers
 * @property {() => void} stay   still visible after delayMs: show help
 * @property {() => void} leave  page hidden: WeChat (or a chooser) took over
 * @property {() => void} back   visible again after leave (or restored from bfcache)
 */

/**
 * Watches the page after a jump. Call it right before (or in the click of) the
 * navigation; the returned function stops watching. `blur` is deliberately not
 * used: iOS fires it for its own "open in WeChat?" dialog, declined or not.
 * @param {EventTarget} win window (pagehide, pageshow)
 * @param {EventTarget & {visibilityState: string}} doc document (visibilitychange)
 * @param {number} delayMs
 * @param {JumpHandlers} h
 * @returns {() => void} cancel
 */
export function watchJump(win, doc, delayMs, h) {
  let left = false;
  let timer = setTimeout(() => {
    timer = 0;
    if (!left && doc.visibilityState !== 'hidden') h.stay();
  }, delayMs);

  const hidden = () => {
    if (left) return;
    left = true;
    clearTimeout(timer);
    timer = 0;
    h.leave();
  };
  const shown = () => {
    if (left) h.back();
  };
  const onVisibility = () => (doc.visibilityState === 'hidden' ? hidden() : shown());

  doc.addEventListener('visibilitychange', onVisibility);
  win.addEventListener('pagehide', hidden);
  win.addEventListener('pageshow', shown);
  return () => {
    clearTimeout(timer);
    doc.removeEventListener('visibilitychange', onVisibility);
    win.removeEventListener('pagehide', hidden);
    win.removeEventListener('pageshow', shown);
  };
}

/**
 * Whether a scheme that expires at `expiresAt` (unix s, 0 = never) should be
 * fetched again before use. A margin covers clock skew and the time the user
 * needs to confirm the system prompt.
 */
export function isStale(expiresAt, nowMs, marginS = 60) {
  return expiresAt > 0 && nowMs / 1000 >= expiresAt - marginS;
}
