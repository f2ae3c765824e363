// The invoice export window: start an export without leaving the page, follow its progress bar,
// show the errors in a pop-up. Plain JavaScript, no library; without it the forms still work.
//
// The bar's words come from the server (GET /runs/{id}/progress: counts_text, state_text, …),
// the same view the page was rendered with, so a live bar and a reloaded one say the same.
(function () {
  "use strict";

  const GOING_EVERY = 700; // ms between two looks at a run that goes (the bar moves at least every 2 s)
  const LATEST_EVERY = 2000; // ms between two looks for a newer run started elsewhere
  const RETRY_AFTER = 2000; // ms before asking again after the server could not be reached

  const bar = () => document.getElementById("runbar");
  let watching = false; // this page saw the run going: refresh the tables when it ends
  let following = null; // the id of the run being followed, while it goes

  function text(id, value) {
    const node = document.getElementById(id);
    if (node) node.textContent = value;
  }

  function row(cells) {
    const tr = document.createElement("tr");
    cells.forEach(function (cell, index) {
      const td = document.createElement("td");
      if (index === 0) {
        const link = document.createElement("a");
        link.href = "/invoices/" + encodeURIComponent(cell);
        link.textContent = cell;
        td.appendChild(link);
      } else {
        td.textContent = cell;
      }
      tr.appendChild(td);
    });
    return tr;
  }

  function warningItem(w) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = "/invoices/" + encodeURIComponent(w.invoice);
    link.textContent = w.invoice;
    const remedy = document.createElement("span");
    remedy.className = "muted";
    remedy.textContent = w.remedy;
    li.append(link, ": " + w.message + " ", remedy);
    return li;
  }

  // The pop-up holds the errors of exactly the run the bar shows: filled from that run's answer
  // (and emptied while a run goes), never left with another run's rows.
  function fillErrors(run) {
    const dialog = document.getElementById("errors");
    const body = document.getElementById("errors-body");
    const warnings = document.getElementById("warnings-body");
    if (!dialog || !body || !warnings) return;
    const ended = !run.running;
    body.replaceChildren.apply(body, ended ? run.errors.map(function (e) {
      return row([e.invoice, e.export, e.message, e.remedy]);
    }) : []);
    warnings.replaceChildren.apply(warnings, ended ? run.warnings.map(warningItem) : []);
    const warningsTitle = document.getElementById("warnings-title");
    if (warningsTitle) warningsTitle.hidden = !(ended && run.warnings.length);
    text("errors-title", ended ? run.errors_title : "Errors");
    dialog.dataset.run = run.id;
    dialog.dataset.filled = ended ? "true" : "false";
    const button = document.getElementById("show-errors");
    if (button) {
      button.hidden = !(ended && (run.errors.length || run.warnings.length));
      button.textContent = run.button_text;
    }
  }

  function show(run) {
    const footer = bar();
    if (footer) {
      footer.dataset.run = run.id;
      footer.dataset.running = run.running ? "true" : "false";
    }
    const progress = document.getElementById("run-bar");
    if (progress) {
      progress.value = run.percent;
      progress.textContent = run.percent + " %";
      progress.className = "bar " + run.colour;
      progress.hidden = false;
    }
    const log = document.getElementById("run-log");
    if (log) {
      log.href = "/log#run-" + run.id;
      log.textContent = "Run " + run.id + " in the log";
      log.hidden = false;
    }
    text("run-counts", run.counts_text);
    text("run-state", run.state_text);
    fillErrors(run);
  }

  function progressOf(runId) {
    return fetch("/runs/" + runId + "/progress", { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response); });
  }

  // Once the run ended, the tables are read again (export states, counts): at once when all went
  // well, after the clerk closed the pop-up otherwise. The page keeps ?run=ID, so the bar stays.
  function refreshWhenRead() {
    if (!watching) return;
    const dialog = document.getElementById("errors");
    if (dialog && dialog.open) {
      dialog.addEventListener("close", function () { window.location.reload(); }, { once: true });
    } else {
      window.setTimeout(function () { window.location.reload(); }, 400);
    }
  }

  function openErrors() {
    const dialog = document.getElementById("errors");
    if (dialog && !dialog.open) dialog.showModal();
  }

  function ended(run) {
    following = null;
    document.querySelectorAll("form.js-export button[type=submit]").forEach(function (b) { b.disabled = false; });
    if (watching && run.errors.length) openErrors();
    refreshWhenRead();
  }

  function follow(runId) {
    following = String(runId);
    const footer = bar();
    if (footer) {
      footer.dataset.run = runId;
      footer.dataset.running = "true";
    }
    progressOf(runId)
      .then(function (run) {
        if (following !== String(runId)) return; // a newer run took over the bar
        show(run);
        if (run.running) {
          watching = true;
          window.setTimeout(function () { follow(runId); }, GOING_EVERY);
        } else {
          ended(run);
        }
      })
      .catch(function (response) {
        if (response && response.status === 404) { following = null; return; }
        window.setTimeout(function () { follow(runId); }, RETRY_AFTER);
      });
  }

  // A bar showing the newest run (the page opened without ?run=) takes up any newer run, started
  // in another window, over the REST API or with the CLI, and follows it like its own.
  function watchLatest() {
    window.setTimeout(watchLatest, LATEST_EVERY);
    if (following !== null || document.hidden) return;
    fetch("/runs/latest/progress", { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
      .then(function (run) {
        const footer = bar();
        if (run.id === null || following !== null || !footer) return;
        if (String(run.id) === footer.dataset.run) return;
        watching = true; // the tables change with it: read them again once it ended
        show(run);
        if (run.running) follow(run.id); else ended(run);
      })
      .catch(function () { /* asked again at the next turn */ });
  }

  function start(event) {
    event.preventDefault();
    const form = event.target;
    const data = new FormData(form);
    const buttons = document.querySelectorAll("form.js-export button[type=submit]");
    buttons.forEach(function (b) { b.disabled = true; });
    const footer = bar();
    if (footer) footer.dataset.running = "true"; // until the run's own state is known
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json", "X-CSRF-Token": data.get("csrf_token") || "" },
    })
      .then(function (response) {
        return response.json().then(function (body) { return { status: response.status, body: body }; });
      })
      .then(function (answer) {
        if (answer.status === 202 || (answer.status === 409 && answer.body.run_id)) {
          if (answer.status === 409) text("run-state", answer.body.detail);
          const url = new URL(window.location.href);
          url.searchParams.set("run", answer.body.run_id);
          window.history.replaceState(null, "", url);
          if (footer) footer.dataset.latest = "false";
          watching = true;
          follow(answer.body.run_id);
        } else {
          buttons.forEach(function (b) { b.disabled = false; });
          if (footer) footer.dataset.running = "false";
          window.alert(answer.body.detail || "The export could not be started.");
        }
      })
      .catch(function () {
        buttons.forEach(function (b) { b.disabled = false; });
        if (footer) footer.dataset.running = "false";
        window.alert("The server could not be reached.");
      });
  }

  // "Show errors": the pop-up as the bar's run left it, read first if the page does not hold it.
  function showErrors() {
    const footer = bar();
    const dialog = document.getElementById("errors");
    if (!footer || !dialog || !footer.dataset.run) return;
    if (dialog.dataset.filled === "true" && dialog.dataset.run === footer.dataset.run) {
      openErrors();
      return;
    }
    progressOf(footer.dataset.run).then(function (run) { show(run); openErrors(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.js-export").forEach(function (form) {
      form.addEventListener("submit", start);
    });
    document.querySelectorAll("input.select-all").forEach(function (box) {
      box.addEventListener("change", function () {
        box.closest("table").querySelectorAll("tbody input[type=checkbox]").forEach(function (b) {
          b.checked = box.checked;
        });
      });
    });
    const button = document.getElementById("show-errors");
    if (button) button.addEventListener("click", showErrors);
    const footer = bar();
    if (!footer) return;
    if (footer.dataset.run && footer.dataset.running === "true") {
      follow(footer.dataset.run);
    } else if (footer.dataset.run) {
      // A run that ended: its errors read once, so the pop-up is that run's whole list.
      progressOf(footer.dataset.run).then(show).catch(function () { /* the rendered list stays */ });
    }
    if (footer.dataset.latest === "true") window.setTimeout(watchLatest, LATEST_EVERY);
  });
})();
