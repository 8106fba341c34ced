/* Score sheet (phiếu chấm điểm): running total, a local copy of what is typed, and autosave.
 *
 * The page works without this script: the server renders the total and validates every save.
 * With it, every keystroke is kept in localStorage until the server confirms a save, so a dropped
 * connection loses nothing; a local copy newer than the server's version is restored on load, with
 * a notice. Drafts are saved automatically (JSON, CSRF token in the X-CSRFToken header); a save
 * based on an old version is refused by the server (409) and both versions are shown side by side.
 * All text shown comes from the page (#sheet-messages), in the reader's language.
 */
(function () {
  "use strict";

  var form = document.getElementById("sheet-form");
  if (!form) {
    return;
  }
  var AUTOSAVE_DELAY = 1500;
  var RETRY_DELAY = 15000;
  var SKIPPED = { csrf_token: true, version: true, confirm: true, action: true };
  var key = form.dataset.storageKey;
  var autosaveUrl = form.dataset.autosaveUrl;
  var decimal = form.dataset.decimal || ",";
  var versionInput = document.getElementById("sheet-version");
  var statusLine = document.getElementById("sheet-status");
  var totalOutput = document.getElementById("sheet-total");
  var localBox = document.getElementById("sheet-local");
  var conflictBox = document.getElementById("sheet-conflict");
  var pointInputs = Array.prototype.slice.call(form.querySelectorAll("input[data-points]"));
  var timer = null;
  var inFlight = false;
  var again = false;
  var queuedSubmitter = null;

  function message(name, values) {
    var node = document.querySelector('#sheet-messages [data-msg="' + name + '"]');
    var text = node ? node.textContent : "";
    Object.keys(values || {}).forEach(function (k) {
      text = text.split("{" + k + "}").join(values[k]);
    });
    return text;
  }

  function say(text) {
    statusLine.textContent = text;
  }

  function version() {
    return parseInt(versionInput.value, 10) || 0;
  }

  function clock(ms) {
    // Vietnam time, as the server writes every time on the page.
    try {
      return new Date(ms).toLocaleTimeString("vi-VN", {
        timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit", hour12: false
      });
    } catch (e) {
      return new Date(ms).toTimeString().slice(0, 5);
    }
  }

  // --- points and the running total ---------------------------------------------------------

  function parsePoints(text) {
    var clean = String(text || "").replace(/\s+/g, "").replace(",", ".");
    if (clean === "") {
      return null;
    }
    var value = Number(clean);
    return isFinite(value) ? value : NaN;
  }

  function formatPoints(value) {
    var rounded = Math.round(value * 10) / 10;
    return String(rounded).replace(".", decimal);
  }

  function updateTotal() {
    var total = 0;
    pointInputs.forEach(function (input) {
      var value = parsePoints(input.value);
      var max = parseFloat(input.dataset.max);
      if (value !== null && !isNaN(value) && value >= 0 && value <= max) {
        total += value * (parseFloat(input.dataset.weight) || 1);
      }
    });
    totalOutput.textContent = formatPoints(total);
  }

  // --- the local copy -----------------------------------------------------------------------

  function fields() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && !SKIPPED[el.name] && !el.disabled && (el.tagName === "TEXTAREA" || el.type === "text")) {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function same(name, a, b) {
    if (name.indexOf("points_") === 0) {
      var x = parsePoints(a);
      var y = parsePoints(b);
      return x === y || (isNaN(x) && isNaN(y) && String(a).trim() === String(b).trim());
    }
    return String(a || "").trim() === String(b || "").trim();
  }

  function matchesForm(saved) {
    // The reason for a revision is not part of the saved sheet: after it is saved the page shows it
    // empty again, so it does not count as unsaved input.
    var current = fields();
    return Object.keys(saved).every(function (name) {
      return name === "reason" || !(name in current) || same(name, saved[name], current[name]);
    });
  }

  function readLocal() {
    try {
      var copy = JSON.parse(window.localStorage.getItem(key) || "null");
      return copy && copy.fields ? copy : null;
    } catch (e) {
      return null;
    }
  }

  function keepLocal() {
    try {
      window.localStorage.setItem(key, JSON.stringify({ version: version(), at: Date.now(), fields: fields() }));
    } catch (e) {
      /* private mode or full storage: the server copy is all there is */
    }
  }

  function dropLocal() {
    try {
      window.localStorage.removeItem(key);
    } catch (e) {
      /* nothing to drop */
    }
  }

  function restore(copy) {
    Object.keys(copy.fields).forEach(function (name) {
      var el = form.elements[name];
      if (el && !el.disabled) {
        el.value = copy.fields[name];
      }
    });
    updateTotal();
  }

  function showLocalBox(text, withButtons) {
    localBox.querySelector(".message").textContent = text;
    localBox.querySelector(".actions").hidden = !withButtons;
    localBox.hidden = false;
  }

  function checkLocalCopy() {
    var copy = readLocal();
    if (!copy) {
      return;
    }
    if (matchesForm(copy.fields)) {
      dropLocal(); // the server already has exactly this
      return;
    }
    if (copy.version >= version()) {
      // Typed after the server's version was written, never confirmed: put it back.
      restore(copy);
      showLocalBox(message("restored", { time: clock(copy.at) }), false);
      schedule();
      return;
    }
    // The sheet was saved elsewhere since: let the member choose.
    showLocalBox(message("older", { time: clock(copy.at), version: version() }), true);
    localBox.querySelector('[data-action="restore"]').addEventListener("click", function () {
      restore(copy);
      localBox.hidden = true;
      keepLocal();
      schedule();
    });
    localBox.querySelector('[data-action="discard"]').addEventListener("click", function () {
      dropLocal();
      localBox.hidden = true;
    });
  }

  // --- autosave -----------------------------------------------------------------------------

  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll(".js-error"), function (node) {
      node.parentNode.removeChild(node);
    });
  }

  function showErrors(errors) {
    clearErrors();
    Object.keys(errors).forEach(function (name) {
      var el = form.elements[name];
      if (el) {
        var p = document.createElement("p");
        p.className = "field-error js-error";
        p.setAttribute("role", "alert");
        p.textContent = errors[name];
        el.insertAdjacentElement("afterend", p);
      }
    });
  }

  function showConflict(body) {
    var rows = conflictBox.querySelector("tbody");
    rows.textContent = "";
    pointInputs.forEach(function (input) {
      var tr = document.createElement("tr");
      [input.dataset.name, body.points[input.name] || "—", input.value || "—"].forEach(function (text, i) {
        var td = document.createElement("td");
        td.textContent = text;
        if (i > 0) {
          td.className = "num";
        }
        tr.appendChild(td);
      });
      rows.appendChild(tr);
    });
    conflictBox.querySelector(".message").textContent = message("conflict", { version: body.version });
    conflictBox.hidden = false;
    conflictBox.dataset.version = body.version;
  }

  function schedule() {
    if (!autosaveUrl) {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(save, AUTOSAVE_DELAY);
  }

  function settle() {
    inFlight = false;
    if (queuedSubmitter) {
      var submitter = queuedSubmitter;
      queuedSubmitter = null;
      submitWith(submitter);
    } else if (again) {
      again = false;
      save();
    }
  }

  function save() {
    if (!autosaveUrl || !conflictBox.hidden) {
      return; // nothing to save to, or the member has a conflict to settle first
    }
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    var sent = fields();
    say(message("saving"));
    window.fetch(autosaveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": form.dataset.csrf },
      body: JSON.stringify({ version: version(), fields: sent })
    }).then(function (response) {
      return response.json().then(
        function (body) { return { status: response.status, body: body }; },
        function () { return { status: response.status, body: null }; }
      );
    }).then(function (result) {
      handle(result.status, result.body || {}, sent);
    }, function () {
      say(message("offline"));
      window.setTimeout(schedule, RETRY_DELAY);
    }).then(settle, settle);
  }

  function handle(status, body, sent) {
    if (status === 200) {
      versionInput.value = body.version;
      clearErrors();
      localBox.hidden = true;
      if (JSON.stringify(fields()) === JSON.stringify(sent)) {
        dropLocal(); // confirmed: the server holds exactly what the page shows
      } else {
        keepLocal(); // typed more meanwhile: keep it, now based on the new version
        again = true;
      }
      say(message("saved", { time: body.saved_at }));
    } else if (status === 409 && body.conflict) {
      showConflict(body);
      say(message("conflict", { version: body.version }));
    } else if (status === 422 && body.errors) {
      showErrors(body.errors);
      say(message("invalid"));
    } else if (status === 503) {
      say(body.error || message("offline")); // the database is out of reach for a moment
      keepLocal();
      window.setTimeout(schedule, RETRY_DELAY); // the local copy is kept; try again later
    } else if (body.error) {
      autosaveUrl = ""; // closed, submitted meanwhile: the form's buttons say what is possible
      say(body.error);
    } else {
      say(message("session"));
    }
  }

  function submitWith(submitter) {
    if (form.requestSubmit) {
      form.requestSubmit(submitter || undefined);
      return;
    }
    if (submitter && submitter.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      form.appendChild(hidden);
    }
    form.submit();
  }

  // --- wiring -------------------------------------------------------------------------------

  form.addEventListener("input", function (event) {
    if (event.target.name === "confirm") {
      return;
    }
    if (event.target.dataset.points !== undefined) {
      updateTotal();
    }
    keepLocal();
    schedule();
  });

  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    keepLocal(); // kept until the next page shows the server has it
    if (inFlight) {
      // Wait for the autosave: the form must carry the version it returns.
      event.preventDefault();
      queuedSubmitter = event.submitter || null;
    }
  });

  conflictBox.querySelector('[data-action="keep"]').addEventListener("click", function () {
    versionInput.value = conflictBox.dataset.version;
    conflictBox.hidden = true;
    keepLocal();
    if (autosaveUrl) {
      save();
    } else {
      say("");
    }
  });

  conflictBox.querySelector('[data-action="server"]').addEventListener("click", function () {
    dropLocal();
    window.location.reload();
  });

  window.addEventListener("online", schedule);

  updateTotal();
  checkLocalCopy();
})();
