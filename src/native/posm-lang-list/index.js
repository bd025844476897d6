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
      if (hint !== this.data.hint || cur !== this.data.cur) this.setData({ hint: hint, cur: cur })
    },
    choose: function (event) {
      var live = source()
      if (live) live.setLocale(event.currentTarget.dataset.code)
    },
  },
})
