/**
 * Global declarations of the whole project (tsconfig.json includes this folder): Taro's own, CSS imports,
 * process.env.TARO_ENV and the DingTalk build's native components. The build constants are in build-constants.d.ts,
 * the DingTalk engine's globals in dingtalk.d.ts.
 */
/// <reference types="@tarojs/taro" />

declare module '*.css'

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'swan' | 'alipay' | 'h5' | 'rn' | 'tt' | 'quickapp' | 'qq' | 'jd' | 'dd'
  }
}

/** The native components of the DingTalk build (src/native), rendered through src/components/live-text.tsx. */
declare namespace JSX {
  interface IntrinsicElements {
    'posm-text': { id?: string; k: string; d: number | null; c: string }
    'posm-lang-list': { k: string }
  }
}
