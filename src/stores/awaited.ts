/**
 * A promise's value inside a MobX `flow`, with its type: `const staff = yield* awaited(api.call('GET /api/me'))`
 * (a bare `yield` answers `any`). Every step of a flow runs as an action: no `runInAction` after an await.
 */
export function* awaited<T>(promise: Promise<T>): Generator<Promise<T>, T, T> {
  return yield promise
}
