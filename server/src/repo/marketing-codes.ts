import type { Db } from '../db'

export interface MarketingCodeBindingRow {
  code: string
  promotion_id: string
  spot_idx: number
  bound_at: string
}

export function createMarketingCodeRepo(db: Db) {
  const byCode = db.prepare<[string], MarketingCodeBindingRow>('SELECT * FROM marketing_code_bindings WHERE code = ?')
  const bind = db.prepare<[string, string, number, string]>('INSERT INTO marketing_code_bindings (code, promotion_id, spot_idx, bound_at) VALUES (?, ?, ?, ?)')

  return {
    findBinding: (code: string): MarketingCodeBindingRow | undefined => byCode.get(code),
    /** Binds the code to a spot; throws (UNIQUE) when it is bound already. */
    bind: (code: string, promotionId: string, spotIdx: number, boundAt: string): void => {
      bind.run(code, promotionId, spotIdx, boundAt)
    },
  }
}

export type MarketingCodeRepo = ReturnType<typeof createMarketingCodeRepo>
