/**
 * The clipboard port: DingTalk's dd.setClipboard({ text }) (JSAPI "setClipboard", success/fail callbacks) and the
 * browser's navigator.clipboard.writeText; a refusal rejects, so the payment step can say the copy failed.
 */
import { createDdClipboard } from '../../src/platform/dd/clipboard'
import { createH5Clipboard } from '../../src/platform/h5/clipboard'

type Opts = { text?: string; success?: (r: unknown) => void; fail?: (e: unknown) => void }
const g = globalThis as unknown as { dd?: Record<string, jest.Mock> }

afterEach(() => {
  delete g.dd
})

describe('dd clipboard', () => {
  it('calls dd.setClipboard with the text and resolves on success', async () => {
    g.dd = { setClipboard: jest.fn((o: Opts) => o.success?.({})) }
    await expect(createDdClipboard().copy('pa55-word')).resolves.toBeUndefined()
    expect(g.dd.setClipboard.mock.calls[0][0]).toMatchObject({ text: 'pa55-word' })
  })

  it('rejects when DingTalk calls fail', async () => {
    g.dd = { setClipboard: jest.fn((o: Opts) => o.fail?.({ error: 3, errorMessage: 'no permission' })) }
    await expect(createDdClipboard().copy('x')).rejects.toMatchObject({ error: 3 })
  })
})

describe('h5 clipboard', () => {
  const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator')
  /** The browser's navigator with this clipboard (or none). */
  const withClipboard = (clipboard: unknown) => Object.defineProperty(globalThis, 'navigator', { value: { clipboard }, configurable: true })
  afterEach(() => {
    if (original) Object.defineProperty(globalThis, 'navigator', original)
    else delete (globalThis as { navigator?: unknown }).navigator
  })

  it('writes the text with navigator.clipboard', async () => {
    const writeText = jest.fn(async () => undefined)
    withClipboard({ writeText })
    await createH5Clipboard().copy('pa55-word')
    expect(writeText).toHaveBeenCalledWith('pa55-word')
  })

  it('rejects without a clipboard (an insecure page) or when the browser refuses', async () => {
    withClipboard(undefined)
    await expect(createH5Clipboard().copy('x')).rejects.toThrow('no clipboard')
    withClipboard({ writeText: jest.fn(async () => Promise.reject(new Error('NotAllowedError'))) })
    await expect(createH5Clipboard().copy('x')).rejects.toThrow('NotAllowedError')
  })
})
