import type { Db } from '../db'

export interface MarketingCodeBindingRow {
  code: string
  promotion_id: string
  spot_idx: number
  bound_at: string
}

export function createMarketingCodeRepo(db: Db) {
  return {
    findBinding: (code: string): Promise<MarketingCodeBindingRow | undefined> =>
      db.get<MarketingCodeBindingRow>('SELECT * FROM marketing_code_bindings WHERE code = ?', [code]),
    /** Binds the code to a spot; throws (UNIQUE) when it is bound already. */
    bind: async (code: string, promotionId: string, spotIdx: number, boundAt: string): Promise<void> => {
      await db.run('INSERT INTO marketing_code_bindings (code, promotion_id, spot_idx, bound_at) VALUES (?, ?, ?, ?)', [code, promotionId, spotIdx, boundAt])
    },
  }
}

export type MarketingCodeRepo = ReturnType<typeof createMarketingCodeRepo>
