/*
 * The knowledge base's search language support, loaded by Material's search worker.
 *
 * Every language's index is built by `kb` with `lang: ["kb<code>"]`, so the worker imports
 * `lunr.kb<code>.min.js`. kb/site/search.py writes that file for each language: this file plus
 * `lunr.kb.register(code, words)` (its suffixes and stop words), in one piece, so that it also works where importScripts is
 * asynchronous (the iframe-worker shim of the offline bundle).
 *
 * - The same normaliser runs on indexed tokens and on query terms: Material appends a
 *   wildcard to every query term, and Lunr skips its search pipeline for wildcard terms,
 *   so query terms are normalised where clauses are created (lunr.Query#clause).
 * - Latin scripts: accents are optional (NFD, strip U+0300-U+036F, đ -> d), plus a light,
 *   prefix-safe suffix stripper (each language's suffixes, kb/assets/search_words.yaml).
 * - Stop words are left out of a query that has other words; a query that finds nothing is
 *   asked again at one edit per word (`~1`), and its result says so.
 * - Scripts without spaces between words: the index text is cut into words at build time
 *   (U+200B between words; Thai by PyThaiNLP, Lao, Khmer, Burmese, Chinese and Japanese by ICU);
 *   a Thai compound's parts are joined by U+2060 ("ความ\u2060ภักดี"). A compound is indexed
 *   whole and as each of its parts, all at the compound's place: a part finds it, and the
 *   result highlights the whole word. A query term that the browser's ICU (Intl.Segmenter)
 *   cuts into several words is split by greedy longest match against the words of the index
 *   itself (compounds first), and where none matches, at ICU's next word end; so no
 *   dictionary is downloaded.
 */
