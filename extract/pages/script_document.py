"""review.js, second part: a document page. Selecting a cell lights its span in the source (and a
number in the source selects its cell); the keys, the decisions (accept, pick a reading, edit,
note, undo, confirm every cell), kept in localStorage at each change and saved as JSONL."""
from __future__ import annotations

DOCUMENT_JS = r"""function documentPage() {
  var data = JSON.parse($("#data").textContent), sha = data.sha256;
  var cells = {}, order = [], at = {}, tds = {}, marks = {};
  data.cells.forEach(function (c, n) {
    if (!("w" in c)) c.w = c.v;  // the machine's value, a decision's `was`: the cell's own unless a person's applies
    cells[c.k] = c; order.push(c.k); at[c.k] = n;
  });
  all("td[data-k]").forEach(function (td) { tds[td.dataset.k] = td; td.dataset.shown = td.textContent; });
  all("#src .p").forEach(function (m) {
    m.cellKeys = m.dataset.c.split(" ").map(function (n) { return order[+n]; });
    m.cellKeys.forEach(function (k) { (marks[k] = marks[k] || []).push(m); });
  });
  var toCheck = order.filter(function (k) { return cells[k].f; });
  var drafts = load(sha), current = null, lit = [], issueAt = {}, lastIssue = [], kept = true, said = "";
  var detailBox = $("#detail");

  function states(k) { return cells[k].s.split(" "); }
  function has(k, state) { return states(k).indexOf(state) >= 0; }
  function valueOf(k) { var d = drafts[k]; return d && d.d ? d.v : cells[k].v; }
  function persist() { kept = keep(sha, drafts); tally(); }
  function say(text) { said = text; tally(); }
  function tally() {
    var mine = decided(drafts, order), checked = toCheck.filter(function (k) { return drafts[k] && drafts[k].d; });
    $("#tally").textContent = mine.length + " decided here (" + checked.length + " of " + toCheck.length +
      " cells to check)" + (kept ? "; kept in this browser until saved" : "; this browser keeps nothing: save before leaving") +
      (said ? " · " + said : "");
  }
  function paint(k) {
    var td = tds[k], d = drafts[k];
    if (!td) return;
    td.classList.toggle("mine", !!(d && d.d));
    td.textContent = d && d.d ? fmt(d.v) : td.dataset.shown;
  }
  function reconcile() {  // drop what the record now holds, and what was decided against another reading
    var stale = 0;
    Object.keys(drafts).forEach(function (k) {
      var c = cells[k], d = drafts[k];
      if (!c || !same(d.w, c.w)) { delete drafts[k]; stale++; }
      else if (d.d && has(k, "human") && same(d.v, c.v)) delete drafts[k];
    });
    if (stale) say(stale + " decisions kept here were made against another reading and were dropped");
  }

  function select(k) {
    if (!cells[k] || k === current) return;
    if (current && tds[current]) tds[current].classList.remove("sel");
    lit.forEach(function (m) { m.classList.remove("on"); });
    current = k;
    lit = marks[k] || [];
    var td = tds[k];
    if (td) {
      td.classList.add("sel");
      if (document.activeElement !== td) td.focus({preventScroll: true});
      td.scrollIntoView({block: "nearest", inline: "nearest"});
    }
    lit.forEach(function (m) { m.classList.add("on"); });
    if (lit.length) lit[0].scrollIntoView({block: "center", inline: "nearest"});
    detail();
    try { history.replaceState(null, "", "#cell=" + encodeURIComponent(k)); } catch (e) { /* file:// may refuse */ }
  }
  function move(list, step) {
    var p = current === null ? -1 : at[current], found = null;
    if (step > 0) found = list.filter(function (k) { return at[k] > p; })[0];
    else found = list.filter(function (k) { return at[k] < p; }).pop();
    if (found) select(found); else say(step > 0 ? "no further cell; ] opens the next document" : "no earlier cell");
  }
  function decide(value) {
    var c = cells[current], old = drafts[current] || {};
    drafts[current] = {v: value, w: c.w, n: old.n || "", d: 1};
    persist();
    paint(current);
    say("");
    detail();
    move(toCheck.length ? toCheck : order, 1);
  }
  function accept() {
    var c = cells[current], d = drafts[current];
    if (d && d.d) return decide(d.v);
    if (none(c.v) && c.o) return say("several readings: pick one with 1–" + c.o.length + ", or e to type it");
    decide(none(c.v) && !none(c.p) ? c.p : c.v);
  }
  function pick(n) {
    var c = cells[current];
    if (!c.o || n > c.o.length) return say("no reading " + n + " for this cell");
    decide(c.o[n - 1]);
  }
  function ask(label, start, done) {  // an input in the detail pane: Enter keeps it, Escape leaves it
    var box = el("div", "ask"), input = el("input");
    input.value = start;
    box.appendChild(el("label", null, label));
    box.appendChild(input);
    detailBox.appendChild(box);
    input.addEventListener("keydown", function (e) {
      e.stopPropagation();
      if (e.key === "Escape") { e.preventDefault(); detail(); tds[current].focus(); }
      else if (e.key === "Enter") { e.preventDefault(); done(input.value); }
    });
    input.focus();
    input.select();
  }
  function edit() {
    var k = current, d = drafts[k], c = cells[k];
    ask("value (empty: not printed)", fmt(d && d.d ? d.v : none(c.v) ? c.p : c.v).replace("—", ""), function (text) {
      var value = parseValue(text);
      if (value === undefined) return say("not a number: " + text);
      tds[k].focus({preventScroll: true});
      decide(value);
    });
  }
  function note() {
    var k = current, d = drafts[k] || {};
    ask("note", d.n || "", function (text) {
      drafts[k] = {v: d.v, w: cells[k].w, n: text.trim(), d: d.d};
      persist();
      detail();
      tds[k].focus({preventScroll: true});
      if (!d.d) say("note kept; decide the value to save it");
    });
  }
  function undo() { delete drafts[current]; persist(); paint(current); detail(); }
  function confirmAll() {
    order.forEach(function (k) {
      var old = drafts[k] || {};
      if (!old.d) drafts[k] = {v: cells[k].v, w: cells[k].w, n: old.n || "", d: 1};
      paint(k);
    });
    persist();
    say("every cell confirmed; s saves them");
    detail();
  }
  function save() {
    var out = lines(sha, drafts, order), name = "corrections-" + sha.slice(0, 16) + ".jsonl";
    if (!out.length) return say("nothing decided yet");
    download(name, out.join("\n") + "\n");
    say(out.length + " decisions saved to " + name + ": govreport correct " + name);
  }
  function go(id) { var a = $(id); if (a) location.href = a.href; else say("no " + (id === "#next" ? "next" : "previous") + " document"); }
  function showIssue(n) {
    var keys = data.issues[n].keys;
    lastIssue.forEach(function (k) { if (tds[k]) tds[k].classList.remove("hl"); });
    lastIssue = keys;
    keys.forEach(function (k) { if (tds[k]) tds[k].classList.add("hl"); });
    if (!keys.length) return say("this issue names no cell");
    issueAt[n] = ((issueAt[n] === undefined ? -1 : issueAt[n]) + 1) % keys.length;
    select(keys[issueAt[n]]);
  }

  function detail() {
    detailBox.textContent = "";
    var k = current, c = cells[k], d = drafts[k];
    var head = el("div", "d-head");
    head.appendChild(el("b", null, data.rows[c.r]));
    head.appendChild(document.createTextNode(" / " + data.cols[c.c] + " "));
    head.appendChild(el("code", null, k));
    detailBox.appendChild(head);
    var printed = (marks[k] || []).map(function (m) { return m.textContent; }).join("");
    line("machine: " + fmt(c.v) + " (" + c.m + (c.ln ? ", line " + c.ln : "") + ") · " + c.s +
         (printed ? " · printed “" + printed + "”" : " · not printed at one place"));
    if (c.n) line(c.n, "note");
    if (c.x) line("a correction to " + fmt(c.x.v) + " (made against " + fmt(c.x.w) + (c.x.by ? " by " + c.x.by : "") +
                  ") no longer applies: the machine now reads " + fmt(c.v), "warn");
    if (!none(c.p)) line("proposal (unconfirmed): " + fmt(c.p) + (none(c.v) ? " — Enter accepts it" : ""), "proposal");
    if (c.o) {
      var readings = el("div", "readings", "readings: ");
      c.o.forEach(function (v, n) {
        var b = el("button", null, (n + 1) + ": " + fmt(v));
        b.type = "button";
        b.addEventListener("click", function () { tds[k].focus({preventScroll: true}); pick(n + 1); });
        readings.appendChild(b);
      });
      detailBox.appendChild(readings);
    }
    (c.i || []).forEach(function (n) { issue(data.issues[n]); });
    line(d && d.d ? "decided: " + fmt(d.v) + (same(d.v, c.w) ? " (accepts the machine's value)" : " (was " + fmt(c.w) + ")") +
         (d.n ? " · note: " + d.n : "") : "not decided" + (d && d.n ? " · note: " + d.n : ""), d && d.d ? "mine" : "");
  }
  function line(text, cls) { detailBox.appendChild(el("div", cls || null, text)); }
  function issue(i) {
    var box = el("div", "d-issue sev-" + i.severity);
    box.appendChild(el("b", null, i.code + " "));
    box.appendChild(document.createTextNode(i.message));
    if (i.rel) {
      box.appendChild(el("div", "says", i.rel.says));
      box.appendChild(side(i.rel.l, i.rel.l.concat(i.rel.r)));
      box.appendChild(el("div", "eq", "="));
      box.appendChild(side(i.rel.r, i.rel.l.concat(i.rel.r)));
    }
    detailBox.appendChild(box);
  }
  function side(keys, both) {  // a relation's side: each cell (a link), its value, the sum
    var box = el("div", "side"), sum = 0;
    var byRow = both.every(function (k) { return cells[k].c === cells[both[0]].c; });
    keys.forEach(function (k, n) {
      if (n) box.appendChild(document.createTextNode(" + "));
      var a = el("a", k === current ? "here" : null, (byRow ? data.rows[cells[k].r] : data.cols[cells[k].c]) + " " + fmt(valueOf(k)));
      a.href = "#cell=" + encodeURIComponent(k);
      a.addEventListener("click", function (e) { e.preventDefault(); select(k); });
      box.appendChild(a);
      sum = sum === null || typeof valueOf(k) !== "number" ? null : sum + valueOf(k);
    });
    box.appendChild(el("b", null, " = " + (sum === null ? "?" : String(Math.round(sum * 1e6) / 1e6))));
    return box;
  }

  $("#left").addEventListener("click", function (e) {
    var td = e.target.closest("td[data-k]"), li = e.target.closest("li[data-i]");
    if (td) select(td.dataset.k);
    else if (li) showIssue(+li.dataset.i);
  });
  $("#left").addEventListener("focusin", function (e) { if (e.target.dataset && e.target.dataset.k) select(e.target.dataset.k); });
  $("#src").addEventListener("click", function (e) {
    var m = e.target.closest(".p");
    if (!m) return;
    var keys = m.cellKeys, i = keys.indexOf(current);
    select(keys[(i + 1) % keys.length]);  // a run several cells were cut from: each click the next
  });
  $("#save").addEventListener("click", save);
  $("#confirm-all").addEventListener("click", confirmAll);
  $("#forget").addEventListener("click", function () {
    drafts = {};
    persist();
    order.forEach(paint);
    if (current) detail();
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target, k = e.key;
    if (e.ctrlKey || e.metaKey || e.altKey || (t.matches && t.matches("input, textarea, select"))) return;
    if ((k === "Enter" || k === " ") && t.matches && t.matches("button, a, summary")) return;
    if (k === "Enter" && t.dataset && t.dataset.i !== undefined) { showIssue(+t.dataset.i); e.preventDefault(); return; }
    if (k === "]") go("#next");
    else if (k === "[") go("#prev");
    else if (k === "s") save();
    else if (k === "?") document.body.classList.toggle("quiet");
    else if (!current) return;
    else if (k === "j") move(toCheck.length ? toCheck : order, 1);
    else if (k === "k") move(toCheck.length ? toCheck : order, -1);
    else if (k === "ArrowDown") move(order, 1);
    else if (k === "ArrowUp") move(order, -1);
    else if (k === "Enter") accept();
    else if (k === "e") edit();
    else if (k === "n") note();
    else if (/^[1-9]$/.test(k)) pick(+k);
    else if (k === "u" || k === "Backspace" || k === "Delete") undo();
    else if (k === "A") confirmAll();
    else return;
    e.preventDefault();
  });

  reconcile();
  persist();
  order.forEach(paint);
  var wanted = /cell=([^&]+)/.exec(location.hash), first = null;
  try { first = wanted && decodeURIComponent(wanted[1]); } catch (e) { /* a mangled link: start at the top */ }
  if (order.length) select(cells[first] ? first : toCheck[0] || order[0]);
}

afterFirstFrames(document.body.dataset.page === "index" ? indexPage : documentPage);
"""
