/* global getApp, Component */
// The working-language choice: the hint (message `k`) and one radio per language, each in its own name.
// A switch sends only the new hint and the chosen code through this component's setData (see ../README.md).
function source() {
  var app = getApp()
  return app ? app.posmLiveText : undefined
}

Component({
  props: { k: '' },
  data: { hint: '', cur: '', items: [] },
  didMount: function () {
    var live = source()
    if (!live) return
    this.setData({ items: live.languages(), hint: live.text(this.props.k), cur: live.locale() })
    this.off = live.subscribe(this.sync.bind(this))
  },
  didUnmount: function () {
    if (this.off) this.off()
  },
  methods: {
    sync: function () {
      var live = source()
      if (!live) return
      var hint = live.text(this.props.k)
      var cur = live.locale()
      // only what changed (the choice shows at once; its texts when the language's messages are there)
      var changed = {}
      var any = false
      if (hint !== this.data.hint) {
        changed.hint = hint
        any = true
      }
      if (cur !== this.data.cur) {
        changed.cur = cur
        any = true
      }
      if (any) this.setData(changed)
    },
    choose: function (event) {
      var live = source()
      if (live) live.setLocale(event.currentTarget.dataset.code)
    },
  },
})
