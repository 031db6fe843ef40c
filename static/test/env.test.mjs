import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectEnv } from '../src/env.js';

const UA = {
  iphoneSafari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  androidChrome:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  iphoneWeChat:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x18003237) NetType/WIFI Language/zh_CN',
  androidWeChat:
    'Mozilla/5.0 (Linux; Android 14; V2309A Build/UP1A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.188 Mobile Safari/537.36 XWEB/1260117 MMWEBSDK/20240501 MicroMessenger/8.0.50.2701(0x2800323B) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64',
  weCom:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.26 MicroMessenger/7.0.1 Language/zh ColorScheme/Light',
  windowsWeChat:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.138 Safari/537.36 NetType/WIFI MicroMessenger/7.0.20.1781(0x6700143B) WindowsWechat(0x63090a13)',
  macWeChat:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) MicroMessenger/6.8.0(0x16080000) MacWechat/3.8.7(0x13080710) Language/zh_CN',
  macSafari:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  windowsEdge:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
  qqInApp:
    'Mozilla/5.0 (Linux; Android 13; M2012K11AC) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/109.0.5414.86 MQQBrowser/6.2 TBS/047205 Mobile Safari/537.36 V1_AND_SQ_8.9.80_4614_YYB_D QQ/8.9.80.12440',
  weibo:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Weibo (iPhone15,2__weibo__14.6.2__iphone__os17.5)',
  qqBrowser:
    'Mozilla/5.0 (Linux; U; Android 13; zh-cn; M2012K11AC Build/TKQ1) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/109.0.5414.86 MQQBrowser/14.8 Mobile Safari/537.36 COVC/046915',
  huawei:
    'Mozilla/5.0 (Linux; Android 12; NOH-AN00 Build/HUAWEINOH-AN00; HMSCore 6.13.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.5735.196 HuaweiBrowser/15.0.4.312 Mobile Safari/537.36',
  xiaomi:
    'Mozilla/5.0 (Linux; U; Android 14; zh-cn; 23127PN0CC Build/UKQ1.230804.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/118.0.5993.80 Mobile Safari/537.36 XiaoMi/MiuiBrowser/18.5.40422',
  harmony:
    'Mozilla/5.0 (Phone; OpenHarmony 4.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 ArkWeb/4.1.6.1 Mobile HuaweiBrowser/5.0.4.300',
};

test('detectEnv', () => {
  const cases = [
    ['iPhone Safari', UA.iphoneSafari, 0, 'mobile'],
    ['Android Chrome', UA.androidChrome, 0, 'mobile'],
    ['WeChat iOS', UA.iphoneWeChat, 5, 'wechat'],
    ['WeChat Android', UA.androidWeChat, 5, 'wechat'],
    ['WeCom', UA.weCom, 5, 'wecom'],
    ['WeChat for Windows shows the QR code', UA.windowsWeChat, 0, 'desktop'],
    ['WeChat for Mac shows the QR code', UA.macWeChat, 0, 'desktop'],
    ['Mac Safari', UA.macSafari, 0, 'desktop'],
    ['iPadOS Safari says Macintosh but has touch', UA.macSafari, 5, 'mobile'],
    ['Windows Edge', UA.windowsEdge, 0, 'desktop'],
    ['QQ in-app browser', UA.qqInApp, 5, 'inapp'],
    ['Weibo in-app browser', UA.weibo, 5, 'inapp'],
    ['QQ Browser is a browser', UA.qqBrowser, 5, 'mobile'],
    ['Huawei browser', UA.huawei, 5, 'mobile'],
    ['Xiaomi browser', UA.xiaomi, 5, 'mobile'],
    ['HarmonyOS', UA.harmony, 5, 'mobile'],
    ['empty UA', '', 0, 'desktop'],
  ];
  for (const [name, ua, touch, want] of cases) {
    assert.equal(detectEnv(ua, touch), want, name);
  }
});
