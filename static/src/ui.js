// The page's few elements and the observable state on <body>:
// data-state, data-env, data-error-kind, data-fallback (see static/README.md).

/** @typedef {'loading'|'jumping'|'left'|'fallback'|'wechat'|'launched'|'desktop'|'error'} State */

/**
 * @param {Document} doc
 * @param {import('./texts.js').defaultTexts} texts
 */
export function createUI(doc, texts) {
  const $ = (id) => /** @type {HTMLElement} */ (doc.getElementById(id));
  const body = doc.body;
  const heading = $('heading');
  const msg = $('msg');
  const tips = $('tips');
  const detail = $('detail');
  const openBtn = /** @type {HTMLAnchorElement} */ ($('open-btn'));
  const retry = /** @type {HTMLButtonElement} */ ($('retry'));
  const qr = $('qr');
  const wxSlot = $('wx-slot');

  doc.title = texts.title;
  heading.textContent = texts.heading;
  openBtn.textContent = texts.openButton;
  retry.textContent = texts.retry;

  let countdown = 0;

  return {
    openBtn,
    retry,
    qr,
    wxSlot,

    /** @param {State} s */
    state(s) {
      body.dataset.state = s;
      if (s !== 'error') delete body.dataset.errorKind;
      if (s !== 'fallback') delete body.dataset.fallback;
    },

    env(e) {
      body.dataset.env = e;
    },

    message(text) {
      msg.textContent = text;
    },

    /** Small print under the message, e.g. WeChat's errMsg; '' hides it. */
    detail(text) {
      detail.textContent = text || '';
      detail.hidden = !text;
    },

    /** @param {string[]|null} list */
    tips(list) {
      tips.textContent = '';
      tips.hidden = !list || list.length === 0;
      // A single line reads as a caption, not as a list.
      tips.classList.toggle('single', !!list && list.length === 1);
      for (const t of list || []) {
        const li = doc.createElement('li');
        li.textContent = t;
        tips.appendChild(li);
      }
    },

    /**
     * The big "打开小程序" link. A real <a href> is what browsers trust most for
     * an app scheme: the tap itself is the navigation.
     * @param {string|null} href null hides it; '' shows it disabled (loading)
     */
    open(href) {
      openBtn.hidden = href === null;
      if (href) {
        openBtn.href = href;
        openBtn.removeAttribute('aria-disabled');
      } else {
        openBtn.removeAttribute('href');
        openBtn.setAttribute('aria-disabled', 'true');
      }
    },

    /** @param {string} reason why help is shown, for data-fallback */
    fallback(reason) {
      body.dataset.state = 'fallback';
      body.dataset.fallback = reason;
      delete body.dataset.errorKind;
    },

    /**
     * Error view: the kind's text, and a retry button only when retrying can help.
     * @param {import('./errors.js').ApiError} err
     * @param {(() => void)|null} onRetry null: no retry for this kind
     */
    error(err, onRetry) {
      this.state('error');
      body.dataset.errorKind = err.kind;
      msg.textContent = texts.errors[err.kind] || texts.errors.internal;
      this.tips(null);
      this.detail('');
      this.open(null);
      clearInterval(countdown);
      if (!onRetry) {
        retry.hidden = true;
        return;
      }
      retry.hidden = false;
      retry.onclick = () => {
        retry.hidden = true;
        onRetry();
      };
      let left = Math.ceil(err.retryAfter || 0);
      const tick = () => {
        retry.disabled = left > 0;
        retry.textContent = left > 0 ? texts.retryWait.replace('{n}', String(left)) : texts.retry;
        left -= 1;
        if (left < 0) clearInterval(countdown);
      };
      tick();
      if (left >= 0) countdown = setInterval(tick, 1000);
    },

    hideRetry() {
      clearInterval(countdown);
      retry.hidden = true;
    },
  };
}
