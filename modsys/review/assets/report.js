// The review page's script: draws the bundles and the configuration from the embedded JSON,
// links the plan picture to the bundles, and filters everything by the search box.
// Text is only ever set with textContent: no value from the configuration becomes markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) { continue; }
      parent.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return parent;
  }
  function plural(n, what) { return n + " " + what + (n === 1 ? "" : "s"); }
  function badge(kind, text) { return el("span", "badge " + kind, text); }
  function diffBadge(d) { return d ? badge(d.op, d.op + (d.from ? " (from " + d.from + ")" : "")) : null; }
  function changeList(d) {
    if (!d || !d.changes) { return null; }
    var ul = el("ul", "changes");
    d.changes.forEach(function (c) {
      var cls = c.op === "+" ? "plus" : c.op === "-" ? "minus" : "tilde";
      var text = c.op + " " + c.path + ": " + (c.op === "+" ? c.new : c.op === "-" ? c.old : c.old + " → " + c.new);
      ul.appendChild(el("li", cls, text));
    });
    return ul;
  }
  function problemList(problems) {
    if (!problems || !problems.length) { return null; }
    var ul = el("ul", "problems");
    problems.forEach(function (p) { ul.appendChild(el("li", null, p)); });
    return ul;
  }

  // --- header ------------------------------------------------------------------------------
  var s = data.summary;
  document.getElementById("summary").textContent =
    [plural(s.batches, "batch").replace("batchs", "batches"), plural(s.bundles, "bundle"),
     plural(s.objects, "object"), plural(s.charts, "chart")].join(", ") + "; " +
    (s.problems ? plural(s.problems, "validation problem") : "all objects valid");
  if (data.base) {
    document.getElementById("base").textContent = "compared with: " +
      (data.base.modules.join(" ") || "(default modules)");
    document.getElementById("legend").textContent =
      "Yellow: changed since the base; green: a new bundle; red outline: validation problems.";
  }
  var general = problemList(data.problems);
  if (general) { document.getElementById("plan-problems").appendChild(general); }

  // --- bundles -----------------------------------------------------------------------------
  var bundleBox = document.getElementById("bundles");
  var bundleViews = [];
  data.bundles.forEach(function (b) {
    var d = el("details", "bundle" + (b.changed ? " changed" : ""));
    d.id = "bundle-" + b.id;
    d.dataset.key = b.key;
    var sum = el("summary");
    add(sum, b.ok ? badge("ok", "valid") : badge("bad", "problems"), el("span", "name", b.name),
        el("span", "dim", "  " + b.batch + " (priority " + b.priority + ")" +
           (b.namespace ? " · namespace " + b.namespace : "") + " · " + b.summary),
        b.added ? badge("added", "new bundle") : b.changed ? badge("changed", "changed") : null);
    d.appendChild(sum);
    var body = el("div", "body");
    add(body, problemList(b.problems));
    if (b.dependsOn.length) { body.appendChild(el("div", "dim", "depends on " + b.dependsOn.join(", "))); }
    b.waits.forEach(function (w) { body.appendChild(el("div", "dim", "wait: " + w)); });
    if (b.chart) {
      var c = el("details", "object chart");
      add(c, add(el("summary"), "chart ", el("code", null, b.chart.name + " " + (b.chart.version || "")),
                 " release " + b.chart.release, diffBadge(b.chart.d)));
      add(c, changeList(b.chart.d), el("pre", null, b.chart.yaml));
      body.appendChild(c);
    }
    var objectViews = [];
    b.objects.forEach(function (o) {
      var od = el("details", "object");
      var label = o.kind + " " + (o.namespace ? o.namespace + "/" : "") + o.name;
      od.dataset.search = (label + " " + (o.apiVersion || "")).toLowerCase();
      od.dataset.changed = o.d ? "1" : "";
      add(od, add(el("summary"), o.problems.length ? badge("bad", "invalid") : badge("ok", "valid"),
                  el("code", null, label), diffBadge(o.d)));
      add(od, problemList(o.problems), changeList(o.d), el("pre", null, o.yaml));
      body.appendChild(od);
      objectViews.push(od);
    });
    b.removed.forEach(function (r) {
      var row = el("div", "object removed-row");
      row.dataset.search = (r.kind + " " + (r.namespace ? r.namespace + "/" : "") + r.name).toLowerCase();
      row.dataset.changed = "1";
      add(row, badge("removed", "removed"), r.kind + " " + (r.namespace ? r.namespace + "/" : "") + r.name);
      body.appendChild(row);
      objectViews.push(row);
    });
    d.appendChild(body);
    bundleBox.appendChild(d);
    bundleViews.push({ bundle: b, view: d, objects: objectViews });
    var node = document.querySelector('#plan svg .node[data-key="' + CSS.escape(b.key) + '"]');
    if (node) {
      if (!b.ok) { node.classList.add("problem"); }
      if (b.changed) { node.classList.add(b.added ? "added" : "changed"); }
      var show = function () { d.open = true; d.scrollIntoView({ block: "start" }); };
      node.setAttribute("tabindex", "0");
      node.setAttribute("role", "button");
      node.setAttribute("aria-label", "bundle " + b.key);
      node.addEventListener("click", show);
      node.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); show(); }
      });
    }
  });

  // --- configuration -----------------------------------------------------------------------
  function provBlock(leaf) {
    var p = leaf.p;
    var box = el("div", "prov");
    if (leaf.d && leaf.d.op === "changed") { box.appendChild(el("div", "was", "was: " + leaf.d.old)); }
    if (leaf.d && leaf.d.op === "added") { box.appendChild(el("div", "was", "not set in the base")); }
    add(box, el("pre", "full-value", leaf.v));
    add(box, el("div", null, "type: " + p.type));
    if (p.declared.length) { add(box, el("div", null, "declared in: " + p.declared.join(", "))); }
    var table = el("table");
    add(table, add(el("tr"), el("th", null, "defined at"), el("th", null, "priority"),
                   el("th", null, "status"), el("th", null, "value")));
    p.defs.forEach(function (r) {
      add(table, add(el("tr"), el("td", null, r.at + (r.default ? " (option default)" : "")),
                     el("td", null, r.priority),
                     el("td", r.status === "won" ? "won" : "overridden", r.status + (r.detail ? ": " + r.detail : "")),
                     add(el("td"), el("code", null, r.value))));
    });
    add(box, table, el("div", "why", "why: " + p.why));
    return box;
  }
  var leafViews = [];
  function drawTree(nodes, parent, ancestors) {
    nodes.forEach(function (n) {
      var d = el("details", n.c ? "branch" : "leaf" + (n.d ? " d-" + n.d.op : ""));
      var sum = el("summary");
      sum.appendChild(el("span", "key", n.k));
      d.appendChild(sum);
      if (n.c) {
        var kids = el("div", "kids");
        d.appendChild(kids);
        drawTree(n.c, kids, ancestors.concat([d]));
      } else {
        d.dataset.path = n.path;
        var first = n.v.split("\n")[0];
        add(sum, ": ", el("code", "value", first.length > 100 || n.v.indexOf("\n") >= 0 ?
                          first.slice(0, 100) + " …" : first), n.d ? badge(n.d.op, n.d.op) : null);
        d.addEventListener("toggle", function once() {
          if (d.open && !d.dataset.drawn) { d.dataset.drawn = "1"; d.appendChild(provBlock(n)); }
        });
        leafViews.push({ view: d, path: n.path.toLowerCase(), ancestors: ancestors, changed: !!n.d });
      }
      parent.appendChild(d);
    });
  }
  var tree = document.getElementById("config");
  drawTree(data.config, tree, []);
  if (!data.config.length) { tree.appendChild(el("p", "dim", "(no values set by modules)")); }

  if (data.base) {
    var gone = document.getElementById("removed");
    var items = [];
    data.base.removedConfig.forEach(function (r) { items.push({ text: r.path, old: r.old }); });
    data.base.removedObjects.forEach(function (r) {
      items.push({ text: r.kind + " " + (r.namespace ? r.namespace + "/" : "") + r.name + " [" + r.bundle + "]" });
    });
    if (items.length) {
      gone.appendChild(el("h2", null, "Removed since the base (" + items.length + ")"));
      items.forEach(function (i) {
        var row = el("details", "leaf d-removed");
        add(row, add(el("summary"), badge("removed", "removed"), el("code", null, i.text)));
        if (i.old !== undefined) { row.appendChild(el("pre", null, i.old)); }
        gone.appendChild(row);
      });
    }
  }

  // --- search ------------------------------------------------------------------------------
  var search = document.getElementById("search");
  var counts = document.getElementById("matches");
  var changedOnly = document.getElementById("changed-only");
  if (data.base) { document.getElementById("changed-toggle").hidden = false; }
  // What the reviewer had open before searching: a search opens what it finds, and clearing
  // it goes back to that, instead of leaving every prefix typed on the way expanded.
  var saved = null;
  function restore() {
    if (saved) { saved.forEach(function (open, d) { d.open = open; }); }
  }
  function apply() {
    var only = changedOnly.checked;
    var q = search.value.trim().toLowerCase();
    var filtering = !!q || only;
    var nb = 0, no = 0, nv = 0;
    if (filtering && !saved) {
      saved = new Map();
      document.querySelectorAll("#bundles details, #config details").forEach(function (d) {
        saved.set(d, d.open);
      });
    }
    restore();
    if (!filtering) { saved = null; }
    bundleViews.forEach(function (bv) {
      var own = !q || bv.bundle.key.toLowerCase().indexOf(q) >= 0;
      var any = false;
      bv.objects.forEach(function (o) {
        var found = o.dataset.search.indexOf(q) >= 0 && (!only || o.dataset.changed === "1");
        var hit = (own && (!only || o.dataset.changed === "1")) || found;
        o.hidden = !hit;
        if (hit && filtering) { no++; }
        if (found) { any = true; }
      });
      var shown = (own && (!only || bv.bundle.changed)) || any;
      bv.view.hidden = !shown;
      if (shown && filtering) { nb++; }
      if (filtering && any && (!own || only)) { bv.view.open = true; }
      var node = document.querySelector('#plan svg .node[data-key="' + CSS.escape(bv.bundle.key) + '"]');
      if (node) { node.classList.toggle("dimmed", !shown); }
    });
    document.querySelectorAll("#config details.branch").forEach(function (b) { b.hidden = filtering; });
    leafViews.forEach(function (lv) {
      var hit = (!q || lv.path.indexOf(q) >= 0) && (!only || lv.changed);
      lv.view.hidden = !hit;
      if (hit && filtering) {
        nv++;
        lv.ancestors.forEach(function (a) { a.hidden = false; a.open = true; });
      }
    });
    counts.textContent = filtering ? [plural(nb, "bundle"), plural(no, "object"), plural(nv, "value")].join(", ") + " match" : "";
  }
  search.addEventListener("input", apply);
  changedOnly.addEventListener("change", apply);
  document.body.dataset.ready = "1";
})();
