/**
 * The wizard engine on its own, driven with no UI over a configuration of three steps (`one`, `two`,
 * `done`) and fakes of the outbox, the camera's photo service and the location port: the transitions follow
 * the step order, each step's check guards leaving it forward, Submit goes to the outbox, Retry, a refusal
 * edited and sent again, the location's failure shown, photos. The promotion and inspection wizards are
 * configurations of it (promotion-wizard.test.ts, inspection-wizard.test.ts).
 */
import { isAction, isComputedProp, observable, runInAction } from 'mobx'
import type { FieldErrors } from '../../packages/contract/schemas'
import type { GeoPoint, LocationPort } from '../../src/platform/types'
import type { PaymentDraft, PhotoRef } from '../../src/rules/promotion-draft'
import type { ApiClient } from '../../src/services/api-client'
import type { PhotoService } from '../../src/services/photo-service'
import type { OutboxItem, OutboxStore } from '../../src/stores/outbox-store'
import { WizardEngine, type WizardConfig, type WizardDraft } from '../../src/stores/wizard-engine'

type Step = 'one' | 'two' | 'done'

interface ToyDraft extends WizardDraft<Step> {
  name: string
  count: number
}

const emptyPayment = (): PaymentDraft => ({ reference: '', photo: null, result: null })
const HERE: GeoPoint = { latitude: 1.3, longitude: 103.8, accuracy: 10, mocked: false }
const PHOTO: PhotoRef = { localPath: '/kept/1.jpg', takenAt: '2026-11-25T10:30:00.000Z', location: HERE }

function setup(options: { submitted?: () => boolean } = {}) {
  const draft = observable<ToyDraft>({
    step: 'one',
    name: '',
    count: 0,
    store: { location: null, storefrontPhoto: null },
    payment: { MPM: emptyPayment(), UPM: emptyPayment() },
  })
  const items = observable.array<OutboxItem>([], { deep: false })
  const outbox = {
    forDraft: (key: string) => items.find((i) => i.draftId === key) ?? null,
    submit: jest.fn((input: Partial<OutboxItem>) =>
      runInAction(() => items.replace([{ ...input, id: 'o1', status: 'pending', lastErrorFields: null } as OutboxItem])),
    ),
    retry: jest.fn(),
  }
  const setStatus = (status: OutboxItem['status'], lastErrorFields: OutboxItem['lastErrorFields'] = null) =>
    runInAction(() => items.replace([{ ...items[0], status, lastErrorFields }]))
  const location = { getLocation: jest.fn<Promise<GeoPoint>, []>(async () => HERE) }
  const photos = { take: jest.fn<Promise<PhotoRef | null>, [string]>(async () => PHOTO), whenKept: jest.fn(async () => undefined) }
  const checks: Record<Step, (d: ToyDraft) => FieldErrors> = {
    one: (d) => (d.name ? {} : { name: 'REQUIRED' }),
    two: (d) => (d.count > 0 ? {} : { count: 'REQUIRED' }),
    done: (d) => ({ ...checks.one(d), ...checks.two(d) }),
  }
  const config: WizardConfig<ToyDraft, Step> = {
    outboxKey: 'toy:1',
    draft: () => draft,
    update: (edit) => runInAction(() => edit(draft)),
    steps: () => ['one', 'two', 'done'],
    check: (step, d) => checks[step](d),
    submission: (d) => ({ label: d.name, product: 'MARKETING_CODE', payload: { name: d.name, count: d.count } as never, photos: [] }),
    submitted: options.submitted,
    wallets: () => ['ALIPAY'],
    verifyPayment: jest.fn(),
    visitStartedAt: () => '2026-12-07T09:00:00.000Z',
  }
  const engine = new WizardEngine(config, {
    outbox: outbox as unknown as OutboxStore,
    api: {} as ApiClient,
    photos: photos as unknown as PhotoService,
    location: location as unknown as LocationPort,
  })
  const edit = (change: (d: ToyDraft) => void) => runInAction(() => change(draft))
  return { engine, draft, outbox, setStatus, location, photos, edit }
}

