"""review.js, first part: what both kinds of page share (storage of decisions, the JSONL they are
saved as, downloads, reading a typed value), the index's filters and "save all", and how a page
starts. Plain JS, no framework, nothing fetched; `script_document` is the second part."""
from __future__ import annotations

# How a page starts; tests/test_browser_harness.py runs it on pages of its own.
STARTUP_JS = r"""
/* Chromium binds a file:// page's localStorage at its first use, and a page that uses it soon after
   it loads is sometimes handed a fresh, empty area of its own (about 1 load in 4 when used at once),
   where what it keeps is lost at the next load. After the second frame past "load" that is rare but,
   on a fast machine, not unknown. Such an area is always empty, while the lasting one holds at least
   the mark every page leaves: a page that finds its storage empty leaves the mark and loads itself
   again. On a first visit (or after storage was cleared) the mark is then found at the next load;
   only fresh areas handed out again and again make it load more often, up to RETRIES times. */
var MARK = "govreport:~", RETRY = /^govreport-retry:(\d+)$/, RETRIES = 8;
function withLastingStorage(start) {
  var tries = RETRY.exec(window.name), n = tries ? +tries[1] : 0;
  try {
    if (!localStorage.length && n < RETRIES) {
      localStorage.setItem(MARK, "1");
      window.name = "govreport-retry:" + (n + 1);
      location.reload();
      return;
    }
    if (!localStorage.getItem(MARK)) localStorage.setItem(MARK, "1");
  } catch (e) { /* storage refused or full: the page says that it keeps nothing */ }
  if (tries) window.name = "";
  document.body.dataset.loads = String(n + 1);
  start();
  document.body.dataset.ready = "1";
}
function afterFirstFrames(start) {
  function frames() {
    requestAnimationFrame(function () { requestAnimationFrame(function () { withLastingStorage(start); }); });
  }
  if (document.readyState === "complete") frames(); else addEventListener("load", frames);
}
"""

SHARED_JS = r""""use strict";
/* govreport review pages: plain JS, no framework, nothing fetched. Decisions are kept in
   localStorage under "govreport:<sha256>" as {key: {v: value, w: was, n: note, d: 1 when decided}}
   and saved as the JSONL `govreport correct` reads: {"sha256", "key", "value", "was", "note"}. */
var PREFIX = "govreport:";
function $(css, root) { return (root || document).querySelector(css); }
function all(css, root) { return Array.prototype.slice.call((root || document).querySelectorAll(css)); }
function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}
function none(v) { return v === null || v === undefined; }
function fmt(v) { return none(v) ? "—" : String(v); }
function same(a, b) {
  if (none(a) || none(b)) return none(a) && none(b);
  return typeof a === "number" && typeof b === "number" ? Math.abs(a - b) < 1e-9 : String(a) === String(b);
}
function load(sha) {
  try { return JSON.parse(localStorage.getItem(PREFIX + sha) || "{}") || {}; } catch (e) { return {}; }
}
function keep(sha, drafts) {  // false: this browser keeps nothing (storage refused or full)
  try {
    if (Object.keys(drafts).length) localStorage.setItem(PREFIX + sha, JSON.stringify(drafts));
    else localStorage.removeItem(PREFIX + sha);
    return true;
  } catch (e) { return false; }
}
function decided(drafts, order) {
  return (order || Object.keys(drafts)).filter(function (k) { return drafts[k] && drafts[k].d; });
}
function lines(sha, drafts, order) {
  return decided(drafts, order).map(function (k) {
    var d = drafts[k];
    return JSON.stringify({sha256: sha, key: k, value: none(d.v) ? null : d.v, was: none(d.w) ? null : d.w,
                           note: d.n || ""});
  });
}
function download(name, text) {
  var url = URL.createObjectURL(new Blob([text], {type: "application/octet-stream"}));
  var a = el("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(function () { URL.revokeObjectURL(url); }, 5000);
}
function parseValue(text) {  // what a person typed: a number, or nothing (null); undefined when neither
  var t = text.replace(/[\uff10-\uff19\uff0e\uff0d]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); })
              .replace(/[,，\s]/g, "");
  if (t === "" || t === "null") return null;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : undefined;
}

function indexPage() {
  var rows = all("#docs tbody tr"), status = $("#f-status"), code = $("#f-code"), agency = $("#f-agency");
  function filter() {
    var s = status.value, c = code.value, a = agency.value.trim(), shown = 0;
    rows.forEach(function (tr) {
      var ok = (!s || tr.dataset.status === s) && (!c || tr.dataset.codes.indexOf(" " + c + " ") >= 0) &&
               (!a || tr.dataset.agency.indexOf(a) >= 0);
      tr.hidden = !ok;
      if (ok) shown++;
    });
    $("#shown").textContent = shown + " of " + rows.length + " shown";
  }
  status.addEventListener("change", filter);
  code.addEventListener("change", filter);
  agency.addEventListener("input", filter);
  rows.forEach(function (tr) {
    var n = tr.dataset.sha ? decided(load(tr.dataset.sha)).length : 0;
    $(".decided", tr).textContent = n ? String(n) : "";
  });
  $("#save-all").addEventListener("click", function () {
    var out = [];
    rows.forEach(function (tr) { if (tr.dataset.sha) out = out.concat(lines(tr.dataset.sha, load(tr.dataset.sha))); });
    if (!out.length) { $("#shown").textContent = "no decisions are kept in this browser for these documents"; return; }
    download("corrections-all.jsonl", out.join("\n") + "\n");
    $("#shown").textContent = out.length + " decisions saved to corrections-all.jsonl: govreport correct FILE";
  });
  filter();
}
""" + STARTUP_JS
