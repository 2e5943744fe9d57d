/* incident-mapper serve: the review page. Every text from reports is set with textContent; no HTML is
   built from data. API calls carry the run's token in the X-Mapper-Token header. */
(function () {
  "use strict";
  var TOKEN = document.querySelector('meta[name="mapper-token"]').getAttribute("content");
  var FORMAT_LABEL = { geojson: "GeoJSON", gpkg: "GeoPackage", csv: "CSV", parquet: "GeoParquet", kml: "KML" };
  var PRECISION = { 1: "the place itself", 2: "near it or part of it", 3: "province or region only" };
  var state = null, shownVersion = -1, view = null, picking = null, busy = false;
  var frame = document.getElementById("map");

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function button(text, onClick, cls) {
    var b = el("button", cls || "", text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function who() { return $("who").value.trim(); }
  function status(text, kind) {
    var s = $("status");
    s.textContent = text || "";
    s.className = kind || "";
  }

  function api(method, path, body, raw) {
    var headers = { "X-Mapper-Token": TOKEN };
    var payload;
    if (raw !== undefined) {
      payload = raw;
      headers["Content-Type"] = "application/octet-stream";
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers["Content-Type"] = "application/json";
    }
    return fetch(path, { method: method, headers: headers, body: payload, cache: "no-store", credentials: "same-origin" })
      .then(function (r) {
        if (r.ok) { return r; }
        return r.json().catch(function () { return {}; }).then(function (j) {
          throw new Error(j.error || ("HTTP " + r.status));
        });
      });
  }
  function apiJSON(method, path, body, raw) {
    return api(method, path, body, raw).then(function (r) { return r.json(); });
  }

  // messages for the map frame wait until its page says it is ready (it reloads after every rebuild):
  // a "show" clicked while it reloads is delivered to the new page, not lost
  var pending = [];
  function tell(msg) {
    if (msg.type === "focus") {
      // the view a reload of the map opens at, too (a rebuild may reload the frame just after the click)
      view = { lat: +msg.lat, lon: +msg.lon, zoom: Math.max(view ? view.zoom : 0, 9) };
    }
    if (frame.hasAttribute("data-ready") && frame.contentWindow) {
      frame.contentWindow.postMessage(msg, "*");
      return;
    }
    pending = pending.filter(function (m) { return m.type !== msg.type; });
    pending.push(msg);
  }

  /* ---- the map frame ---- */
  function reloadMap() {
    var hash = view ? "#view=" + view.lat.toFixed(5) + "," + view.lon.toFixed(5) + "," + view.zoom : "";
    frame.removeAttribute("data-ready");
    frame.src = "/map?token=" + encodeURIComponent(TOKEN) + "&v=" + state.version + hash;
    shownVersion = state.version;
  }
  window.addEventListener("message", function (e) {
    if (e.source !== frame.contentWindow) { return; }
    var d = e.data || {};
    if (d.type === "view" && isFinite(d.lat) && isFinite(d.lon) && isFinite(d.zoom)) {
      view = { lat: +d.lat, lon: +d.lon, zoom: Math.round(+d.zoom) };
    } else if (d.type === "ready") {
      frame.setAttribute("data-ready", String(state ? state.version : 0));
      var queued = pending;
      pending = [];
      queued.forEach(tell);
      if (picking) { tell({ type: "pick", on: true }); }
    } else if (d.type === "click" && picking && isFinite(d.lat) && isFinite(d.lon)) {
      var row = picking;
      stopPicking();
      place({ event_id: row.event_id, name: row.name, lat: +d.lat, lon: +d.lon },
        row.name + " placed at " + (+d.lat).toFixed(4) + ", " + (+d.lon).toFixed(4));
    } else if (d.type === "drag") {
      showDrop(true);
    }
  });
  function startPicking(row) {
    picking = row;
    tell({ type: "pick", on: true });
    document.body.classList.add("picking");
    status("Click the map where " + row.name + " is (Esc to cancel).", "info");
  }
  function stopPicking() {
    picking = null;
    tell({ type: "pick", on: false });
    document.body.classList.remove("picking");
  }
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && picking) { stopPicking(); status(""); }
  });

  /* ---- actions ---- */
  function withBusy(promise, done) {
    busy = true;
    document.body.classList.add("busy");
    return promise.then(function (s) {
      render(s);
      if (done) { status(done, "ok"); }
    }).catch(function (err) {
      status(err.message, "error");
    }).then(function () {
      busy = false;
      document.body.classList.remove("busy");
    });
  }
  function place(body, done) {
    body.who = who();
    status("Placing " + body.name + " and redrawing…", "info");
    return withBusy(apiJSON("POST", "/api/place", body), done);
  }
  function refresh() { return apiJSON("GET", "/api/state").then(render).catch(function (err) { status(err.message, "error"); }); }

  var queue = Promise.resolve();
  function upload(files) {
    // batches run one after the other (a drop while the page is busy waits its turn, it is never lost)
    files = Array.prototype.slice.call(files || []);
    if (!files.length) { return; }
    queue = queue.then(function () { return uploadNow(files); });
  }
  function uploadNow(files) {
    var bar = $("bar"), text = $("progress-text"), errors = [], results = [];
    $("progress").hidden = false;
    bar.max = files.length + 1;
    bar.value = 0;
    busy = true;
    document.body.classList.add("busy");
    var chain = Promise.resolve();
    files.forEach(function (f, i) {
      chain = chain.then(function () {
        text.textContent = "reading " + (i + 1) + " of " + files.length + ": " + f.name;
        return apiJSON("PUT", "/api/inputs/" + encodeURIComponent(f.name), undefined, f)
          .then(function (r) { results.push(r); })
          .catch(function (err) { errors.push(err.message); })
          .then(function () { bar.value = i + 1; });
      });
    });
    return chain.then(function () {
      text.textContent = "drawing the map…";
      return apiJSON("POST", "/api/rebuild");
    }).then(function (s) {
      bar.value = bar.max;
      render(s);
      var n = results.reduce(function (a, r) { return a + r.events; }, 0);
      var msg = results.length + " file(s) added (" + n + " event(s) read)";
      if (errors.length) { msg += "; " + errors.length + " not added: " + errors.join(" · "); }
      status(msg, errors.length ? "error" : "ok");
      results.forEach(function (r) { (r.notes || []).forEach(function (nt) { addMessage(nt); }); });
    }).catch(function (err) {
      status(err.message + (errors.length ? "; " + errors.join(" · ") : ""), "error");
    }).then(function () {
      busy = false;
      document.body.classList.remove("busy");
      setTimeout(function () { $("progress").hidden = true; }, 1500);
      $("files").value = "";
    });
  }

  function exportAs(fmt) {
    status("Writing " + FORMAT_LABEL[fmt] + "…", "info");
    api("POST", "/api/export/" + fmt).then(function (r) { return r.blob(); }).then(function (blob) {
      var a = el("a");
      a.href = URL.createObjectURL(blob);
      a.download = "events." + (fmt === "gpkg" ? "gpkg" : fmt);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
      status("Exported to exports/events." + fmt + " in the review folder", "ok");
    }).catch(function (err) { status(err.message, "error"); });
  }

  /* ---- rendering ---- */
  function addMessage(text, cls) { $("messages").appendChild(el("div", "note " + (cls || ""), text)); }

  function render(s) {
    state = s;
    $("folder").textContent = s.folder;
    $("folder").title = s.folder;
    if (!$("who").value) { $("who").value = s.who || ""; }
    $("n-review").textContent = String(s.review.length);
    $("n-events").textContent = String(s.events.length);
    $("n-inputs").textContent = String(s.inputs.length);
    $("undo").disabled = !s.can_undo;
    $("empty").hidden = s.inputs.length > 0;
    var msgs = $("messages");
    msgs.textContent = "";
    if (s.error) { addMessage(s.error, "error"); }
    s.notes.forEach(function (n) { addMessage(n); });
    renderReview(s);
    renderEvents(s);
    renderChanges(s);
    renderInputs(s);
    if (s.version !== shownVersion) { reloadMap(); }
  }

  function candidateLine(c) {
    var bits = [c.admin1, c.country_code].filter(Boolean).join(", ");
    var li = el("li", "candidate");
    var b = el("span", "cand-name", c.name);
    li.appendChild(b);
    li.appendChild(el("span", "cand-where", " — " + (bits || "?") + " · " + c.kind));
    var extra = [];
    if (c.km !== null && c.km !== undefined) { extra.push(Math.round(c.km) + " km from " + (c.km_to || "the story's other places")); }
    extra.push("score " + c.score);
    if (c.population) { extra.push("pop. " + c.population.toLocaleString("en")); }
    li.appendChild(el("div", "cand-meta", extra.join(" · ")));
    return li;
  }

  function renderReview(s) {
    var panel = $("panel-review");
    panel.textContent = "";
    if (!s.review.length) {
      panel.appendChild(el("p", "muted", s.built ? "Nothing to review: every place was found." : "No events yet."));
      return;
    }
    s.review.forEach(function (row) {
      var card = el("div", "card review-row");
      card.setAttribute("data-event-id", row.event_id);
      var head = el("div", "card-head");
      head.appendChild(el("span", "badge", row.reason));
      head.appendChild(el("span", "muted", " " + row.category + " · " + row.event_date));
      if (row.lat !== null) {
        head.appendChild(button("show", function () { tell({ type: "focus", lat: row.lat, lon: row.lon }); }, "link"));
      }
      card.appendChild(head);
      card.appendChild(el("blockquote", "sentence", row.sentence));
      var facts = el("dl", "facts");
      facts.appendChild(el("dt", "", "Name as written"));
      facts.appendChild(el("dd", "name-written", row.name));
      facts.appendChild(el("dt", "", "Placed now"));
      facts.appendChild(el("dd", "", (row.chosen_location || "—") + " (" + (PRECISION[row.geo_precision] || "?") + ", " + (row.chosen_place_id || "no record") + ")"));
      facts.appendChild(el("dt", "", "Source"));
      facts.appendChild(el("dd", "", row.source));
      card.appendChild(facts);

      var list = el("ul", "candidates");
      if (!row.candidates.length) { list.appendChild(el("li", "muted", "The gazetteer has no record of this name.")); }
      row.candidates.forEach(function (c) {
        var li = candidateLine(c);
        li.insertBefore(button("Use", function () {
          place({ event_id: row.event_id, name: row.name, place_id: c.place_id }, row.name + " → " + c.name + " (" + c.place_id + ")");
        }, "use"), li.firstChild);
        list.appendChild(li);
      });
      card.appendChild(el("div", "label", "Candidates, best first"));
      card.appendChild(list);

      var tools = el("div", "tools");
      var q = el("input", "search");
      q.type = "search";
      q.placeholder = "Search the gazetteer";
      q.value = row.name;
      var cc = el("input", "country");
      cc.placeholder = "CC";
      cc.size = 3;
      cc.maxLength = 2;
      cc.value = row.country;
      var results = el("ul", "candidates results");
      function search() {
        results.textContent = "";
        apiJSON("GET", "/api/search?q=" + encodeURIComponent(q.value) + "&country=" + encodeURIComponent(cc.value)).then(function (r) {
          if (!r.candidates.length) { results.appendChild(el("li", "muted", "not found")); }
          r.candidates.forEach(function (c) {
            var li = candidateLine(c);
            li.insertBefore(button("Use", function () {
              place({ event_id: row.event_id, name: row.name, place_id: c.place_id }, row.name + " → " + c.name + " (" + c.place_id + ")");
            }, "use"), li.firstChild);
            results.appendChild(li);
          });
        }).catch(function (err) { results.appendChild(el("li", "error", err.message)); });
      }
      q.addEventListener("keydown", function (e) { if (e.key === "Enter") { search(); } });
      tools.appendChild(q);
      tools.appendChild(cc);
      tools.appendChild(button("Search", search));
      tools.appendChild(button("Click on the map", function () { startPicking(row); }, "pick"));
      card.appendChild(tools);
      card.appendChild(results);
      card.appendChild(el("div", "hint muted", "Your choice is written to overrides.csv for “" + row.name + "” in " + (row.country || "its country") + "."));
      panel.appendChild(card);
    });
  }

  function figures(ev) {
    var out = [];
    if (ev.fatalities !== null) { out.push(ev.fatalities + " killed"); }
    if (ev.displaced_families !== null) { out.push(ev.displaced_families + " families"); }
    if (ev.displaced_people !== null) { out.push(ev.displaced_people + " people displaced"); }
    return out.join(", ");
  }

  function editForm(ev, card) {
    var form = el("div", "edit-form");
    var inputs = {};
    state.editable.forEach(function (f) {
      var label = el("label", "", f.replace("_", " ") + " ");
      var input;
      if (f === "category") {
        input = el("select");
        state.categories.forEach(function (c) {
          var o = el("option", "", c);
          o.value = c;
          input.appendChild(o);
        });
      } else {
        input = el("input");
        input.type = "text";
        input.size = f === "event_date" ? 10 : 7;
        if (f === "event_date") { input.placeholder = "YYYY-MM-DD"; }
      }
      input.name = f;
      input.value = ev[f] === null ? "" : String(ev[f]);
      inputs[f] = input;
      label.appendChild(input);
      form.appendChild(label);
    });
    form.appendChild(button("Save", function () {
      var values = {};
      Object.keys(inputs).forEach(function (f) {
        var old = ev[f] === null ? "" : String(ev[f]);
        if (inputs[f].value.trim() !== old) { values[f] = inputs[f].value.trim(); }
      });
      if (!Object.keys(values).length) { form.remove(); return; }
      status("Saving the edit and redrawing…", "info");
      withBusy(apiJSON("POST", "/api/edit", { event_id: ev.event_id, values: values, who: who() }), "Edit saved (see Changes; Undo takes it back)");
    }, "primary"));
    form.appendChild(button("Cancel", function () { form.remove(); }));
    card.appendChild(form);
  }

  function renderEvents(s) {
    var panel = $("panel-events");
    panel.textContent = "";
    if (!s.events.length) { panel.appendChild(el("p", "muted", "No events yet.")); return; }
    s.events.forEach(function (ev) {
      var card = el("div", "card event-row");
      card.setAttribute("data-event-id", ev.event_id);
      var head = el("div", "card-head");
      head.appendChild(el("span", "cat cat-" + ev.category, ev.category));
      head.appendChild(el("span", "", " " + ev.event_date + " · " + (ev.location || "no place") + (ev.country_code ? " (" + ev.country_code + ")" : "")));
      if (ev.lat !== null) {
        head.appendChild(button("show", function () { tell({ type: "focus", lat: ev.lat, lon: ev.lon }); }, "link"));
      }
      card.appendChild(head);
      if (ev.sub_event_type) { card.appendChild(el("div", "muted", ev.sub_event_type)); }
      var f = figures(ev);
      if (f) { card.appendChild(el("div", "figures", f)); }
      card.appendChild(el("blockquote", "sentence", ev.source_text));
      card.appendChild(el("div", "muted small", ev.source));
      if (ev.review) { card.appendChild(el("div", "badge", ev.review)); }
      ev.changes.forEach(function (c) {
        card.appendChild(el("div", "changed", "#" + c.seq + " " + c.who + ", " + c.when + ": " + (c.action === "place" ? "place chosen" : c.field + " " + (c.old_value || "—") + " → " + (c.new_value || "—"))));
      });
      card.appendChild(button("Edit", function () {
        var open = card.querySelector(".edit-form");
        if (open) { open.remove(); } else { editForm(ev, card); }
      }, "edit"));
      panel.appendChild(card);
    });
  }

  function renderChanges(s) {
    var panel = $("panel-changes");
    panel.textContent = "";
    if (!s.changes.length) { panel.appendChild(el("p", "muted", "No changes yet. Place picks and edits are recorded in changes.csv.")); return; }
    var undone = {};
    s.changes.forEach(function (c) { if (c.action === "undo") { undone[c.field] = true; } });
    s.changes.forEach(function (c) {
      var what;
      if (c.action === "undo") { what = "undid change #" + c.field; }
      else if (c.action === "place") {
        var added = {};
        try { added = JSON.parse(c.new_value); } catch (e) { added = {}; }
        what = "placed " + (added.name || "?") + " at " + (added.place_id || (added.lat + ", " + added.lon));
      } else { what = c.field + ": " + (c.old_value || "—") + " → " + (c.new_value || "—"); }
      var row = el("div", "change" + (undone[c.seq] ? " undone" : ""));
      row.appendChild(el("span", "muted", "#" + c.seq + " " + c.when + " " + c.who + " "));
      row.appendChild(el("span", "", what + (c.event_id ? " (event " + c.event_id + ")" : "")));
      panel.appendChild(row);
    });
  }

  function renderInputs(s) {
    var panel = $("panel-inputs");
    panel.textContent = "";
    if (!s.inputs.length) { panel.appendChild(el("p", "muted", "No inputs yet.")); return; }
    var ul = el("ul", "inputs");
    s.inputs.forEach(function (f) { ul.appendChild(el("li", "", f.name + " (" + Math.max(1, Math.round(f.bytes / 1024)) + " KB)")); });
    panel.appendChild(ul);
  }

  /* ---- wiring ---- */
  Array.prototype.forEach.call(document.querySelectorAll(".tab"), function (t) {
    t.addEventListener("click", function () {
      Array.prototype.forEach.call(document.querySelectorAll(".tab"), function (o) { o.classList.toggle("active", o === t); });
      Array.prototype.forEach.call(document.querySelectorAll(".panel"), function (p) { p.hidden = p.id !== "panel-" + t.getAttribute("data-tab"); });
    });
  });
  $("files").addEventListener("change", function () { upload(this.files); });
  $("undo").addEventListener("click", function () {
    status("Undoing…", "info");
    withBusy(apiJSON("POST", "/api/undo", { who: who() }).then(function (s) {
      if (s.undone) { status("Undid change #" + s.undone.seq, "ok"); }
      return s;
    }));
  });
  ["geojson", "gpkg", "csv", "parquet", "kml"].forEach(function (fmt) {
    var b = button(FORMAT_LABEL[fmt], function () { exportAs(fmt); }, "export");
    b.setAttribute("data-format", fmt);
    $("exports").appendChild(b);
  });
  function showDrop(on) { $("drop").hidden = !on; }
  window.addEventListener("dragenter", function (e) { e.preventDefault(); showDrop(true); });
  $("drop").addEventListener("dragover", function (e) { e.preventDefault(); });
  $("drop").addEventListener("dragleave", function () { showDrop(false); });
  $("drop").addEventListener("drop", function (e) {
    e.preventDefault();
    showDrop(false);
    upload(e.dataTransfer.files);
  });
  status("Reading the review folder…", "info");
  queue = refresh().then(function () { if ($("status").className === "info") { status(""); } });
}());
