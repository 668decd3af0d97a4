/* ACTES pages: enhancements only. Every form works without this script; the server checks again.
 * - live check of the act number's format (the same pattern as the server's);
 * - a filter over the classification <select>;
 * - typologies of the chosen nature only, preset with the authority's usual ones;
 * - drag and drop onto the file inputs, one typology per annex, preview of the @ctes file names;
 * - upload with a progress bar (XMLHttpRequest), confirmation before cancelling.
 */
(function () {
  "use strict";

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function readJSON(element, name) {
    try {
      return JSON.parse(element.getAttribute(name) || "{}");
    } catch (e) {
      return {};
    }
  }

  /* --- Act number ------------------------------------------------------------------------ */
  function initNumber(root) {
    root.querySelectorAll("input[data-pattern]").forEach(function (input) {
      var pattern = new RegExp(input.dataset.pattern);
      var live = document.getElementById("number-live");
      function check() {
        var value = input.value.trim().toUpperCase();
        var bad = value !== "" && !pattern.test(value);
        input.setAttribute("aria-invalid", bad ? "true" : "false");
        if (live) {
          live.hidden = !bad;
          live.textContent = bad ? input.dataset.message : "";
        }
      }
      input.addEventListener("input", check);
      input.addEventListener("blur", function () {
        input.value = input.value.trim().toUpperCase();
        check();
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  }

  /* --- Classification filter ------------------------------------------------------------- */
  function initTreeFilter(root) {
    root.querySelectorAll("input.tree-filter").forEach(function (filter) {
      var select = document.getElementById(filter.dataset.target);
      if (!select) return;
      filter.hidden = false;
      filter.addEventListener("input", function () {
        var query = fold(filter.value.trim());
        select.querySelectorAll("optgroup").forEach(function (group) {
          var groupMatch = query !== "" && fold(group.label).indexOf(query) !== -1;
          var any = false;
          group.querySelectorAll("option").forEach(function (option) {
            var show = query === "" || groupMatch || fold(option.textContent).indexOf(query) !== -1;
            option.hidden = !show;
            any = any || show;
          });
          group.hidden = !any;
        });
        var first = select.querySelector("optgroup:not([hidden]) option:not([hidden])");
        if (first && query !== "" && (!select.value || select.selectedOptions[0].hidden)) {
          first.selected = true;
        }
      });
    });
  }

  /* --- Typologies per nature ------------------------------------------------------------- */
  function currentNature(form) {
    var nature = form.querySelector("select[name=nature]");
    return nature ? nature.value : "";
  }

  function restrictTypologies(select, nature, defaults) {
    var groups = readJSON(select, "data-groups");
    var valid = false;
    select.querySelectorAll("optgroup").forEach(function (group) {
      var mine = groups[group.label] === nature;
      group.hidden = !mine;
      group.disabled = !mine;
      if (mine && select.value && group.querySelector('option[value="' + select.value + '"]')) valid = true;
    });
    if (!valid) {
      var wanted = (defaults[nature] || {})[select.dataset.role];
      var option = wanted && select.querySelector('optgroup:not([disabled]) option[value="' + wanted + '"]');
      option = option || select.querySelector("optgroup:not([disabled]) option");
      if (option) option.selected = true;
    }
  }

  function initTypologies(form) {
    var defaults = readJSON(form, "data-defaults");
    var nature = form.querySelector("select[name=nature]");
    if (!nature) return;
    function apply() {
      form.querySelectorAll("select.typology").forEach(function (select) {
        restrictTypologies(select, currentNature(form), defaults);
      });
      preview(form);
    }
    nature.addEventListener("change", apply);
    apply();
  }

  /* --- Annexes: one typology each -------------------------------------------------------- */
  function renderAnnexes(form) {
    var input = form.querySelector("input[type=file][name=annexes]");
    var list = form.querySelector(".annex-list");
    var shared = form.querySelector(".annex-typology");
    var template = shared && shared.querySelector("select");
    if (!input || !list || !template) return;
    var previous = Array.prototype.map.call(list.querySelectorAll("select"), function (s) {
      return s.value;
    });
    list.textContent = "";
    var files = input.files || [];
    shared.hidden = files.length > 0;
    template.disabled = files.length > 0;
    Array.prototype.forEach.call(files, function (file, index) {
      var row = document.createElement("div");
      row.className = "field annex-row";
      var label = document.createElement("label");
      var select = template.cloneNode(true);
      select.id = "annex-typology-" + index;
      select.disabled = false;
      select.value = previous[index] || template.value;
      label.htmlFor = select.id;
      label.textContent = "Type de l'annexe « " + file.name + " »";
      row.appendChild(label);
      row.appendChild(select);
      list.appendChild(row);
      select.addEventListener("change", function () {
        preview(form);
      });
    });
    var defaults = readJSON(form, "data-defaults");
    list.querySelectorAll("select").forEach(function (select) {
      restrictTypologies(select, currentNature(form), defaults);
    });
  }

  /* --- Preview of the @ctes names -------------------------------------------------------- */
  function extension(name) {
    var ext = (name.split(".").pop() || "").toLowerCase();
    return ext === "jpeg" ? "jpg" : ext;
  }

  function preview(form) {
    var panel = form.querySelector(".name-preview");
    if (!panel) return;
    var natures = readJSON(form, "data-natures");
    var number = (form.querySelector("input[name=number]").value || "").trim().toUpperCase();
    var date = (form.querySelector("input[name=decision_date]").value || "").replace(/-/g, "");
    var abbr = natures[currentNature(form)] || "";
    var main = form.querySelector("input[type=file][name=main_document]");
    var annexes = form.querySelector("input[type=file][name=annexes]");
    var files = [];
    if (main && main.files.length) {
      files.push([main.files[0], form.querySelector("select[name=main_typology]").value]);
    }
    var annexSelects = form.querySelectorAll(".annex-list select");
    Array.prototype.forEach.call((annexes && annexes.files) || [], function (file, index) {
      var select = annexSelects[index] || form.querySelector(".annex-typology select");
      files.push([file, select ? select.value : ""]);
    });
    var list = panel.querySelector(".preview-list");
    list.textContent = "";
    if (!files.length || !number || !date || !abbr) {
      panel.hidden = true;
      return;
    }
    var base = [form.dataset.departement, form.dataset.siren, date, number, abbr, "1-1"].join("-");
    files.forEach(function (pair, index) {
      var item = document.createElement("li");
      var code = document.createElement("code");
      code.textContent = (pair[1] ? pair[1] + "-" : "") + base + "_" + (index + 1) + "." + extension(pair[0].name);
      item.appendChild(document.createTextNode(pair[0].name + " → "));
      item.appendChild(code);
      list.appendChild(item);
    });
    panel.hidden = false;
  }

  /* --- Drag and drop --------------------------------------------------------------------- */
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
        var transfer = new DataTransfer();
        if (zone.hasAttribute("data-multiple")) {
          Array.prototype.forEach.call(input.files, function (f) {
            transfer.items.add(f);
          });
          Array.prototype.forEach.call(event.dataTransfer.files, function (f) {
            transfer.items.add(f);
          });
        } else if (event.dataTransfer.files.length) {
          transfer.items.add(event.dataTransfer.files[0]);
        }
        input.files = transfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  }

  function initActForm(root) {
    root.querySelectorAll("form.act-form").forEach(function (form) {
      initTypologies(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "annexes") renderAnnexes(form);
        preview(form);
      });
      form.addEventListener("input", function () {
        preview(form);
      });
      renderAnnexes(form);
      preview(form);
    });
  }

  /* --- Upload with progress -------------------------------------------------------------- */
  function keepFiles(root) {
    var kept = {};
    root.querySelectorAll("input[type=file]").forEach(function (input) {
      if (input.files && input.files.length) kept[input.name] = input.files;
    });
    return kept;
  }

  function restoreFiles(root, kept) {
    Object.keys(kept).forEach(function (name) {
      var input = root.querySelector('input[type=file][name="' + name + '"]');
      if (input) input.files = kept[name];
    });
  }

  function showResponse(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("application/json") === 0) {
      var data = JSON.parse(xhr.responseText);
      window.location.assign(data.redirect);
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
    var kept = keepFiles(main);
    main.innerHTML = fresh.innerHTML;
    document.title = page.title;
    restoreFiles(main, kept);
    init(main);
    var error = main.querySelector(".field-error:not([hidden]), .alert-error, [role=status]");
    (error || main).scrollIntoView({ block: "center" });
    main.focus();
  }

  function initUploads(root) {
    root.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.FormData || !window.XMLHttpRequest) return;
        event.preventDefault();
        var bar = form.querySelector(".upload-progress");
        var status = form.querySelector(".upload-status");
        var button = form.querySelector("button[type=submit]");
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.action || window.location.href);
        xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
        xhr.upload.addEventListener("progress", function (e) {
          if (!e.lengthComputable) return;
          var percent = Math.round((e.loaded / e.total) * 100);
          if (bar) {
            bar.hidden = false;
            bar.value = percent;
          }
          if (status) status.textContent = "Envoi des fichiers : " + percent + " %";
        });
        xhr.addEventListener("load", function () {
          showResponse(xhr);
        });
        xhr.addEventListener("error", function () {
          if (button) button.disabled = false;
          if (status) status.textContent = "L'envoi a échoué (connexion interrompue). Réessayez.";
        });
        if (button) button.disabled = true;
        if (bar) bar.hidden = false;
        xhr.send(new FormData(form));
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
    initNumber(root);
    initTreeFilter(root);
    initDropzones(root);
    initActForm(root);
    initUploads(root);
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
