// Follows a running import: updates the progress bar and reloads the page when it is done.
(function () {
  var block = document.querySelector("[data-import-status]");
  if (!block) { return; }
  var bar = document.getElementById("import-progress");
  var text = document.getElementById("import-progress-text");
  var state = document.getElementById("import-state");
  var number = new Intl.NumberFormat(document.documentElement.lang || "da");
  var hint = block.querySelector(".no-js-hint");
  if (hint) { hint.hidden = true; }
  function poll() {
    fetch(block.dataset.importStatus, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.max = Math.max(data.rows_total, 1);
        bar.value = data.rows_processed;
        text.textContent = text.textContent.replace(/^[\d.,\s]+(\S+)\s[\d.,\s]+/, number.format(data.rows_processed) + " $1 " + number.format(data.rows_total) + " ");
        state.textContent = data.state_label;
        if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
