// The invoice export window: start an export without leaving the page, follow its progress bar,
// show the errors in a pop-up. Plain JavaScript, no library; without it the forms still work.
(function () {
  "use strict";

  const bar = () => document.getElementById("runbar");
  let watching = false; // this page saw the run going: refresh the tables when it ends

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

  function show(run) {
    const total = run.to_export;
    const pct = total ? Math.floor((run.done * 100) / total) : (run.running ? 0 : 100);
    const progress = document.getElementById("run-bar");
    if (progress) {
      progress.value = pct;
      progress.textContent = pct + " %";
      progress.className = "bar " + (run.running ? "going" : run.succeeded ? "ok" : "failed");
      progress.hidden = false;
    }
    const log = document.getElementById("run-log");
    if (log) {
      log.href = "/log#run-" + run.id;
      log.textContent = "Run " + run.id + " in the log";
      log.hidden = false;
    }
    let counts = total + " invoices to export, " + run.exported + " exported";
    if (run.failed) counts += ", " + run.failed + " failed";
    text("run-counts", counts);
    if (run.running) {
      text("run-state", "Run " + run.id + " is going…");
    } else if (run.succeeded) {
      text("run-state", "Run " + run.id + ": the export succeeded.");
    } else if (run.state === "interrupted") {
      // Interrupted (by Procountor, or its process stopped) is not a failure on the data:
      // the next export finishes it.
      text("run-state", "Run " + run.id + ": the export was interrupted." + (run.problem ? " " + run.problem : ""));
    } else {
      text("run-state", "Run " + run.id + ": the export failed." + (run.problem ? " " + run.problem : ""));
    }
    const body = document.getElementById("errors-body");
    const warnings = document.getElementById("warnings-body");
    if (!run.running && body && warnings) {
      body.replaceChildren.apply(body, run.errors.map(function (e) {
        return row([e.invoice, e.export, e.message, e.remedy]);
      }));
      warnings.replaceChildren.apply(warnings, run.warnings.map(function (w) {
        const li = document.createElement("li");
        li.textContent = w.invoice + ": " + w.message + " " + w.remedy;
        return li;
      }));
      const button = document.getElementById("show-errors");
      if (button) {
        button.hidden = !(run.errors.length || run.warnings.length);
        button.textContent = run.warnings.length ? "Show errors and PDF warnings" : "Show errors";
      }
      if (run.errors.length) openErrors();
    }
  }

  // Once the run ended, the tables are read again (export states, counts): at once when all went
  // well, after the clerk closed the pop-up otherwise. The page keeps ?run=ID, so the bar stays.
  function refreshWhenRead(run) {
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

  function follow(runId) {
    const footer = bar();
    if (footer) {
      footer.dataset.run = runId;
      footer.dataset.running = "true";
    }
    fetch("/runs/" + runId + "/progress", { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
      .then(function (run) {
        show(run);
        if (run.running) {
          watching = true;
          window.setTimeout(function () { follow(runId); }, 700);
        } else {
          if (footer) footer.dataset.running = "false";
          document.querySelectorAll("form.js-export button[type=submit]").forEach(function (b) { b.disabled = false; });
          refreshWhenRead(run);
        }
      })
      .catch(function () { window.setTimeout(function () { follow(runId); }, 2000); });
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
    if (button) button.addEventListener("click", openErrors);
    const footer = bar();
    if (footer && footer.dataset.run && footer.dataset.running === "true") follow(footer.dataset.run);
  });
})();
