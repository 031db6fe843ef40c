// The page's few elements and the observable state on <body>:
// data-state, data-env, data-error-kind, data-fallback (see static/README.md).

/** @typedef {'loading'|'jumping'|'left'|'fallback'|'wechat'|'launched'|'urllink'|'guide'|'desktop'|'error'} State */

// Beijing time: campaigns run on it, whatever the phone's zone.
const WHEN = { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false };

/** @param {number} unixS */
export function formatWhen(unixS) {
  try {
    return new Intl.DateTimeFormat('zh-CN', WHEN).format(new Date(unixS * 1000));
  } catch {
    return new Date(unixS * 1000).toISOString().slice(0, 16).replace('T', ' ');
  }
}

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
  const fallbackBtn = /** @type {HTMLAnchorElement} */ ($('fallback-btn'));
  const poster = /** @type {HTMLImageElement} */ ($('poster'));
  const qr = $('qr');
  const wxSlot = $('wx-slot');
  let title = texts.heading;

  doc.title = texts.title;
  heading.textContent = texts.heading;
  fallbackBtn.textContent = texts.fallbackButton;
  openBtn.textContent = texts.openButton;
  retry.textContent = texts.retry;

  let countdown = 0;

  return {
    openBtn,
    retry,
    qr,
    wxSlot,

    /**
     * The mini-program's name and icon (build-time settings).
     * @param {string} name
     * @param {string} icon
     */
    brand(name, icon) {
      if (!name && !icon) return;
      $('brand').hidden = false;
      $('brand-name').textContent = name;
      if (icon) {
        const img = /** @type {HTMLImageElement} */ ($('brand-icon'));
        img.src = icon;
        img.hidden = false;
      }
      if (name) doc.title = `${name} - ${texts.title}`;
    },

    /**
     * The campaign's title and poster from get-scheme's answer. The poster
     * loads without holding anything up (the jump never waits for it).
     * @param {{title?: string, poster?: string}} p
     */
    campaign(p) {
      if (p.title) {
        title = p.title;
        heading.textContent = p.title;
        doc.title = p.title;
      }
      if (p.poster && poster.getAttribute('src') !== p.poster) {
        poster.decoding = 'async';
        poster.src = p.poster;
        poster.hidden = false;
      }
    },

    /** @param {State} s */
    state(s) {
      body.dataset.state = s;
      if (s !== 'error') {
        fallbackBtn.hidden = true;
        heading.textContent = title;
      }
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
      const c = err.closed || {};
      this.campaign(c);
      // Never 「打开小程序」 over an error: say what is wrong.
      heading.textContent = texts.errorHeadings[err.kind] || texts.errorHeadings.default;
      if (c.startsAt && err.kind === 'not_started') {
        msg.textContent = texts.startsAt.replace('{t}', formatWhen(c.startsAt));
      } else if (c.endedAt && err.kind === 'ended') {
        msg.textContent = texts.endedAt.replace('{t}', formatWhen(c.endedAt));
      } else {
        msg.textContent = texts.errors[err.kind] || texts.errors.internal;
      }
      // No dead end: a way into the mini-program elsewhere when one is configured.
      fallbackBtn.hidden = !c.fallback;
      if (c.fallback) fallbackBtn.href = c.fallback.openlink;
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
