// The console's only script of its own: htmx requests carry the session's CSRF token as a header,
// read from <meta name="csrf-token">. No inline script exists anywhere in the console (CSP).
document.addEventListener("htmx:configRequest", function (e) {
  var m = document.querySelector('meta[name="csrf-token"]');
  if (m) {
    e.detail.headers["X-CSRF-Token"] = m.getAttribute("content");
  }
});

// API keys screen: a button with data-copy="<id>" copies that element's text to the clipboard
// (the key shown once) and says so in the element named by data-copied.
document.addEventListener("click", function (e) {
  var b = e.target.closest ? e.target.closest("button[data-copy]") : null;
  if (!b) {
    return;
  }
  var src = document.getElementById(b.getAttribute("data-copy"));
  var state = document.getElementById(b.getAttribute("data-copied"));
  if (!src || !navigator.clipboard) {
    if (state) { state.textContent = "copy is not available here: select the key and copy it"; }
    return;
  }
  navigator.clipboard.writeText(src.textContent).then(
    function () { if (state) { state.textContent = "copied"; } },
    function () { if (state) { state.textContent = "copy refused by the browser: select the key and copy it"; } }
  );
});