(function (lunr) {
  "use strict"

  var TRIM = /^[^\p{L}\p{N}\p{M}]+|[^\p{L}\p{N}\p{M}]+$/gu
  var JOINER = "\u2060"

  var words = { suffixes: [], stop: {} }  /* the language's (kb/assets/search_words.yaml), set by register */

  function fold(term) {
    return term.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase()
  }

  function stem(term) {
    var list = words.suffixes
    for (var i = 0; i < list.length; i++) {
      var s = list[i]
      if (term.length - s.length >= 3 && term.slice(-s.length) === s)
        return term.slice(0, -s.length)
    }
    return term
  }

  function normalise(term) {
    var trimmed = term.replace(TRIM, "")
    return stem(fold(trimmed))
  }

  /* A word as typed, for the stop words: with its accents (folded, Vietnamese cũng would be cung,
     "supply", and với voi, "elephant") */
  function exact(term) {
    return term.replace(TRIM, "").normalize("NFC").toLowerCase()
  }

  /* The words of a term that ICU cuts into several (a script without spaces): greedy longest
     match against the words of the index; where none matches, up to ICU's next word end */
  function segment(term, vocabulary, segmenter) {
    if (!segmenter) return [term]
    var ends = {}, count = 0
    for (var s of segmenter.segment(term)) {
      ends[s.index + s.segment.length] = true
      if (s.isWordLike) count++
    }
    if (count < 2) return [term]
    var words = []
    for (var i = 0; i < term.length;) {
      var end = 0
      for (var j = term.length; j > i && !end; j--)
        if (Object.prototype.hasOwnProperty.call(vocabulary, term.slice(i, j))) end = j
      if (!end) for (end = i + 1; end < term.length && !ends[end];) end++
      words.push(term.slice(i, end))
      i = end
    }
    return words
  }

  /* Is a word of the index at most one edit from `term`? */
  function nearWord(term) {
    return state.tokens().intersect(lunr.TokenSet.fromFuzzyString(term, 1)).toArray().length > 0
  }

  var state = { lang: null, vocabulary: {}, segmenter: null, near: false }

  /* Query terms: normalise, and split a run of words without spaces into one clause per word.
     The words of one such run are all required (ความภักดิ is not found by ความ alone), and a stop
     word is marked, to be left out of a query that has other words (lunr.Index#query). */
  var clause = lunr.Query.prototype.clause
  lunr.Query.prototype.clause = function (c) {
    if (!state.lang || typeof c.term !== "string")
      return clause.call(this, c)
    var term = normalise(c.term)
    // At one typo, a run the index has a word for (ความภักดิ: ความภักดี) stays whole: its parts
    // at one typo each would find every word with ความ.
    var parts = c.editDistance && nearWord(term) ? [term] : segment(term, state.vocabulary, state.segmenter)
    for (var i = 0; i < parts.length; i++) {
      var copy = {}
      for (var key in c) copy[key] = c[key]
      copy.term = parts[i]
      copy.kbStop = Object.prototype.hasOwnProperty.call(words.stop, parts.length > 1 ? parts[i] : exact(c.term))
      if (parts.length > 1 && (c.presence || lunr.Query.presence.OPTIONAL) === lunr.Query.presence.OPTIONAL)
        copy.presence = lunr.Query.presence.REQUIRED
      clause.call(this, copy)
    }
    return this
  }

  var query = lunr.Index.prototype.query
  lunr.Index.prototype.query = function (fn) {
    return query.call(this, function (q) {
      fn.call(q, q)
      if (q.clauses.some(function (c) { return !c.kbStop }))
        q.clauses = q.clauses.filter(function (c) { return !c.kbStop })
    })
  }

  /* Typo tolerance: a query that finds nothing is asked again with each word of at least
     FUZZY_MIN letters at one edit from the index's words (Lunr's `word~1`; Material ends each
     word with `*`). Shorter words are left as they are: one edit from a word of three letters
     is a large share of the index. The result says so (postMessage, below). */
  var FUZZY_MIN = 4
  var search = lunr.Index.prototype.search
  lunr.Index.prototype.search = function (queryString) {
    var results = search.call(this, queryString)
    state.near = false
    if (results.length || /~/.test(queryString)) return results
    var near = queryString.replace(/(^|\s)([^\s]+)\*(?=\s|$)/gu, function (all, space, word) {
      return fold(word.replace(/^[+-]/, "")).length >= FUZZY_MIN ? space + word + "~1" : all
    })
    if (near === queryString) return results
    results = search.call(this, near)
    state.near = results.length > 0
    return results
  }

  /* Material's worker posts its result; a result found at one edit carries `kb: {near: true}`
     (kb-search.js says so above the list), and its words are not listed as missing (Material
     lists a typed word that no found word begins with). */
  var post = self.postMessage
  if (typeof post === "function") self.postMessage = function (message) {
    var near = state.near
    state.near = false  /* an empty query is answered without a search */
    if (near && message && message.type === 3 && message.data) {  /* SearchMessageType.RESULT */
      message.data.kb = { near: true }
      message.data.items.forEach(function (group) { group.forEach(function (item) { item.terms = {} }) })
    }
    return post.apply(self, arguments)
  }

  lunr.kb = {
    normalise: normalise,
    segment: segment,
    register: function (lang, data) {
      var name = "kb" + lang
      words.suffixes = data.suffixes
      data.stop.forEach(function (word) { words.stop[exact(word)] = true })
      var pipelineFn = function (token) {
        var parts = token.toString().split(JOINER)
        if (parts.length === 1)
          return token.update(function (s) { return normalise(s) })
        return [parts.join("")].concat(parts).map(function (word) {
          return token.clone(function () { return normalise(word) })
        })
      }
      lunr.Pipeline.registerFunction(pipelineFn, "kb-normalise-" + lang)
      lunr[name] = function () {
        state.lang = lang
        state.vocabulary = this.invertedIndex
        var builder = this, tokens = null
        state.tokens = function () { return tokens || (tokens = lunr.TokenSet.fromArray(Object.keys(builder.invertedIndex).sort())) }
        state.segmenter = self.Intl && Intl.Segmenter ? new Intl.Segmenter(lang, { granularity: "word" }) : null
        this.pipeline.reset()
        this.pipeline.add(pipelineFn)
        this.searchPipeline.reset()
        this.searchPipeline.add(pipelineFn)
      }
      lunr[name].trimmer = pipelineFn
    }
  }
})(self.lunr)
