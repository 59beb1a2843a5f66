/* The language banner, loaded by kb.js only for a reader whose browser asks for another of the
   guide's languages than the page's, after each language's texts (kb-banner-texts.js, written by
   the build) (ARCHITECTURE.md, "The pages' script and styles") */
(function (offer, texts) {
  var article = document.querySelector(".md-content__inner")
  if (!article || !texts) return
  var banner = document.createElement("div"), go = document.createElement("a"), close = document.createElement("button")
  banner.className = "kb-language-banner"
  banner.setAttribute("lang", offer.lang)
  banner.setAttribute("dir", "auto")
  banner.setAttribute("role", "note")
  go.href = offer.sameSection(offer.link)
  go.setAttribute("hreflang", offer.lang)
  go.textContent = texts.text
  go.addEventListener("click", function () { offer.chose(offer.lang) })
  close.type = "button"
  close.className = "kb-language-banner__close"
  close.setAttribute("aria-label", texts.dismiss)
  close.title = texts.dismiss
  close.textContent = "\u00d7"
  close.addEventListener("click", function () {
    offer.remember(offer.closed, "closed")
    document.documentElement.style.scrollPaddingTop = ""
    banner.remove()
  })
  banner.appendChild(go)
  banner.appendChild(close)
  article.insertBefore(banner, article.firstChild)
  // a deep link's target below it, not under it
  var header = document.querySelector(".md-header")
  document.documentElement.style.scrollPaddingTop = ((header ? header.offsetHeight : 0) + banner.offsetHeight + 8) + "px"
  var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)))
  if (target) target.scrollIntoView()
  window.addEventListener("hashchange", function () { go.href = offer.sameSection(offer.link) })
})(window.__kbOffer, (window.__kbBanner || {})[window.__kbOffer.lang])
