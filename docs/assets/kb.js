/* The knowledge base's own script: addresses made from where the reader is, print, languages. */
(function () {
  var config = JSON.parse((document.getElementById("__config") || {}).textContent || "{}")
  var root = new URL((config.base || ".") + "/", location.href)  // the site's root, from this page
  var local = location.protocol === "file:"

  /* An address to share: the page's own (any host, port and path prefix), or from file:// (the
     offline zip) the path from the guide's root, with its language prefix. */
  function shared(url) {
    url = new URL(url, location.href)
    url.search = ""
    return local ? url.href.slice(root.href.length) : url.href
  }
  function here(hash) { return shared(location.href.split("#")[0] + (hash || "")) }

  /* Copy link: Material's clipboard code copies data-clipboard-text when the button is clicked;
     the page wrote the address from the site's root (`fr/topic/#section`), kept for its anchor. */
  document.querySelectorAll(".kb-copy-link[data-clipboard-text]").forEach(function (button) {
    var text = button.getAttribute("data-clipboard-text"), at = text.indexOf("#")
    button.setAttribute("data-clipboard-text", here(at < 0 ? "" : text.slice(at)))
  })
  /* The trainers' page lists every address: shown as the reader would share it. */
  document.querySelectorAll("a.kb-address[href]").forEach(function (a) { a.textContent = shared(a.href) })

  /* Print: write out the full address of every link in the text (see kb.css). */
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".md-content .md-typeset a[href]:not(.headerlink)").forEach(function (a) {
      if (a.textContent.trim() !== a.href) a.setAttribute("data-kb-url", a.href)
    })
  })
})()
