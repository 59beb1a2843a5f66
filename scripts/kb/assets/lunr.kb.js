/*
 * The knowledge base's search language support, loaded by Material's search worker.
 *
 * Every language's index is built by `kb` with `lang: ["kb<code>"]`, so the worker imports
 * `lunr.kb<code>.min.js`. kb/site/search.py writes that file for each language: this file plus
 * `lunr.kb.register(code)`, in one piece, so that it also works where importScripts is
 * asynchronous (the iframe-worker shim of the offline bundle).
 *
 * - The same normaliser runs on indexed tokens and on query terms: Material appends a
 *   wildcard to every query term, and Lunr skips its search pipeline for wildcard terms,
 *   so query terms are normalised where clauses are created (lunr.Query#clause).
 * - Latin scripts: accents are optional (NFD, strip U+0300-U+036F, đ -> d), plus a light,
 *   prefix-safe suffix stripper for French and Frisian plurals and verb endings.
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

  /* Data: suffixes removed before matching, longest first; a stem keeps 3 letters at least */
  var SUFFIXES = {
    fr: ["s", "x"],
    fy: ["ens", "en", "es", "e", "s"],
    vi: [],
    th: []
  }

  function fold(term) {
    return term.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase()
  }

  function stem(term, lang) {
    var list = SUFFIXES[lang] || []
    for (var i = 0; i < list.length; i++) {
      var s = list[i]
      if (term.length - s.length >= 3 && term.slice(-s.length) === s)
        return term.slice(0, -s.length)
    }
    return term
  }

  function normalise(term, lang) {
    var trimmed = term.replace(TRIM, "")
    return stem(fold(trimmed), lang)
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

  var state = { lang: null, vocabulary: {}, segmenter: null }

  /* Query terms: normalise, and split a run of words without spaces into one clause per word */
  var clause = lunr.Query.prototype.clause
  lunr.Query.prototype.clause = function (c) {
    if (!state.lang || typeof c.term !== "string")
      return clause.call(this, c)
    var term = normalise(c.term, state.lang)
    var parts = segment(term, state.vocabulary, state.segmenter)
    for (var i = 0; i < parts.length; i++) {
      var copy = {}
      for (var key in c) copy[key] = c[key]
      copy.term = parts[i]
      clause.call(this, copy)
    }
    return this
  }

  lunr.kb = {
    normalise: normalise,
    segment: segment,
    register: function (lang) {
      var name = "kb" + lang
      var pipelineFn = function (token) {
        var parts = token.toString().split(JOINER)
        if (parts.length === 1)
          return token.update(function (s) { return normalise(s, lang) })
        return [parts.join("")].concat(parts).map(function (word) {
          return token.clone(function () { return normalise(word, lang) })
        })
      }
      lunr.Pipeline.registerFunction(pipelineFn, "kb-normalise-" + lang)
      lunr[name] = function () {
        state.lang = lang
        state.vocabulary = this.invertedIndex
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
