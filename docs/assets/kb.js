/* Print: write out the full address of every link in the text (see kb.css). */
window.addEventListener("beforeprint", function () {
  document.querySelectorAll(".md-content .md-typeset a[href]:not(.headerlink)").forEach(function (a) {
    if (a.textContent.trim() !== a.href) a.setAttribute("data-kb-url", a.href)
  })
})
