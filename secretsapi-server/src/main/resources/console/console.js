// The console's only script of its own: htmx requests carry the session's CSRF token as a header,
// read from <meta name="csrf-token">. No inline script exists anywhere in the console (CSP).
document.addEventListener("htmx:configRequest", function (e) {
  var m = document.querySelector('meta[name="csrf-token"]');
  if (m) {
    e.detail.headers["X-CSRF-Token"] = m.getAttribute("content");
  }
});
