// Default user-facing texts (simplified Chinese). Deploy may override any of them
// through SMSJUMP_TEXTS, which build.mjs copies into config.js as `texts`.

export const defaultTexts = {
  title: '打开小程序',
  heading: '打开小程序',
  loading: '正在打开小程序…',
  openButton: '打开小程序',
  jumping: '正在跳转到微信…',
  // Shown ~2.5 s after the jump when the page is still visible: the browser blocked
  // the jump, the user declined the prompt, or WeChat is missing.
  fallback: '没有跳转到微信？',
  fallbackTips: [
    '如弹出“是否打开微信”的提示，请选择“打开”',
    '请确认手机已安装微信',
    '如在其他 App 中打开本页，请点击右上角“···”，选择“在浏览器打开”',
  ],
  fallbackRetry: '点击下方按钮重试',
  // The page was hidden after the jump (WeChat opened) and the user came back.
  returned: '如未打开小程序，请点击下方按钮重试',
  wechat: '点击下方按钮打开小程序',
  wechatFallback: '无法在微信内直接打开小程序',
  wechatFallbackTips: [
    '请点击右上角“···”，选择“在浏览器打开”',
    '或将微信升级到最新版本后重试',
  ],
  launched: '正在打开小程序…',
  // Inside WeChat off CloudBase hosting: the page goes to the URL Link.
  urlLink: '正在打开小程序…',
  urlLinkTips: ['如未自动打开，请点击下方按钮'],
  // In-app browsers (QQ, Weibo…) that block the jump: this comes first.
  guide: '请在浏览器中打开本页',
  guideTips: ['点击右上角“···”或“分享”按钮', '选择“在浏览器打开”，即可跳转到微信小程序'],
  guideTry: '仍要尝试打开',
  // Closed, unknown and forged links: when, and a way in elsewhere.
  startsAt: '活动将于 {t} 开始，届时请重新打开此链接。',
  endedAt: '活动已于 {t} 结束，感谢您的关注。',
  fallbackButton: '进入小程序看看',
  errorHeadings: {
    invalid_link: '链接无效',
    not_found: '活动不存在',
    not_started: '活动尚未开始',
    ended: '活动已结束',
    default: '暂时无法打开',
  },
  desktop: '请用手机微信扫码打开',
  desktopHint: '打开微信“扫一扫”扫描二维码',
  retry: '重试',
  retryWait: '{n} 秒后可重试',
  errors: {
    invalid_link: '链接无效或已失效，请检查短信中的链接是否完整。',
    not_found: '活动不存在，请检查链接是否正确。',
    not_started: '活动尚未开始，请在活动开始后再打开。',
    ended: '活动已结束，感谢您的关注。',
    rate_limited: '当前访问人数较多，请稍后重试。',
    quota_exhausted: '今日打开次数已达上限，请稍后或明天再试。',
    unavailable: '微信服务暂时繁忙，请稍后重试。',
    bad_request: '链接不完整，请检查短信中的链接是否完整。',
    internal: '服务暂时出错，请稍后重试。',
    network: '网络连接失败，请检查网络后重试。',
    config: '页面配置有误，暂时无法打开小程序，请联系活动方。',
  },
};
