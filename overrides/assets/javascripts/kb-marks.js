/* Marks the words a search matched: on the page opened from a result (`?h=`) and in the result
   list. Loaded by kb.js only then, so that a page view does not download it; the language's
   suffixes and stop words come before it (search/search_words.js, written by kb/site/search.py).

   On the page: whole words, a stem with the suffixes the search strips (klant marks klanten), no
   stop word of a query that has other words (`de`), accents optional only where the reader typed
   none (do luong marks đo, độ and lường; cam kết tình cảm marks cam, not cảm, and tình, not
   tính). A run of words typed without spaces (โปรแกรมสมาชิก) is split as the search splits it:
   the longest pieces found on the page. A word the page does not have marks the words one typo
   away (satisfation marks satisfaction), as the search retries it. Material's own marking
   (search.highlight, any run of letters) is off in mkdocs.yml. */
(function () {
  var page = document.documentElement.lang
  var language = window.__kbSearchWords || { suffixes: [], stop: [] }
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
  /* A result found only at one typo per word (lunr.kb.js retries a query that finds nothing)
     carries `kb.near`: a line between the count and the list says so, in the page's language.
     kb-search.js passes each result on (Material's SearchMessageType.RESULT), before Material
     shows it. */
  var note = null
  function noted(data) {
    var result = document.querySelector("[data-md-component=search-result]")
    if (!data || !result) return
    if (!note) {
      note = document.createElement("p")
      note.className = "kb-search-near"
      note.textContent = ((window.__kb || {}).search || {}).near || ""
      result.insertBefore(note, result.lastElementChild)
    }
    note.hidden = !(data.kb && data.kb.near)
  }
  noted(window.__kbResult)  // a result shown before this file came
  window.addEventListener("kb-result", function (e) { noted(e.detail) })

  var list = document.querySelector("[data-md-component=search-result] .md-search-result__list")
  var query = document.querySelector("[data-md-component=search-query]")
  function single(text) { return !/[\u200b\u2060]/.test(text) && [...listSegmenter.segment(text)].filter(function (s) { return s.isWordLike }).length === 1 }
  function accepts(piece, last, text, strict) {
    if (!single(piece)) return true
    var plain = !strict, seen = plain ? fold(text) : exact(text), word = plain ? piece : exact(piece)
    return seen === word || stem(seen) === stem(word) || (last && seen.indexOf(word) === 0)
  }
  function tidy() {
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
  }
  if (list && query && window.MutationObserver && window.Intl && Intl.Segmenter) {
    var listSegmenter = new Intl.Segmenter(page, { granularity: "word" })
    tidy()  // results shown before this file came
    new MutationObserver(tidy).observe(list, { childList: true, subtree: true })
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

})()
