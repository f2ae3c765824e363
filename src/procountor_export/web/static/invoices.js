// The Invoices window's list: how many invoices are ticked and what they add up to, shown as
// they are ticked (per currency: euros and kronor are not added together). Plain JavaScript;
// without it the list and the export work the same, only the sum is not shown.
(function () {
  "use strict";

  // Amounts in cents, as whole numbers: 0.1 + 0.2 must make 0.30.
  function cents(text) {
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(text || "").trim());
    if (!match) return 0;
    const fraction = ((match[3] || "") + "00").slice(0, 2);
    const value = parseInt(match[2], 10) * 100 + parseInt(fraction, 10);
    return match[1] ? -value : value;
  }

  // As the page prints money: 1 234.50 (a narrow no-break space between thousands).
  function money(amount) {
    const sign = amount < 0 ? "-" : "";
    const whole = Math.floor(Math.abs(amount) / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
    const rest = (Math.abs(amount) % 100).toString().padStart(2, "0");
    return sign + whole + "." + rest;
  }

  function summarise(form) {
    const line = form.querySelector("#selection");
    if (!line) return;
    const sums = new Map();
    let count = 0;
    form.querySelectorAll("tbody input[name=invoice]:checked").forEach(function (box) {
      count += 1;
      const currency = box.dataset.currency || "";
      sums.set(currency, (sums.get(currency) || 0) + cents(box.dataset.total));
    });
    if (!count) {
      line.hidden = true;
      line.textContent = "";
      return;
    }
    const totals = Array.from(sums.entries()).map(function (entry) {
      return money(entry[1]) + " " + entry[0];
    });
    line.textContent = (count === 1 ? "1 invoice" : count + " invoices") + " selected, " + totals.join(" + ");
    line.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.invoice-list").forEach(function (form) {
      // On the form, so "select all" counts too: its own handler ticks the rows first.
      form.addEventListener("change", function () { summarise(form); });
      summarise(form); // boxes the browser kept ticked on going back to the page
    });
  });
})();
