/* global getApp, Component */
// One message in the working language; follows a language switch by itself (see ../README.md).
function source() {
  var app = getApp()
  return app ? app.posmLiveText : undefined
}

Component({
  props: { k: '', d: null, c: '' },
  data: { v: '' },
  didMount: function () {
    this.sync()
    var live = source()
    this.off = live ? live.subscribe(this.sync.bind(this)) : null
  },
  didUpdate: function (prevProps) {
    if (prevProps.k !== this.props.k || prevProps.d !== this.props.d) this.sync()
  },
  didUnmount: function () {
    if (this.off) this.off()
  },
  methods: {
    sync: function () {
      var live = source()
      var v = live ? live.text(this.props.k, this.props.d) : ''
      if (v !== this.data.v) this.setData({ v: v })
    },
  },
})
