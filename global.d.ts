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
