/* apicompat HTML report: sorting and filtering only. The pages read fine without it. */
(function () {
  "use strict";

  function cellKey(row, col) {
    var cell = row.cells[col];
    if (!cell) { return ""; }
    var value = cell.getAttribute("data-sort");
    return value !== null ? value : cell.textContent.trim().toLowerCase();
  }

  function compare(a, b) {
    var x = Number(a), y = Number(b);
    if (a !== "" && b !== "" && !isNaN(x) && !isNaN(y)) { return x - y; }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function makeSortable(table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var descending = th.getAttribute("aria-sort") === "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        // Ties keep their current order (Array.prototype.sort is stable).
        rows.sort(function (a, b) {
          var c = compare(cellKey(a, col), cellKey(b, col));
          return descending ? -c : c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function setUpFilters(form) {
    var text = document.getElementById("f-text");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var count = document.getElementById("f-count");
    var mapping = document.getElementById("mapping-table");
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-verdict]"));

    function apply() {
      var words = text.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      rows.forEach(function (row) {
        var show = selects.every(function (s) {
          return !s.value || row.getAttribute("data-" + s.getAttribute("data-filter")) === s.value;
        });
        var haystack = row.getAttribute("data-search") || "";
        show = show && words.every(function (w) { return haystack.indexOf(w) !== -1; });
        row.hidden = !show;
      });
      if (mapping) {
        var all = mapping.tBodies[0].rows.length;
        var shown = Array.prototype.filter.call(mapping.tBodies[0].rows, function (r) { return !r.hidden; }).length;
        count.value = shown + " of " + all + " rows";
      }
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), makeSortable);
    var form = document.getElementById("filters");
    if (form) { setUpFilters(form); }
  });
})();
