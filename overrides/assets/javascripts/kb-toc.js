/* The section an address led to, marked in the table of contents near a page's end, where the page
   cannot scroll it to the top and Material marks the last section; loaded by kb.js once the address
   names a section (ARCHITECTURE.md, "The pages' script and styles") */
(function () {
  var marked = ""
  function markTarget() {
    var id = decodeURIComponent(location.hash.slice(1)), target = id && document.getElementById(id)
    if (target && target.classList.contains("kb-alias")) target = target.parentElement.previousElementSibling
    var box = target && target.getBoundingClientRect()
    var atEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 1
    var show = target && atEnd && box.bottom > 0 && box.top < window.innerHeight ? target.id : ""
    if (show === marked) return
    document.querySelectorAll(".kb-toc-target").forEach(function (a) { a.classList.remove("kb-toc-target") })
    if (show) document.querySelectorAll('.md-nav--secondary a.md-nav__link[href="#' + CSS.escape(show) + '"]').forEach(function (a) {
      a.classList.add("kb-toc-target")
    })
    marked = show
  }
  window.addEventListener("scroll", markTarget, { passive: true })
  window.addEventListener("hashchange", markTarget)
  window.addEventListener("load", markTarget)
  markTarget()
})()
