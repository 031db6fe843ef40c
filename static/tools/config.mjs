// config.js for the H5 page, from deploy-time environment variables. Kept apart
// from build.mjs so deploy can rewrite config.js without bundling (--config-only)
// and tests can check the validation.

export const ENV_VERSIONS = ['release', 'trial', 'develop'];

/** Thrown with every problem at once, so one deploy run shows all of them. */
export class ConfigError extends Error {
  /** @param {string[]} problems */
  constructor(problems) {
    super(`invalid H5 configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const TEXT_KEYS = new Set([
  'title', 'heading', 'loading', 'openButton', 'jumping', 'fallback', 'fallbackTips', 'fallbackRetry',
  'returned', 'wechat', 'wechatFallback', 'wechatFallbackTips', 'launched', 'desktop', 'desktopHint',
  'retry', 'retryWait', 'errors', 'urlLink', 'urlLinkTips', 'guide', 'guideTips', 'guideTry', 'startsAt', 'endedAt',
  'fallbackButton', 'errorHeadings',
]);

/**
 * @param {Record<string, string|undefined>} env
 * @returns {{config: Record<string, unknown>, warnings: string[]}}
 * @throws {ConfigError}
 */
export function configFromEnv(env) {
  const problems = [];
  const warnings = [];
  const get = (name) => (env[name] || '').trim();

  const apiURL = get('SMSJUMP_API_URL') || '/api/scheme';
  if (/^https?:\/\/[^/\s]+/i.test(apiURL)) {
    if (/^http:/i.test(apiURL) && !/^http:\/\/(127\.|localhost[:/]|\[::1\])/i.test(apiURL)) {
      warnings.push('SMSJUMP_API_URL uses http://: an https page cannot call it (mixed content)');
    }
  } else if (!apiURL.startsWith('/') || apiURL.startsWith('//')) {
    problems.push(`SMSJUMP_API_URL=${JSON.stringify(apiURL)}: want an http(s) URL or a path starting with "/"`);
  }

  const appId = get('WECHAT_APPID');
  if (appId && !/^wx[0-9a-f]{16}$/i.test(appId)) {
    problems.push(`WECHAT_APPID=${JSON.stringify(appId)}: want "wx" and 16 hex digits`);
  }
  const originalId = get('WECHAT_ORIGINAL_ID');
  if (originalId && !/^gh_[0-9a-z]{6,32}$/i.test(originalId)) {
    problems.push(`WECHAT_ORIGINAL_ID=${JSON.stringify(originalId)}: want the mini-program's original id "gh_…"`);
  }
  if (!appId || !originalId) {
    warnings.push(
      'WECHAT_APPID or WECHAT_ORIGINAL_ID is empty: inside WeChat the page can only tell users to open it in a browser',
    );
  }

  const envVersion = get('WECHAT_ENV_VERSION') || 'release';
  if (!ENV_VERSIONS.includes(envVersion)) {
    problems.push(`WECHAT_ENV_VERSION=${JSON.stringify(envVersion)}: want one of ${ENV_VERSIONS.join(', ')}`);
  }

  // The open tag's default target; get-scheme's optional path/query win over it.
  const path = get('SMSJUMP_WEAPP_PATH').replace(/^\/+/, '');
  if (path.length > 1024 || /\s/.test(path)) {
    problems.push('SMSJUMP_WEAPP_PATH: want a page path like pages/index/index?from=sms (no spaces, ≤ 1024 chars)');
  }

  // Brand: the mini-program's name and icon, so the page is recognisable.
  const brandName = get('SMSJUMP_BRAND_NAME');
  if ([...brandName].length > 20) problems.push('SMSJUMP_BRAND_NAME: at most 20 characters (the mini-program name)');
  const brandIcon = get('SMSJUMP_BRAND_ICON');
  if (brandIcon && !/^(https:\/\/[^\s"'<>]+|\/[^\s"'<>/][^\s"'<>]*)$/.test(brandIcon)) {
    problems.push(`SMSJUMP_BRAND_ICON=${JSON.stringify(brandIcon)}: want an https:// image URL or a path on the page's site`);
  }
  // The signature-free open tag works only on CloudBase static hosting of the
  // same mini-program; elsewhere WeChat gets the URL Link.
  const cloudBase = get('SMSJUMP_CLOUDBASE');
  if (cloudBase && !['true', 'false', '1', '0'].includes(cloudBase)) {
    problems.push(`SMSJUMP_CLOUDBASE=${JSON.stringify(cloudBase)}: want true or false`);
  }

  const jssdk = get('SMSJUMP_JSSDK');
  if (jssdk && !['true', 'false', '1', '0'].includes(jssdk)) {
    problems.push(`SMSJUMP_JSSDK=${JSON.stringify(jssdk)}: want true (get-scheme has WECHAT_OA_APPID) or false`);
  }

  const ms = (name, min, max) => {
    const v = get(name);
    if (!v) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${JSON.stringify(v)}: want milliseconds between ${min} and ${max}`);
      return undefined;
    }
    return n;
  };
  const fallbackDelayMs = ms('SMSJUMP_FALLBACK_MS', 500, 30000);
  const requestTimeoutMs = ms('SMSJUMP_REQUEST_TIMEOUT_MS', 1000, 60000);

  let texts;
  const rawTexts = get('SMSJUMP_TEXTS');
  if (rawTexts) {
    try {
      texts = JSON.parse(rawTexts);
      if (!texts || typeof texts !== 'object' || Array.isArray(texts)) throw new Error('not an object');
      for (const k of Object.keys(texts)) {
        if (!TEXT_KEYS.has(k)) warnings.push(`SMSJUMP_TEXTS: unknown key ${JSON.stringify(k)} is ignored by the page`);
      }
    } catch (err) {
      problems.push(`SMSJUMP_TEXTS: want a JSON object of texts (${err.message})`);
      texts = undefined;
    }
  }

  if (problems.length) throw new ConfigError(problems);
  /** @type {Record<string, unknown>} */
  const config = { apiURL, appId, originalId, envVersion, path };
  if (cloudBase === 'true' || cloudBase === '1') config.cloudBase = true;
  if (jssdk === 'true' || jssdk === '1') config.jssdk = true;
  if (brandName) config.brandName = brandName;
  if (brandIcon) config.brandIcon = brandIcon;
  if (fallbackDelayMs !== undefined) config.fallbackDelayMs = fallbackDelayMs;
  if (requestTimeoutMs !== undefined) config.requestTimeoutMs = requestTimeoutMs;
  if (texts) config.texts = texts;
  return { config, warnings };
}

/**
 * The text of config.js. Escapes "<" so the value can never close a <script>
 * even if someone inlines the file.
 * @param {Record<string, unknown>} config
 */
export function renderConfigJS(config) {
  // U+2028/2029 are escaped too: legal in JSON, but line breaks in pre-2019 JS.
  const json = JSON.stringify(config, null, 2)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return (
    '// Written by static/build.mjs from environment variables at deploy time; holds no secrets.\n' +
    `window.SMSJUMP_CONFIG = ${json};\n`
  );
}
