/**
 * A small DOM dialog for the browser preview, standing in for native screens that a browser lacks
 * (the QR scanner). It is built with the DOM directly because it lives outside the page tree, like the
 * native scanner it replaces.
 */
export interface DialogField {
  title: string
  placeholder: string
  confirm: string
  cancel: string
}

export function promptText({ title, placeholder, confirm, cancel }: DialogField): Promise<string | null> {
  return new Promise((resolve) => {
    const overlay = document.createElement('div')
    overlay.setAttribute('role', 'dialog')
    overlay.setAttribute('aria-modal', 'true')
    overlay.setAttribute('aria-label', title)
    overlay.className = 'h5-dialog'
    overlay.style.cssText = 'position:fixed;inset:0;background:rgba(0,0,0,.55);display:flex;align-items:center;justify-content:center;z-index:10000;'
    const box = document.createElement('form')
    box.style.cssText = 'background:#fff;border-radius:12px;padding:20px;width:86%;max-width:420px;font-size:16px;color:#1f2329;'
    const heading = document.createElement('h2')
    heading.textContent = title
    heading.style.cssText = 'margin:0 0 12px;font-size:18px;'
    const input = document.createElement('input')
    input.type = 'text'
    input.name = 'scan-text'
    input.placeholder = placeholder
    input.setAttribute('aria-label', placeholder)
    input.style.cssText = 'width:100%;box-sizing:border-box;min-height:44px;padding:8px;font-size:16px;border:1px solid #8a8f99;border-radius:8px;'
    const row = document.createElement('div')
    row.style.cssText = 'display:flex;gap:12px;justify-content:flex-end;margin-top:16px;'
    const cancelBtn = document.createElement('button')
    cancelBtn.type = 'button'
    cancelBtn.textContent = cancel
    const okBtn = document.createElement('button')
    okBtn.type = 'submit'
    okBtn.textContent = confirm
    for (const b of [cancelBtn, okBtn]) b.style.cssText = 'min-height:44px;min-width:88px;font-size:16px;border-radius:8px;border:1px solid #1456f0;'
    okBtn.style.background = '#1456f0'
    okBtn.style.color = '#fff'
    cancelBtn.style.background = '#fff'
    cancelBtn.style.color = '#1456f0'
    row.append(cancelBtn, okBtn)
    box.append(heading, input, row)
    overlay.append(box)
    const close = (value: string | null) => {
      overlay.remove()
      resolve(value)
    }
    box.addEventListener('submit', (e) => {
      e.preventDefault()
      const text = input.value.trim()
      close(text || null)
    })
    cancelBtn.addEventListener('click', () => close(null))
    document.body.append(overlay)
    input.focus()
  })
}
