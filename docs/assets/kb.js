/* kb's script (why: ARCHITECTURE.md) */
(function () {
  var config = JSON.parse((document.getElementById("__config") || {}).textContent || "{}")
  var root = new URL((config.base || ".").replace(/\/$/, "") + "/", location.href)
  var local = location.protocol === "file:"

  function shared(url) {
    url = new URL(url, location.href)
    url.search = ""
    return local ? url.href.slice(root.href.length) : url.href
  }

  function load(paths) {  // what only some pages need, on demand (ARCHITECTURE.md)
    paths.forEach(function (path) {
      var script = document.createElement("script")
      script.src = new URL(path, root).href
      script.async = false  // in order
      document.body.appendChild(script)
    })
  }

  /* Addresses, from the page's own */
  function here(hash) { return shared(location.href.split("#")[0] + (hash || "")) }
  document.querySelectorAll(".kb-copy-link[data-clipboard-text]").forEach(function (button) {
    var text = button.getAttribute("data-clipboard-text"), at = text.indexOf("#")
    var row = button.parentElement.querySelector("a.kb-address")  // the trainers' page
    button.setAttribute("data-clipboard-text", row ? shared(row.href) : here(at < 0 ? "" : text.slice(at)))
  })
  document.querySelectorAll(".md-typeset .headerlink").forEach(function (a) { a.tabIndex = -1 })
  document.querySelectorAll("a.kb-address[href]").forEach(function (a) {
    var url = new URL(a.href)
    a.textContent = local ? shared(a.href) : url.pathname + url.hash
  })

  /* Languages */
  var kb = window.__kb || {}, page = document.documentElement.lang, links = {}
  function remember(key, value) { try { localStorage.setItem(key, value) } catch (e) {} }
  function recall(key) { try { return localStorage.getItem(key) } catch (e) { return null } }
  function sameSection(a) { return a.href.split("#")[0] + location.hash }
  function chose(lang) {
    remember("kb.language." + page, lang)
    remember("kb.language." + lang, "")
  }
  document.querySelectorAll(".md-select__link[hreflang]").forEach(function (a) {
    links[a.getAttribute("hreflang")] = a
    a.addEventListener("click", function () {
      a.href = sameSection(a)
      chose(a.getAttribute("hreflang"))
    })
  })
  function keepSection() { Object.keys(links).forEach(function (lang) { links[lang].href = sameSection(links[lang]) }) }
  keepSection()
  window.addEventListener("hashchange", keepSection)

  /* The banner */
  function wanted() {
    var chosen = recall("kb.language." + page)
    if (chosen !== null) return chosen || null
    var asked = (navigator.languages || [navigator.language || ""]).map(function (l) { return l.toLowerCase() })
    var have = Object.keys(links), lower = have.map(function (l) { return l.toLowerCase() })
    function ours(l) { return lower.indexOf(l) >= 0 ? l : lower.filter(function (o) { return o.split("-")[0] === l.split("-")[0] })[0] }
    if (asked.some(function (l) { return ours(l) === page.toLowerCase() })) return null
    var found = asked.map(ours).filter(Boolean)[0]
    return found ? have[lower.indexOf(found)] : null
  }
  var lang = wanted(), closed = "kb.banner." + page + "." + lang
  if (lang && lang !== page && links[lang] && recall(closed) !== "closed") {
    window.__kbOffer = { lang: lang, link: links[lang], closed: closed, chose: chose, remember: remember, sameSection: sameSection }
    load(["assets/javascripts/kb-banner-texts.js", "assets/javascripts/kb-banner.js"])
  }

  /* Search: on any change, not only on a key release */
  document.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("[data-md-component=search-query]"))
      e.target.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }))
  })

  // a result's page marks what was typed (`?h=`), with kb-marks.js loaded only when needed
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.md-search-result__link")
    var box = document.querySelector("[data-md-component=search-query]")
    if (!a || !box || !box.value.trim()) return
    var url = new URL(a.href)
    url.searchParams.set("h", box.value.trim())
    a.href = url.href
  }, true)
  var marking = false
  function loadMarking() {
    if (marking || !kb.search) return
    marking = true
    load([kb.search.folder + "search_words.js", "assets/javascripts/kb-marks.js"])
  }
  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches("[data-md-component=search-query]")) loadMarking()
  })
  if (/[?&][hq]=/.test(location.search)) loadMarking()

  /* Keyboard: no stop unseen, nothing opens on focus (WCAG 3.2.1) */
  var drawer = document.getElementById("__drawer"), sidebar = document.querySelector(".md-sidebar--primary")
  var phone = window.matchMedia("(max-width: 76.234375em)")
  function hideClosedDrawer() {
    if (!drawer || !sidebar) return
    if (phone.matches && !drawer.checked) sidebar.setAttribute("inert", "")
    else sidebar.removeAttribute("inert")
  }
  if (drawer) drawer.addEventListener("change", hideClosedDrawer)
  if (phone.addEventListener) phone.addEventListener("change", hideClosedDrawer)
  hideClosedDrawer()

  var toggle = document.getElementById("__search"), query = document.querySelector("[data-md-component=search-query]")
  var results = document.querySelector(".md-search__output"), fullScreen = window.matchMedia("(max-width: 59.984375em)")
  function buttonOf(label, name) {
    if (!label) return null
    var button = document.createElement("button")
    button.type = "button"
    button.className = "kb-header-button"
    if (name) button.setAttribute("aria-label", name)
    while (label.firstChild) button.appendChild(label.firstChild)
    label.appendChild(button)
    button.addEventListener("click", function () { label.click() })
    return button
  }
  var searchButton = buttonOf(document.querySelector(".md-header__button[for=__search]"), query && query.getAttribute("aria-label"))
  var nav = document.querySelector(".md-nav--primary")
  buttonOf(document.querySelector(".md-header__button[for=__drawer]"), nav && nav.getAttribute("aria-label"))
  function searchTabStops() {
    if (!toggle || !query || !results) return
    results.inert = !toggle.checked
    if (fullScreen.matches && !toggle.checked) query.tabIndex = -1
    else query.removeAttribute("tabindex")
  }
  if (toggle) toggle.addEventListener("change", function () {
    searchTabStops()
    var lost = !document.activeElement || document.activeElement === document.body || results.contains(document.activeElement)
    if (!toggle.checked && fullScreen.matches && searchButton && (lost || document.activeElement === query)) searchButton.focus()
  })
  if (fullScreen.addEventListener) fullScreen.addEventListener("change", searchTabStops)
  searchTabStops()

  /* The section a link led to, in the table of contents: kb-toc.js, once the address names one */
  function linked() {
    if (!location.hash) return
    window.removeEventListener("hashchange", linked)
    load(["assets/javascripts/kb-toc.js"])
  }
  window.addEventListener("hashchange", linked)
  linked()

  /* Print */
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".md-content .md-typeset a[href]:not(.headerlink)").forEach(function (a) {
      if (a.textContent.trim() !== a.href) a.setAttribute("data-kb-url", a.href)
    })
  })
})()
