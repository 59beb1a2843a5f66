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
     search.highlight), and the page marks what the search matched (the language's words from
     kb/assets/search_words.yaml, in `__kb.search`): whole words, a stem with the suffixes the
     search strips (klant marks klanten), no stop word of a query that has other words (`de`),
     accents optional only where the reader typed none (do luong marks đo, độ and lường; cam kết
     tình cảm marks cam, not cảm, and tình, not tính). A run of words typed without spaces
     (โปรแกรมสมาชิก) is split as the search splits it: the longest pieces found on the page. A word the page does not have marks the words one
     typo away (satisfation marks satisfaction), as the search retries it. Material's own marking
     (search.highlight, any run of letters) is off in mkdocs.yml. */
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.md-search-result__link")
    var box = document.querySelector("[data-md-component=search-query]")
    if (!a || !box || !box.value.trim()) return
    var url = new URL(a.href)
    url.searchParams.set("h", box.value.trim())
    a.href = url.href
  }, true)
  var language = kb.search || { suffixes: [], stop: [] }
  var FUZZY_MIN = 4  // as lunr.kb.js: shorter words are not looked for at one typo
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase()
  }
  function exact(text) { return text.normalize("NFC").toLowerCase() }
  function stem(word) {
    for (var i = 0; i < language.suffixes.length; i++) {
      var s = language.suffixes[i]
      if (word.length - s.length >= 3 && word.slice(-s.length) === s) return word.slice(0, -s.length)
    }
    return word
  }
  function stop(word) {  // as typed, accents included, as lunr.kb.js: folded, cũng would be cung ("supply")
    return language.stop.indexOf(exact(word)) >= 0
  }
  /* The words of a query, as the search takes them: split at spaces and punctuation, each trimmed
     of what is not a letter, digit or mark (a heading's ¶ copied with it) */
  function terms(text) {
    return text.split(/[\s.,;:!?'’"«»()\-\/]+/).map(function (t) { return t.replace(/^[^\p{L}\p{N}\p{M}]+|[^\p{L}\p{N}\p{M}]+$/gu, "") }).filter(Boolean)
  }
  function within1(a, b) {  // at most one insertion, deletion, substitution or swap of two letters
    if (Math.abs(a.length - b.length) > 1) return false
    var i = 0
    while (i < a.length && a[i] === b[i]) i++
    if (a.length === b.length)
      return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2))
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1)
  }
  /* A text node's text, folded, with where each folded character comes from and its words */
  function analysed(text, segmenter) {
    var folded = "", at = []
    for (var i = 0; i < text.length; i++) {
      var f = fold(text[i])
      for (var k = 0; k < f.length; k++) at.push(i)
      folded += f
    }
    at.push(text.length)
    var words = []
    for (var seg of segmenter.segment(text)) if (seg.isWordLike) words.push([seg.index, seg.index + seg.segment.length])
    var starts = {}, ends = {}
    words.forEach(function (w) { starts[w[0]] = true; ends[w[1]] = true })
    return { text: text, folded: folded, at: at, words: words, starts: starts, ends: ends }
  }
  /* Where `word` (folded) is in a node: from a word's start to a word's end, or to a suffix the
     search strips and then a word's end; with the accents typed, if any (`typed`) */
  function found(node, word, typed, strict) {
    var ranges = [], key = stem(word), accented = strict ? stem(typed) : null
    for (var from = node.folded.indexOf(key); from >= 0 && key; from = node.folded.indexOf(key, from + 1)) {
      var start = node.at[from], end = node.at[from + key.length]
      if (!node.starts[start]) continue
      if (accented && exact(node.text.slice(start, end)) !== accented) continue
      var rest = [""].concat(language.suffixes).filter(function (s) {
        return node.folded.slice(from + key.length, from + key.length + s.length) === s && node.ends[node.at[from + key.length + s.length]]
      })
      if (rest.length) ranges.push([start, node.at[from + key.length + rest[rest.length - 1].length]])
    }
    return ranges
  }
  /* Runs of words one typo from `word`, in a node */
  function near(node, word) {
    var ranges = []
    node.words.forEach(function (w, i) {
      for (var j = i; j < node.words.length && node.words[j][0] - w[0] <= word.length + 1; j++) {
        if (j > i && node.words[j][0] !== node.words[j - 1][1]) break  // words run together only
        if (within1(fold(node.text.slice(w[0], node.words[j][1])), word)) ranges.push([w[0], node.words[j][1]])
      }
    })
    return ranges
  }
  /* The result list: Material marks each word of its index that the search matched, where accents
     are folded and each word typed is a prefix. A mark that is not what the reader typed is
     unwrapped: a word typed with accents marks no other (tình: not tính), nor, in a query with
     accents, one typed without them (cam kết: not cảm, as on the page), and a word with others
     after it marks whole words (do luong: not dõi). Marks of words the page cannot tell apart
     (runs without spaces, Thai compounds) and results found at one typo are left as they are. */
  var list = document.querySelector("[data-md-component=search-result] .md-search-result__list")
  var query = document.querySelector("[data-md-component=search-query]")
  function single(text) { return !/[\u200b\u2060]/.test(text) && [...listSegmenter.segment(text)].filter(function (s) { return s.isWordLike }).length === 1 }
  function accepts(piece, last, text, strict) {
    if (!single(piece)) return true
    var plain = !strict, seen = plain ? fold(text) : exact(text), word = plain ? piece : exact(piece)
    return seen === word || stem(seen) === stem(word) || (last && seen.indexOf(word) === 0)
  }
  if (list && query && window.MutationObserver && window.Intl && Intl.Segmenter) {
    var listSegmenter = new Intl.Segmenter(page, { granularity: "word" })
    new MutationObserver(function () {
      if (document.querySelector(".kb-search-near:not([hidden])")) return
      var pieces = terms(query.value).map(function (p) { return p.toLowerCase() }), marks = [...list.querySelectorAll("mark")]
      var accents = pieces.some(function (p) { return fold(p) !== exact(p) })
      var strict = pieces.map(function (p) {  // as on the page: as typed, if the list has it so
        return fold(p) !== exact(p) || (accents && marks.some(function (m) { return exact(m.textContent) === exact(p) }))
      })
      marks.forEach(function (mark) {
        var text = mark.textContent
        if (!single(text) || pieces.some(function (p, i) { return accepts(p, i === pieces.length - 1, text, strict[i]) })) return
        mark.replaceWith(text)
      })
    }).observe(list, { childList: true, subtree: true })
  }

  var typed = new URLSearchParams(location.search).get("h"), content = document.querySelector(".md-content__inner")
  if (typed && content && window.Intl && Intl.Segmenter) {
    var segmenter = new Intl.Segmenter(page, { granularity: "word" })
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest("script, style, mark, .headerlink, .md-source-file") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT
      }
    })
    var nodes = []
    for (var node = walker.nextNode(); node; node = walker.nextNode()) nodes.push([node, analysed(node.textContent, segmenter)])
    var onPage = function (word, given, strict) { return nodes.some(function (n) { return found(n[1], word, given, strict).length }) }
    var pieces = terms(typed)
    var kept = pieces.filter(function (p) { return !stop(p) })
    // A reader who typed accents typed them all, as far as the page has the words so (cam kết: cam, not cảm).
    var accents = pieces.some(function (p) { return fold(p) !== exact(p) })
    var wanted = []  // [folded word, as typed, one typo allowed, accents as typed]
    ;(kept.length ? kept : pieces).forEach(function (piece) {
      var word = fold(piece), strict = fold(piece) !== exact(piece)
      if (accents && !strict && onPage(word, exact(piece), true)) strict = true
      if (onPage(word, exact(piece), strict)) return wanted.push([word, exact(piece), false, strict])
      var parts = [], ok = [...segmenter.segment(piece)].filter(function (s) { return s.isWordLike }).length > 1
      for (var i = 0; i < piece.length && ok;) {  // the longest pieces found on the page, as lunr.kb.js cuts a run
        var j = piece.length
        while (j > i && !onPage(fold(piece.slice(i, j)), exact(piece.slice(i, j)), strict)) j--
        if (j === i) ok = false
        else parts.push(piece.slice(i, j))
        i = j
      }
      if (ok && parts.length > 1) parts.forEach(function (p) { wanted.push([fold(p), exact(p), false, strict]) })
      else if (word.length >= FUZZY_MIN) wanted.push([word, word, true, false])
    })
    nodes.forEach(function (pair) {
      var node = pair[0], data = pair[1], ranges = []
      wanted.forEach(function (w) { ranges = ranges.concat(w[2] ? near(data, w[0]) : found(data, w[0], w[1], w[3])) })
      if (!ranges.length) return
      ranges.sort(function (x, y) { return x[0] - y[0] || y[1] - x[1] })
      var text = data.text, parts = document.createDocumentFragment(), done = 0
      ranges.forEach(function (r) {
        if (r[0] < done) return  // inside a word already marked
        parts.appendChild(document.createTextNode(text.slice(done, r[0])))
        var mark = document.createElement("mark")
        mark.setAttribute("data-md-highlight", "")
        mark.textContent = text.slice(r[0], r[1])
        parts.appendChild(mark)
        done = r[1]
      })
      parts.appendChild(document.createTextNode(text.slice(done)))
      node.replaceWith(parts)
    })
  }

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