describe('the wizard engine: transitions follow the steps', () => {
  it('starts on the first step; Back there, jumping ahead and Submit are refused', () => {
    const { engine } = setup()
    expect(engine.state).toBe('one')
    expect(engine.stepIndex).toBe(0)
    expect(engine.editing).toBe(true)
    expect(engine.back()).toBe(false)
    expect(engine.goTo('two')).toBe(false)
    expect(engine.submit()).toBe(false)
    expect(engine.state).toBe('one')
  })

  it('Next runs the step’s check: refused with its errors, accepted once it passes, to the next step', () => {
    const { engine, edit } = setup()
    expect(engine.next()).toBe(false)
    expect(engine.errors).toEqual({ name: 'REQUIRED' })
    expect(engine.fieldError('name')).toBe('REQUIRED')
    edit((d) => (d.name = 'Kedai'))
    expect(engine.next()).toBe(true)
    expect(engine.errors).toEqual({})
    expect(engine.state).toBe('two')
    expect(engine.next()).toBe(false)
    expect(engine.errors).toEqual({ count: 'REQUIRED' })
    edit((d) => (d.count = 2))
    expect(engine.next()).toBe(true)
    expect(engine.state).toBe('done')
    // the last step has no Next
    expect(engine.next()).toBe(false)
  })

  it('Back and goTo revisit earlier steps only, and keep the draft', () => {
    const { engine, edit, draft } = setup()
    edit((d) => ((d.name = 'Kedai'), (d.count = 1)))
    engine.next()
    engine.next()
    expect(engine.goTo('one')).toBe(true)
    expect(engine.state).toBe('one')
    expect(engine.goTo('done')).toBe(false)
    engine.next()
    expect(engine.back()).toBe(true)
    expect(engine.state).toBe('one')
    expect(draft.name).toBe('Kedai')
    expect(draft.count).toBe(1)
  })

  it('advance waits until the photos back from the camera are kept, then goes on', async () => {
    const { engine, edit, photos } = setup()
    edit((d) => (d.name = 'Kedai'))
    await expect(engine.advance()).resolves.toBe(true)
    expect(photos.whenKept).toHaveBeenCalled()
    expect(engine.state).toBe('two')
  })
})

describe('the wizard engine: Submit, Retry and a refusal', () => {
  function atLastStep() {
    const env = setup()
    env.edit((d) => ((d.name = 'Kedai'), (d.count = 1)))
    env.engine.next()
    env.engine.next()
    return env
  }

  it('Submit re-runs the last step’s check, then queues the submission under the draft’s key', () => {
    const env = atLastStep()
    env.edit((d) => (d.count = 0))
    expect(env.engine.submit()).toBe(false)
    expect(env.engine.errors).toEqual({ count: 'REQUIRED' })
    expect(env.outbox.submit).not.toHaveBeenCalled()
    env.edit((d) => (d.count = 3))
    expect(env.engine.submit()).toBe(true)
    expect(env.outbox.submit).toHaveBeenCalledWith({
      draftId: 'toy:1',
      label: 'Kedai',
      product: 'MARKETING_CODE',
      payload: { name: 'Kedai', count: 3 },
      photos: [],
    })
    expect(env.engine.state).toBe('submitting')
    expect(env.engine.editing).toBe(false)
    // nothing moves while it is on its way
    expect(env.engine.back()).toBe(false)
    expect(env.engine.next()).toBe(false)
    expect(env.engine.goTo('one')).toBe(false)
  })

  it('Retry sends a waiting submission now; there is nothing to retry before Submit or once sent', () => {
    const env = atLastStep()
    expect(env.engine.retry()).toBe(false)
    env.engine.submit()
    expect(env.engine.retry()).toBe(true)
    expect(env.outbox.retry).toHaveBeenCalledWith('o1')
    env.setStatus('sent')
    expect(env.engine.state).toBe('submitted')
    expect(env.engine.retry()).toBe(false)
  })

  it('a refusal is kept; Back edits the draft again with the server’s reasons, and Submit queues it anew', () => {
    const env = atLastStep()
    env.engine.submit()
    env.setStatus('refused', { name: 'CODE_BOUND' })
    expect(env.engine.state).toBe('refused')
    expect(env.engine.next()).toBe(false)
    expect(env.engine.back()).toBe(true)
    expect(env.engine.editingAfterRefusal).toBe(true)
    expect(env.engine.state).toBe('done')
    expect(env.engine.errors).toEqual({ name: 'CODE_BOUND' })
    expect(env.engine.submit()).toBe(true)
    expect(env.engine.editingAfterRefusal).toBe(false)
    expect(env.outbox.submit).toHaveBeenCalledTimes(2)
  })

  it('work the configuration says the server has is submitted, whatever the outbox holds', () => {
    let done = false
    const { engine } = setup({ submitted: () => done })
    expect(engine.state).toBe('one')
    done = true
    expect(engine.state).toBe('submitted')
    expect(engine.next()).toBe(false)
  })
})

