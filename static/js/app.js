// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // htmx, on the pages that use it (data-htmx), once the page has loaded and its first
  // content is on screen: it never holds up the first paint, and until it runs links
  // and forms work the plain way.
  var htmxSource = document.currentScript && document.currentScript.getAttribute("data-htmx");
  function loadHtmx() {
    var script = document.createElement("script");
    script.src = htmxSource;
    document.head.appendChild(script);
  }
  function afterFirstPaint(callback) {
    var types = window.PerformanceObserver && PerformanceObserver.supportedEntryTypes;
    if (!types || types.indexOf("paint") < 0) { callback(); return; }
    var observer = new PerformanceObserver(function (list) {
      if (list.getEntriesByName("first-contentful-paint").length) {
        observer.disconnect();
        setTimeout(callback, 0);
      }
    });
    observer.observe({ type: "paint", buffered: true });
  }
  function whenLoaded() { afterFirstPaint(loadHtmx); }
  if (htmxSource) {
    if (document.readyState === "complete") { whenLoaded(); } else { window.addEventListener("load", whenLoaded); }
  }
  // Close an open <details> dropdown when clicking elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.dropdown[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
  });
  // A form that comes back with errors brings its error summary into view and focus.
  function focusMarked(root) {
    var target = root && root.querySelector ? root.querySelector("[data-focus-on-load]") : null;
    if (!target && root && root.hasAttribute && root.hasAttribute("data-focus-on-load")) { target = root; }
    if (target) {
      target.scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    }
  }
  document.addEventListener("DOMContentLoaded", function () { focusMarked(document); });
  document.addEventListener("htmx:afterSettle", function (event) { focusMarked(event.detail.elt); });
  // Print and Share buttons appear only where the browser can do them.
  function enableTools(root) {
    root.querySelectorAll("[data-print]").forEach(function (button) { button.hidden = !window.print; });
    root.querySelectorAll("[data-share]").forEach(function (button) { button.hidden = !navigator.share; });
  }
  document.addEventListener("DOMContentLoaded", function () { enableTools(document); });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print], [data-share]") : null;
    if (!button) { return; }
    if (button.hasAttribute("data-print")) { window.print(); return; }
    navigator.share({ title: button.getAttribute("data-share-title") || document.title, url: window.location.href })
      .catch(function () { /* the seller closed the share sheet */ });
  });
  // Plain forms marked data-confirm ask before submitting (htmx elements use hx-confirm).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  }, true);
})();
