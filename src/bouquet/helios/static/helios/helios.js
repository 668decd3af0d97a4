/* HELIOS pages: enhancements only. Every form works without this script; the server checks again.
 * - upload of a PES with a progress bar (XMLHttpRequest), then the pre-flight report in place;
 * - drag and drop onto the file input;
 * - confirmation before actions that cannot be undone.
 */
(function () {
  "use strict";

  function percentText(loaded, total) {
    return Math.round((loaded / total) * 100);
  }

  function showResponse(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("application/json") === 0) {
      window.location.assign(JSON.parse(xhr.responseText).redirect);
      return;
    }
    var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var main = document.querySelector("main");
    var fresh = page.querySelector("main");
    if (!main || !fresh) {
      document.open();
      document.write(xhr.responseText);
      document.close();
      return;
    }
    main.innerHTML = fresh.innerHTML;
    document.title = page.title;
    init(main);
    var target = main.querySelector("#preflight, .alert-error, .field-error, [role=status]");
    (target || main).scrollIntoView({ block: "start" });
    main.focus();
  }

  function initUploads(root) {
    root.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.FormData || !window.XMLHttpRequest) return;
        var input = form.querySelector("input[type=file]");
        if (input && input.required && !input.files.length) return; // let the browser say it
        event.preventDefault();
        var bar = form.querySelector(".upload-progress");
        var status = form.querySelector(".upload-status");
        var button = form.querySelector("button[type=submit]");
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.action || window.location.href);
        xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
        xhr.upload.addEventListener("progress", function (e) {
          if (!e.lengthComputable) return;
          var percent = percentText(e.loaded, e.total);
          if (bar) bar.value = percent;
          if (bar) bar.textContent = percent + " %";
          if (status) status.textContent = "Envoi du fichier : " + percent + " %";
        });
        xhr.upload.addEventListener("load", function () {
          if (bar) bar.value = 100;
          if (status) status.textContent = "Fichier reçu ; contrôle en cours (schéma, signatures)…";
        });
        xhr.addEventListener("load", function () {
          if (xhr.status >= 500) {
            if (button) button.disabled = false;
            if (status) status.textContent = "Le serveur n'a pas pu traiter le fichier (erreur " + xhr.status + "). Réessayez plus tard.";
            return;
          }
          showResponse(xhr);
        });
        xhr.addEventListener("error", function () {
          if (button) button.disabled = false;
          if (status) status.textContent = "L'envoi a échoué (connexion interrompue). Réessayez.";
        });
        if (button) button.disabled = true;
        if (bar) {
          bar.hidden = false;
          bar.value = 0;
        }
        if (status) status.textContent = "Envoi du fichier : 0 %";
        xhr.send(new FormData(form));
      });
    });
  }

  function initDropzones(root) {
    root.querySelectorAll(".dropzone").forEach(function (zone) {
      var input = document.getElementById(zone.dataset.input);
      if (!input) return;
      var hint = zone.querySelector(".dropzone-hint");
      if (hint) hint.hidden = false;
      zone.addEventListener("dragover", function (event) {
        event.preventDefault();
        zone.classList.add("dropzone-active");
      });
      zone.addEventListener("dragleave", function () {
        zone.classList.remove("dropzone-active");
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        zone.classList.remove("dropzone-active");
        if (!event.dataTransfer.files.length) return;
        var transfer = new DataTransfer();
        transfer.items.add(event.dataTransfer.files[0]);
        input.files = transfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  }

  function initConfirm(root) {
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  }

  function init(root) {
    initUploads(root);
    initDropzones(root);
    initConfirm(root);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  } else {
    init(document);
  }
})();