describe('the wizard engine: location and photos', () => {
  it('a location that cannot be had is shown on store.location; a later fix records it and clears the error', async () => {
    const { engine, location, draft } = setup()
    location.getLocation.mockRejectedValueOnce(new Error('denied'))
    await engine.refreshLocation()
    expect(engine.fieldError('store.location')).toBe('LOCATION_REQUIRED')
    expect(engine.locating).toBe(false)
    expect(draft.store.location).toBeNull()
    await engine.refreshLocation()
    expect(engine.fieldError('store.location')).toBeNull()
    expect(draft.store.location).toEqual(HERE)
  })

  it('while locating, locating is true', async () => {
    const { engine, location } = setup()
    let answer: (p: GeoPoint) => void = () => undefined
    location.getLocation.mockImplementationOnce(() => new Promise((r) => (answer = r)))
    const pending = engine.refreshLocation()
    expect(engine.locating).toBe(true)
    answer(HERE)
    await pending
    expect(engine.locating).toBe(false)
  })

  it('a storefront photo goes in the draft and clears its error; a cancelled one changes nothing', async () => {
    const { engine, photos, draft } = setup()
    engine.next()
    runInAction(() => (engine.errors = { 'store.storefrontPhotoId': 'PHOTO_REQUIRED', name: 'REQUIRED' }))
    photos.take.mockResolvedValueOnce(null)
    await engine.takeStorefrontPhoto('Storefront')
    expect(draft.store.storefrontPhoto).toBeNull()
    expect(engine.errors).toEqual({ 'store.storefrontPhotoId': 'PHOTO_REQUIRED', name: 'REQUIRED' })
    await engine.takeStorefrontPhoto('Storefront')
    expect(photos.take).toHaveBeenLastCalledWith('Storefront')
    expect(draft.store.storefrontPhoto).toEqual(PHOTO)
    expect(engine.errors).toEqual({ name: 'REQUIRED' })
  })

  it('the payment evidence is read from and written to the draft’s payment records', () => {
    const { engine, draft } = setup()
    engine.payment.setReference('MPM', 'AP202611250000001234')
    expect(draft.payment.MPM.reference).toBe('AP202611250000001234')
    expect(engine.payment.tool).toBe('ALIPAY')
  })
})

describe('the wizard engine: a configuring subclass', () => {
  class Counting extends WizardEngine<ToyDraft, Step> {
    constructor(env: ReturnType<typeof setup>) {
      super((env.engine as unknown as { config: WizardConfig<ToyDraft, Step> }).config, (env.engine as unknown as { ports: never }).ports)
    }
    get twice(): number {
      return this.draft.count * 2
    }
    bump() {
      this.change((d) => (d.count += 1))
      this.clear('count')
    }
  }

  it('has its derived values observed as computed and its edits as actions, with no list of their names', () => {
    const wizard = new Counting(setup())
    expect(isComputedProp(wizard, 'twice')).toBe(true)
    expect(isAction(wizard.bump)).toBe(true)
    expect(isAction(wizard.next)).toBe(true)
    wizard.next()
    expect(wizard.errors).toEqual({ name: 'REQUIRED' })
    wizard.bump()
    expect(wizard.twice).toBe(2)
  })
})
