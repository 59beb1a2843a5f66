/* The search worker's globals in iframe-worker's frame (iframe-worker-shim.js, from file://): what
   iframe-worker 1.0.4 writes there as an inline script, as a file, which the Content-Security-Policy
   allows. The worker's address is the frame's data-url. Its name: Material's worker takes the
   folder of its lunr scripts from the frame's first script, up to `/worker` (assets/javascripts). */
postMessage = function (s, n) { parent.postMessage(s, n || "*") }
importScripts = function (...s) {
  return s.reduce(function (n, e) {
    return n.then(function () {
      return new Promise(function (r) {
        var t = document.createElement("script")
        t.src = e
        t.onload = r
        document.body.appendChild(t)
      })
    })
  }, Promise.resolve())
}
addEventListener("error", function (event) {
  parent.dispatchEvent(new ErrorEvent("error", { filename: frameElement.dataset.url, error: event.error }))
})
