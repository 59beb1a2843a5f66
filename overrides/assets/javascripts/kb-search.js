/* Each language's own search, on first use; before Material's script (ARCHITECTURE.md, "Search") */
(function (kb) {
  window.__kb = kb  // for kb.js and kb-marks.js
  var started = false, waiting = []
  function later(go) { started ? go() : waiting.push(go) }
  function start() {
    if (started) return
    started = true
    waiting.splice(0).forEach(function (go) { go() })
  }
  var lazy = location.protocol !== "file:"
  function noted(message) {  // each result, for kb-marks.js (the line of a result found at one typo)
    if (message && message.type === 3 && message.data) dispatchEvent(new CustomEvent("kb-result", { detail: window.__kbResult = message.data }))
  }
  // from file://, the worker is an iframe
  if (!lazy) window.addEventListener("message", function (e) { noted(e.data) })
  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send
  XMLHttpRequest.prototype.open = function (method, url) {
    var args = Array.prototype.slice.call(arguments)
    this.kbIndex = /search\/search_index\.json$/.test(String(url))
    args[1] = String(url).replace(/search\/search_index\.json$/, kb.search.folder + "search_index.json")
    return open.apply(this, args)
  }
  XMLHttpRequest.prototype.send = function () {
    var xhr = this, args = arguments
    if (!lazy || !xhr.kbIndex) return send.apply(xhr, args)
    later(function () { send.apply(xhr, args) })
  }
  var setAttribute = Element.prototype.setAttribute
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLScriptElement && name === "src")
      value = String(value).replace(/search\/search_index\.js$/, kb.search.folder + "search_index.js")
    return setAttribute.call(this, name, value)
  }
  var RealWorker = window.Worker
  if (lazy && RealWorker) window.Worker = function (url, options) {
    if (!/workers\/search\./.test(String(url))) return new RealWorker(url, options)
    var real = null, listeners = [], messages = []
    later(function () {
      real = new RealWorker(url, options)
      real.addEventListener("message", function (e) { noted(e.data) })
      listeners.forEach(function (l) { real.addEventListener(l[0], l[1], l[2]) })
      messages.forEach(function (m) { real.postMessage.apply(real, m) })
    })
    this.addEventListener = function (type, fn, opts) { real ? real.addEventListener(type, fn, opts) : listeners.push([type, fn, opts]) }
    this.removeEventListener = function (type, fn, opts) {
      if (real) return real.removeEventListener(type, fn, opts)
      listeners = listeners.filter(function (l) { return l[0] !== type || l[1] !== fn })
    }
    this.postMessage = function () { real ? real.postMessage.apply(real, arguments) : messages.push(arguments) }
    this.terminate = function () { real ? real.terminate() : later(function () { real.terminate() }) }
  }
  function searchBox(el) { return el && el.matches && el.matches("[data-md-component=search-query]") }
  function typing(el) { return el && (el.isContentEditable || /^(input|textarea|select)$/i.test(el.tagName)) }
  document.addEventListener("focusin", function (e) { if (searchBox(e.target)) start() }, true)
  document.addEventListener("keydown", function (e) {
    if (/^[sf/]$/i.test(e.key) && !typing(e.target)) start()
  }, true)
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("label[for=__search]")) start()
  }, true)
  document.addEventListener("change", function (e) { if (e.target.id === "__search" && e.target.checked) start() }, true)
  if (/[?&]q=/.test(location.search)) start()
})(JSON.parse(document.getElementById("__kb").textContent))
