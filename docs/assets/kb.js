/* The knowledge base's own script: addresses made from where the reader is, print, languages. */
(function () {
  var config = JSON.parse((document.getElementById("__config") || {}).textContent || "{}")
  // The site's root: `..` from a page, site_url's path (`/`, `/guide/`) on a 404 page.
  var root = new URL((config.base || ".").replace(/\/$/, "") + "/", location.href)
  var local = location.protocol === "file:"

  /* An address to share: the page's own (any host, port and path prefix), or from file:// (the
     offline zip) the path from the guide's root, with its language prefix. */
  function shared(url) {
    url = new URL(url, location.href)
    url.search = ""
    return local ? url.href.slice(root.href.length) : url.href
  }

  /* Copy link: Material's clipboard code copies data-clipboard-text when the button is clicked;
     the page wrote the address from the site's root (`fr/topic/#section`), kept for its anchor; on
     the trainers' page each row's button copies its row's link. */
  function here(hash) { return shared(location.href.split("#")[0] + (hash || "")) }
  document.querySelectorAll(".kb-copy-link[data-clipboard-text]").forEach(function (button) {
    var text = button.getAttribute("data-clipboard-text"), at = text.indexOf("#")
    var row = button.parentElement.querySelector("a.kb-address")  // the trainers' page: that row's address
    button.setAttribute("data-clipboard-text", row ? shared(row.href) : here(at < 0 ? "" : text.slice(at)))
  })
  /* One tab stop per heading: its copy button. The ¶ beside it is the same address, for a mouse. */
  document.querySelectorAll(".md-typeset .headerlink").forEach(function (a) { a.tabIndex = -1 })
  /* The trainers' page lists every address as a path (the host is the same for all; each row's
     button copies the whole address), from file:// as the path from the guide's root. */
  document.querySelectorAll("a.kb-address[href]").forEach(function (a) {
    var url = new URL(a.href)
    a.textContent = local ? shared(a.href) : url.pathname + url.hash
  })

  /* Languages. The switcher leads to the same page and section in the other language, and a
     choice made there (or from the banner) is remembered. */
  var kb = window.__kb || {}, page = document.documentElement.lang, links = {}
  function remember(key, value) { try { localStorage.setItem(key, value) } catch (e) {} }
  function recall(key) { try { return localStorage.getItem(key) } catch (e) { return null } }
  function sameSection(a) { return a.href.split("#")[0] + location.hash }
  /* A choice is remembered for the language it was made from: on pages of that language, the one
     chosen is offered; on pages of the chosen one, nothing (the reader went there on purpose). */
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

  /* The banner: offered, never forced. When the reader's browser asks for one of the guide's
     languages but not this page's (or the reader chose another one before), a line in that
     language links to the same section in it. Closing it is remembered; nothing redirects. */
  function wanted() {
    var chosen = recall("kb.language." + page)
    if (chosen !== null) return chosen || null
    /* Tags in any case (pt-br is pt-BR); a language asked alone (pt) finds its region's (pt-BR) */
    var asked = (navigator.languages || [navigator.language || ""]).map(function (l) { return l.toLowerCase() })
    var have = Object.keys(links), lower = have.map(function (l) { return l.toLowerCase() })
    function ours(l) { return lower.indexOf(l) >= 0 ? l : lower.filter(function (o) { return o.split("-")[0] === l.split("-")[0] })[0] }
    if (asked.some(function (l) { return ours(l) === page.toLowerCase() })) return null
    var found = asked.map(ours).filter(Boolean)[0]
    return found ? have[lower.indexOf(found)] : null
  }
  var lang = wanted(), texts = (kb.banner || {})[lang], article = document.querySelector(".md-content__inner")
  var closed = "kb.banner." + page + "." + lang  // closed for this pair of languages only
  if (lang && lang !== page && links[lang] && texts && article && recall(closed) !== "closed") {
    var banner = document.createElement("div"), go = document.createElement("a"), close = document.createElement("button")
    banner.className = "kb-language-banner"
    banner.setAttribute("lang", lang)
    banner.setAttribute("dir", "auto")  // in its own language's direction, whatever the page's
    banner.setAttribute("role", "note")
    go.href = sameSection(links[lang])
    go.setAttribute("hreflang", lang)
    go.textContent = texts.text
    go.addEventListener("click", function () { chose(lang) })
    close.type = "button"
    close.className = "kb-language-banner__close"
    close.setAttribute("aria-label", texts.dismiss)
    close.title = texts.dismiss
    close.textContent = "\u00d7"
    close.addEventListener("click", function () {
      remember(closed, "closed")
      document.documentElement.style.scrollPaddingTop = ""
      banner.remove()
    })
    banner.appendChild(go)
    banner.appendChild(close)
    article.insertBefore(banner, article.firstChild)
    /* It stays at the top of the window (kb.css), wherever the reader landed: a deep link's target
       is scrolled to below it, not under it. */
    var header = document.querySelector(".md-header")
    document.documentElement.style.scrollPaddingTop = ((header ? header.offsetHeight : 0) + banner.offsetHeight + 8) + "px"
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)))
    if (target) target.scrollIntoView()
    window.addEventListener("hashchange", function () { go.href = sameSection(links[lang]) })
  }

  /* Search on every change of the text (paste, dictation, autocomplete, an input method), not
     only on a key release, which is all Material listens for. */
  document.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("[data-md-component=search-query]"))
      e.target.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }))
  })

  /* A search result leads to its page with what the reader typed (`?h=`, as Material's
     search.highlight), where kb-marks.js marks what the search matched. */
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.md-search-result__link")
    var box = document.querySelector("[data-md-component=search-query]")
    if (!a || !box || !box.value.trim()) return
    var url = new URL(a.href)
    url.searchParams.set("h", box.value.trim())
    a.href = url.href
  }, true)
  /* The marking is loaded when needed: on a page opened from a result, or once the reader goes to
     search (it tidies the result list's marks). Scripts, not fetch: they load from file:// too. */
  var marking = false
  function loadMarking() {
    if (marking || !kb.search_words) return
    marking = true
    ;[kb.search_words, "assets/javascripts/kb-marks.js"].forEach(function (path) {
      var script = document.createElement("script")
      script.src = new URL(path, root).href
      script.async = false  // the words first
      document.body.appendChild(script)
    })
  }
  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches("[data-md-component=search-query]")) loadMarking()
  })
  if (/[?&][hq]=/.test(location.search)) loadMarking()

  /* On a phone the sidebar is a drawer: while it is closed, its links are out of the tab order
     (keyboard and screen-reader users would otherwise tab through dozens of hidden links). */
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

  /* Keyboard: no stop the reader cannot see, and nothing opens on focus alone (WCAG 3.2.1).
     The header's search and menu icons (Material's labels, for a pointer only) are buttons: a
     phone's full-screen search opens when the reader presses its button, no longer when Tab
     lands on the hidden search box. Closed search results (and their scrolling box) are out of
     the tab order: Material closes search on Tab, so focus went on into them, unseen. */
  var toggle = document.getElementById("__search"), query = document.querySelector("[data-md-component=search-query]")
  var results = document.querySelector(".md-search__output"), fullScreen = window.matchMedia("(max-width: 59.984375em)")
  function buttonOf(label, name) {
    if (!label) return null
    /* A button inside the label (a label may not take a button's role): pressing it does what
       a click on the label does, which Material listens for. */
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
    /* Closed with Escape or Tab: focus back on the search button, not lost on the page's body. */
    var lost = !document.activeElement || document.activeElement === document.body || results.contains(document.activeElement)
    if (!toggle.checked && fullScreen.matches && searchButton && (lost || document.activeElement === query)) searchButton.focus()
  })
  if (fullScreen.addEventListener) fullScreen.addEventListener("change", searchTabStops)
  searchTabStops()

  /* The section a link led to, marked in the table of contents even near the page's end: there
     it cannot scroll to the top, and Material marks the last section (kb.css styles kb-toc-target). */
  var marked = ""
  function markTarget() {
    var id = decodeURIComponent(location.hash.slice(1)), target = id && document.getElementById(id)
    if (target && target.classList.contains("kb-alias")) target = target.parentElement.previousElementSibling  // an old address
    var box = target && target.getBoundingClientRect()
    var atEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 1
    var show = target && atEnd && box.bottom > 0 && box.top < window.innerHeight ? target.id : ""
    if (show === marked) return
    document.querySelectorAll(".kb-toc-target").forEach(function (a) { a.classList.remove("kb-toc-target") })
    /* The table of contents beside the page, and the one in the phone's drawer */
    if (show) document.querySelectorAll('.md-nav--secondary a.md-nav__link[href="#' + CSS.escape(show) + '"]').forEach(function (a) {
      a.classList.add("kb-toc-target")
    })
    marked = show
  }
  window.addEventListener("scroll", markTarget, { passive: true })
  window.addEventListener("hashchange", markTarget)
  window.addEventListener("load", markTarget)
  markTarget()

  /* Print: write out the full address of every link in the text (see kb.css). */
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".md-content .md-typeset a[href]:not(.headerlink)").forEach(function (a) {
      if (a.textContent.trim() !== a.href) a.setAttribute("data-kb-url", a.href)
    })
  })
})()
