/* Electronic deposit of bids: resumable upload in pieces, with a progress bar and the remaining time.
 *
 * No inline script (the Content-Security-Policy forbids it): everything the page needs is in data-*
 * attributes. The protocol is described in bouquet/marches/bids/views/upload.py. After a network cut
 * the script asks the server where each file stands and resumes from there; the deposit is only
 * timestamped by the explicit final step (POST .../valider/), done right after the last piece.
 */
(function () {
  "use strict";

  var MAX_WAIT = 30000;
  var IN_PROGRESS = "Envoi en cours : gardez cette page ouverte jusqu'à l'accusé de réception.";

  function $(root, selector) { return root.querySelector(selector); }

  function csrfToken(root) {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function humanSize(bytes) {
    if (bytes < 1024) { return bytes + " o"; }
    var units = ["Ko", "Mo", "Go"], value = bytes / 1024, i = 0;
    while (value >= 1024 && i < units.length - 1) { value /= 1024; i += 1; }
    return value.toFixed(1).replace(".", ",") + " " + units[i];
  }

  function humanDuration(seconds) {
    if (!isFinite(seconds) || seconds < 0) { return "calcul en cours"; }
    if (seconds < 60) { return "moins d'une minute"; }
    var minutes = Math.round(seconds / 60);
    if (minutes < 60) { return "environ " + minutes + " min"; }
    if (minutes < 48 * 60) { return "environ " + Math.floor(minutes / 60) + " h " + (minutes % 60) + " min"; }
    var days = Math.floor(minutes / 1440);
    return "environ " + days + " jours " + Math.floor((minutes % 1440) / 60) + " h";
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function sha256(blob) {
    if (!(window.crypto && window.crypto.subtle && blob.arrayBuffer)) { return Promise.resolve(""); }
    return blob.arrayBuffer().then(function (data) { return window.crypto.subtle.digest("SHA-256", data); }).then(hex);
  }

  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  /* One HTTP request with upload progress; resolves {status, body} even on HTTP errors,
     rejects only on network failure (then the caller waits and resumes). */
  function send(method, url, body, headers, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.timeout = 120000;
      Object.keys(headers || {}).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
      xhr.setRequestHeader("Accept", "application/json");
      if (onProgress && xhr.upload) {
        xhr.upload.addEventListener("progress", function (e) { onProgress(e.loaded); });
      }
      xhr.onload = function () {
        var data = {};
        try { data = JSON.parse(xhr.responseText || "{}"); } catch (err) { data = {}; }
        resolve({ status: xhr.status, body: data });
      };
      xhr.onerror = function () { reject(new Error("network")); };
      xhr.ontimeout = function () { reject(new Error("timeout")); };
      xhr.send(body);
    });
  }

  /* --- Progress display ------------------------------------------------------------------------ */

  function Progress(root, total) {
    this.bar = $(root, "progress.deposit-progress");
    this.text = $(root, ".deposit-progress-text");
    this.status = $(root, ".deposit-status");
    this.total = total;
    this.done = 0;
    this.samples = [];
    this.bar.max = total;
    this.bar.value = 0;
    this.bar.hidden = false;
  }
  Progress.prototype.update = function (sent) {
    var now = Date.now();
    this.samples.push([now, sent]);
    while (this.samples.length > 2 && now - this.samples[0][0] > 20000) { this.samples.shift(); }
    var first = this.samples[0], rate = (sent - first[1]) / Math.max(1, (now - first[0]) / 1000);
    var remaining = rate > 0 ? (this.total - sent) / rate : NaN;
    this.bar.value = sent;
    this.text.textContent = humanSize(sent) + " sur " + humanSize(this.total) + " envoyés (" +
      Math.floor(100 * sent / Math.max(1, this.total)) + " %) — temps restant : " + humanDuration(remaining);
  };
  Progress.prototype.finish = function () {
    this.bar.value = this.total;
    this.text.textContent = "Envoi terminé : " + humanSize(this.total) + " reçus par le serveur.";
  };
  Progress.prototype.say = function (message, kind) {
    this.status.textContent = message;
    this.status.className = "deposit-status alert" + (kind ? " alert-" + kind : "");
    this.status.hidden = !message;
  };

  /* --- Upload of one file, resuming after cuts ----------------------------------------------------- */

  function uploadFile(ctx, file, entry, closesDeposit) {
    var offset = entry.received, failures = 0;

    function where() {
      return send("GET", ctx.statusUrl, null, {}).then(function (r) {
        var found = (r.body.files || []).filter(function (f) { return f.id === entry.id; })[0];
        if (found) { offset = found.received; }
      });
    }

    function retry(message) {
      failures += 1;
      var wait = Math.min(MAX_WAIT, 1000 * Math.pow(2, Math.min(failures, 5)));
      ctx.progress.say(message + " Nouvelle tentative dans " + Math.round(wait / 1000) + " s…", "error");
      return sleep(wait).then(function () { return where().catch(function () { return null; }); }).then(step);
    }

    function step() {
      if (offset >= file.size) { return Promise.resolve(); }
      var piece = file.slice(offset, Math.min(file.size, offset + ctx.chunkSize));
      var start = offset;
      return sha256(piece).then(function (digest) {
        var headers = { "X-CSRFToken": ctx.csrf, "X-Upload-Offset": String(start), "Content-Type": "application/octet-stream" };
        if (digest) { headers["X-Chunk-Sha256"] = digest; }
        if (closesDeposit && start + piece.size === file.size) { headers["X-Deposit-Commit"] = "1"; }
        return send("POST", entry.url, piece, headers, function (loaded) {
          ctx.progress.update(ctx.base + start + loaded);
        });
      }).then(function (r) {
        if (r.status === 200) {
          if (failures) { ctx.progress.say(IN_PROGRESS); }
          failures = 0;
          offset = r.body.received;
          if (r.body.commit) { ctx.committed = r.body.commit; }
          ctx.progress.update(ctx.base + offset);
          return step();
        }
        if (r.status === 409 && typeof r.body.received === "number") {
          offset = r.body.received;
          return step();
        }
        if ((r.status === 422 || r.status >= 500 || r.status === 0) && failures < 20) {
          return retry(r.body.error || "Le serveur n'a pas pu enregistrer ce morceau.");
        }
        throw new Error(r.body.error || "Envoi refusé (erreur " + r.status + ").");
      }, function () {
        return retry("Connexion interrompue : l'envoi reprendra là où il s'est arrêté.");
      });
    }
    return step();
  }

  /* --- The deposit page ---------------------------------------------------------------------------- */

  function selectedFiles(form) {
    var chosen = [];
    form.querySelectorAll("input[type=file][data-slot]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) {
        chosen.push({ slot: input.dataset.slot, file: file });
      });
    });
    return chosen;
  }

  function showSelection(form) {
    var chosen = selectedFiles(form), total = 0;
    chosen.forEach(function (c) { total += c.file.size; });
    var summary = $(form, ".deposit-summary");
    summary.textContent = chosen.length ? chosen.length + " fichier(s), " + humanSize(total) : "Aucun fichier choisi.";
    var max = parseInt(form.dataset.maxSize, 10);
    if (total > max) {
      summary.textContent += " — c'est plus que la taille maximale (" + humanSize(max) + ").";
    }
  }

  function deposit(form) {
    var chosen = selectedFiles(form);
    var status = $(form, ".deposit-status");
    if (!chosen.length) {
      status.hidden = false; status.className = "deposit-status alert alert-error";
      status.textContent = "Ajoutez au moins un fichier à votre pli.";
      return;
    }
    var button = $(form, "button[type=submit]");
    button.disabled = true;
    form.querySelectorAll("input").forEach(function (input) { input.disabled = true; });
    var total = 0;
    chosen.forEach(function (c) { total += c.file.size; });
    var ctx = { csrf: csrfToken(form), progress: new Progress(form, total), base: 0 };
    ctx.progress.say("Préparation du dépôt…");
    var manifest = { files: chosen.map(function (c) { return { slot: c.slot, name: c.file.name, size: c.file.size }; }) };
    send("POST", form.action, JSON.stringify(manifest), { "X-CSRFToken": ctx.csrf, "Content-Type": "application/json" })
      .then(function (r) {
        if (r.status !== 201) { throw new Error(r.body.error || "Le dépôt n'a pas pu commencer."); }
        ctx.chunkSize = r.body.chunk_size;
        ctx.statusUrl = r.body.status_url;
        ctx.progress.say(IN_PROGRESS);
        var chain = Promise.resolve();
        r.body.files.forEach(function (entry, i) {
          chain = chain.then(function () {
            var last = i === r.body.files.length - 1;
            return uploadFile(ctx, chosen[i].file, entry, last).then(function () { ctx.base += chosen[i].file.size; });
          });
        });
        return chain.then(function () { return r.body; });
      })
      .then(function (started) {
        if (ctx.committed) { return { status: 200, body: ctx.committed }; }
        ctx.progress.say("Validation du dépôt…");
        return send("POST", started.commit_url, "", { "X-CSRFToken": ctx.csrf });
      })
      .then(function (r) {
        if (r.status !== 200) { throw new Error(r.body.error || "La validation du dépôt a échoué."); }
        ctx.progress.finish();
        var done = $(form, ".deposit-done");
        $(done, ".deposit-done-time").textContent = r.body.received_at_text;
        $(done, "a.deposit-ack").href = r.body.ack_url;
        $(done, "a.deposit-page").href = r.body.redirect;
        $(done, ".deposit-late").hidden = !r.body.late;
        done.hidden = false;
        ctx.progress.say(r.body.late ? "Pli reçu HORS DÉLAI." : "Pli reçu.", r.body.late ? "error" : "success");
        done.focus();
      })
      .catch(function (err) {
        ctx.progress.say(err.message + " Votre pli n'est pas validé.", "error");
        button.disabled = false;
        form.querySelectorAll("input").forEach(function (input) { input.disabled = false; });
      });
  }

  /* --- Server clock and countdown ------------------------------------------------------------------- */

  function clock(root) {
    var target = root.dataset.deadline, url = root.dataset.serverTime, out = $(root, ".deposit-clock");
    if (!url || !out) { return; }
    var sentAt = Date.now();
    send("GET", url, null, {}).then(function (r) {
      var offset = Date.parse(r.body.now) - (sentAt + Date.now()) / 2;
      function tick() {
        var now = Date.now() + offset;
        var text = "Heure du serveur : " + new Date(now).toLocaleTimeString("fr-FR", { timeZone: "Europe/Paris" });
        if (target) {
          var left = (Date.parse(target) - now) / 1000;
          text += left > 0 ? " — date limite dans " + humanDuration(left).replace("environ ", "") : " — date limite dépassée";
        }
        out.textContent = text;
      }
      tick();
      setInterval(tick, 1000);
    }).catch(function () { out.textContent = ""; });
  }

  /* --- The practice page: browser and connection check -------------------------------------------------- */

  function check(list, label, ok, detail) {
    var item = document.createElement("li");
    item.textContent = (ok ? "✓ " : "✗ ") + label + (detail ? " — " + detail : "");
    item.className = ok ? "check-ok" : "check-ko";
    list.appendChild(item);
    return ok;
  }

  function practice(root) {
    var list = $(root, ".checks"), button = $(root, "button.run-checks");
    button.addEventListener("click", function () {
      list.textContent = "";
      button.disabled = true;
      check(list, "JavaScript activé", true);
      check(list, "Lecture de fichiers par morceaux (File API)", !!(window.File && window.Blob && Blob.prototype.slice));
      check(list, "Envoi avec suivi de progression", !!(window.XMLHttpRequest && new XMLHttpRequest().upload));
      check(list, "Empreintes SHA-256 dans le navigateur", !!(window.crypto && window.crypto.subtle),
        window.crypto && window.crypto.subtle ? "" : "l'envoi reste possible, sans contrôle de chaque morceau");
      check(list, "Cookies de session", navigator.cookieEnabled);
      var size = parseInt(root.dataset.probeSize, 10), data = new Uint8Array(size);
      for (var i = 0; i < size; i += 65536) { window.crypto.getRandomValues(data.subarray(i, Math.min(size, i + 65536))); }
      var blob = new Blob([data]), started = Date.now();
      Promise.all([sha256(blob), send("POST", root.dataset.probeUrl, blob, { "X-CSRFToken": csrfToken(root), "Content-Type": "application/octet-stream" })])
        .then(function (results) {
          var seconds = Math.max(0.001, (Date.now() - started) / 1000), rate = size / seconds;
          var same = !results[0] || results[0] === results[1].body.sha256;
          check(list, "Envoi d'un fichier de test de " + humanSize(size), results[1].status === 200,
            humanSize(rate) + "/s ; 50 Mo prendraient " + humanDuration(50 * 1048576 / rate));
          check(list, "Fichier reçu identique (SHA-256)", same && results[1].status === 200);
          var skew = Math.abs(Date.parse(results[1].body.now) - Date.now()) / 1000;
          check(list, "Horloge de votre ordinateur", skew < 120,
            skew < 120 ? "à l'heure" : "décalée de " + Math.round(skew) + " s : fiez-vous à l'heure du serveur");
        })
        .catch(function () { check(list, "Connexion à la plateforme", false, "le test d'envoi a échoué"); })
        .then(function () { button.disabled = false; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.deposit-form").forEach(function (form) {
      form.querySelectorAll("input[type=file]").forEach(function (input) {
        input.addEventListener("change", function () { showSelection(form); });
      });
      form.addEventListener("submit", function (event) { event.preventDefault(); deposit(form); });
      showSelection(form);
    });
    document.querySelectorAll("[data-server-time]").forEach(clock);
    document.querySelectorAll(".practice").forEach(practice);
  });
})();
