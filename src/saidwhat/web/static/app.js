// saidwhat: click (or press Enter on) a highlighted quote to see who said it, with which cue,
// its type and confidence. Text is only ever set with textContent, never as HTML.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }
  ready(function () {
    var dataEl = document.getElementById("attributions-data");
    var card = document.getElementById("card");
    if (!dataEl || !card) return;
    var details = [];
    try { details = JSON.parse(dataEl.textContent || "[]"); } catch (e) { return; }
    var text = document.getElementById("article-text");
    var shown = null;

    function pieces(i) { return text.querySelectorAll('[data-a="' + i + '"]'); }
    function clear() {
      if (shown === null) return;
      pieces(shown).forEach(function (el) { el.classList.remove("active"); });
      shown = null; card.hidden = true;
    }
    function show(i, anchor) {
      var d = details[i];
      if (!d) return;
      clear();
      shown = i;
      pieces(i).forEach(function (el) { el.classList.add("active"); });
      card.querySelectorAll("[data-f]").forEach(function (el) {
        var v = d[el.getAttribute("data-f")];
        if (el.getAttribute("data-f") === "confidence" && typeof v === "number") v = v.toFixed(2);
        el.textContent = (v === null || v === undefined || v === "") ? "—" : String(v);
      });
      card.hidden = false;
      var r = anchor.getBoundingClientRect();
      var top = r.bottom + 8, left = Math.min(r.left, window.innerWidth - card.offsetWidth - 12);
      if (top + card.offsetHeight > window.innerHeight - 8) top = Math.max(8, r.top - card.offsetHeight - 8);
      card.style.top = (top + window.scrollY) + "px";
      card.style.left = (Math.max(8, left) + window.scrollX) + "px";
    }
    var first = {};
    text.querySelectorAll("[data-a]").forEach(function (el) {
      var i = el.getAttribute("data-a");
      if (!(i in first)) { first[i] = el; el.id = "a" + i; }
      el.tabIndex = 0;
    });
    text.addEventListener("click", function (ev) {
      var el = ev.target.closest("[data-a]");
      if (el) { ev.stopPropagation(); show(+el.getAttribute("data-a"), el); }
    });
    text.addEventListener("keydown", function (ev) {
      var el = ev.target.closest("[data-a]");
      if (el && ev.key === "Enter") show(+el.getAttribute("data-a"), el);
    });
    document.querySelectorAll(".quote-link").forEach(function (link) {
      link.addEventListener("click", function (ev) {
        var i = link.getAttribute("data-a"), target = first[i];
        if (!target) return;
        ev.preventDefault(); ev.stopPropagation();
        target.scrollIntoView({ block: "center" });
        show(+i, target);
      });
    });
    document.getElementById("card-close").addEventListener("click", clear);
    document.addEventListener("click", function (ev) { if (!card.contains(ev.target)) clear(); });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") clear(); });
  });
})();
