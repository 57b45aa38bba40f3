// The project's own small script. No inline scripts anywhere, so a strict CSP stays possible.
(function () {
  "use strict";

  // Selects that act on change: data-autosubmit submits its form (the organisation
  // switcher), data-save-on-enter is an HTMX select that saves (a member's role). Not a
  // change made with the keys on the closed select: an arrow key chooses at once, so
  // reaching the third option would pass through the second. Then Enter acts (or the
  // switcher's button that the change shows); leaving the select unsent shows the saved
  // choice again.
  var CHOOSING_KEYS = /^(Arrow(Up|Down|Left|Right)|Home|End|Page(Up|Down))$/;
  function autosubmits(el) {
    return el.matches && el.matches("select[data-autosubmit]");
  }
  function savesOnEnter(el) {
    return el.matches && el.matches("select[data-save-on-enter]");
  }
  function send(select) {
    delete select.dataset.keyed;
    delete select.dataset.pending;
    select.removeAttribute("aria-description");
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (!autosubmits(el) && !savesOnEnter(el)) {
      return;
    }
    if (event.key === "Enter") {
      event.preventDefault();
      if (autosubmits(el)) {
        el.form.requestSubmit();
      } else if (el.dataset.pending) {
        send(el);
      }
    } else if ((CHOOSING_KEYS.test(event.key) && !event.altKey) || (event.key.length === 1 && event.key !== " ")) {
      el.dataset.keyed = "1";
    } else {
      delete el.dataset.keyed;
    }
  });
  document.addEventListener("mousedown", function (event) {
    if (autosubmits(event.target) || savesOnEnter(event.target)) {
      delete event.target.dataset.keyed;
    }
  });
  // Capture: a keyed choice is held back before htmx, listening on the select, sees it.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (savesOnEnter(el) && el.dataset.keyed) {
      event.stopImmediatePropagation();
      el.dataset.pending = "1";
      el.setAttribute("aria-description", el.dataset.saveOnEnter);
    }
  }, true);
  document.addEventListener("focusout", function (event) {
    var el = event.target;
    if (savesOnEnter(el) && el.dataset.pending) {
      delete el.dataset.pending;
      delete el.dataset.keyed;
      el.removeAttribute("aria-description");
      restoreSaved(el);
    }
  });
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!autosubmits(el)) {
      return;
    }
    if (el.dataset.keyed) {
      var button = el.form.querySelector("[data-submit-when-keyed]");
      if (button) {
        button.hidden = false;
      }
      return;
    }
    el.form.requestSubmit();
  });

  // Plain (non-HTMX) forms that destroy or archive something ask first (not again for a
  // second click on a form already on its way: that click is dropped, see below).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !form.dataset.submitting && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // A page that outlived its login. The server marks an answer after which the page's CSRF
  // token no longer holds with X-Renew-Token: "you are logged out" (401), or a save with the
  // token of an earlier login. Logging in again (in a new tab, from the message's link)
  // makes a new token; before the page's next write the current one is fetched and put
  // where the page's requests take it from: the body's hx-headers and the forms' fields.
  // A page that Back or Forward brings back may be from before a login too.
  var tokenStale = false;

  // Swapped as htmx swaps an answer: its out-of-band parts (a role badge put right) go to
  // their places, and the message's own controls work.
  function showMessage(html) {
    var box = document.getElementById("messages");
    window.htmx.swap(box, html, { swapStyle: "innerHTML" });
    box.scrollIntoView({ block: "nearest" });
  }

  // What the token route and the write check are told of the page: the user it was drawn
  // for (someone else's page gets no token), and that they answer into the page.
  function pageHeaders() {
    return {
      "X-User": document.body.dataset.user || "",
      "HX-Request": "true",
      "HX-Current-URL": window.location.href
    };
  }

  function setToken(token) {
    tokenStale = false;
    var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    headers["X-CSRFToken"] = token;
    document.body.setAttribute("hx-headers", JSON.stringify(headers));
    document.querySelectorAll("input[name='csrf_token']").forEach(function (field) {
      field.value = token;
    });
  }

  // Resolves true when the write may go (with the current token; or, the server not
  // reached or failing, with the page's own, and the server's answer will say what is
  // wrong), false when the server refused (still logged out, or logged in as someone
  // else): its message is shown, and the page and its text stay as they are.
  function renewToken(elt) {
    var url = document.body.dataset.tokenUrl;
    if (!tokenStale || !url) {
      return Promise.resolve(true);
    }
    var headers = pageHeaders();
    if (!carriesText(elt)) {
      headers["X-Nothing-Typed"] = "1";
    }
    return fetch(url, { headers: headers, credentials: "same-origin" })
      .then(function (response) {
        if (response.ok) {
          return response.json().then(function (data) {
            setToken(data.token);
            return true;
          });
        }
        // Only the route's own refusals are shown: a proxy's error page (502 during a
        // deploy) is not a message, and the write's own answer is handled as any other.
        if (response.status !== 401 && response.status !== 403) {
          return true;
        }
        return response.text().then(function (html) {
          showMessage(html);
          return false;
        });
      })
      .catch(function () { return true; });
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.getResponseHeader("X-Renew-Token")) {
      tokenStale = true;
    }
  });
  window.addEventListener("pageshow", function (event) {
    var entry = window.performance && window.performance.getEntriesByType &&
      window.performance.getEntriesByType("navigation")[0];
    if (event.persisted || (entry && entry.type === "back_forward")) {
      tokenStale = true;
      // A plain form of the restored page asks the write check (and for the token) again.
      document.querySelectorAll("form[data-org-checked]").forEach(function (form) {
        delete form.dataset.orgChecked;
      });
    }
  });
  // On window, so after every other listener: a write they let go waits for the token.
  // Sent on with issueRequest(false), which asks hx-confirm but not these listeners again.
  window.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    if (!tokenStale || event.defaultPrevented || event.detail.verb === "get") {
      return;
    }
    event.preventDefault();
    renewToken(elt).then(function (go) {
      if (go) {
        event.detail.issueRequest(false);
        return;
      }
      if (elt.dataset) {
        delete elt.dataset.submitting;  // not sent: the form can be sent again
      }
      notSaved(elt, event.detail.triggeringEvent);
    });
  });

  // A plain form names the organisation its page was shown in, as HTMX requests do by
  // the body's hx-headers: the server refuses it after a switch in another tab. Before it
  // leaves the page, the server is asked whether that still holds (and whether the user
  // is still logged in and may still write there), so that a refusal shows here, beside
  // what was typed, rather than on a page of its own. It goes with the current login's
  // token: logged out and in again in another tab, the page's own no longer holds.
  //
  // A plain form is sent once (data-submitting, as an HTMX form below). A second submit
  // while the check is asked, or after the form has left while the next page loads (a
  // double click, Enter pressed twice), posted it again with the same base version: the
  // first saved, the second was refused as changed by someone else, and the browser shows
  // the last answer. It is dropped instead. The form goes again after the check refused it,
  // and on a page brought back by Back or Forward (pageshow clears data-submitting).
  var leaving = null;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.method !== "post" || form.hasAttribute("hx-post")) {
      return;
    }
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    leaving = form;
    var org = document.body.dataset.org;
    var check = document.body.dataset.orgCheck;
    if (!org) {
      return;
    }
    if (!form.elements._org) {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = "_org";
      field.value = org;
      form.appendChild(field);
    }
    if (!check || form.dataset.orgChecked) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    function send() {
      form.dataset.orgChecked = "1";
      // form.submit() sends no button: the one pressed goes as a field, in place of the
      // one pressed last time (a page brought back by Back still holds that field).
      var before = form.querySelector("input[data-pressed]");
      if (before) {
        before.remove();
      }
      if (submitter && submitter.name) {
        var pressed = document.createElement("input");
        pressed.type = "hidden";
        pressed.name = submitter.name;
        pressed.value = submitter.value;
        pressed.dataset.pressed = "";
        form.appendChild(pressed);
      }
      form.submit();
    }
    var headers = pageHeaders();
    headers["X-Org"] = org;
    headers["X-Form-Action"] = new URL(form.getAttribute("action") || "", window.location.href).href;
    // The write check alone knows whether the form writes the organisation's data (logging
    // out does not, and goes also when the login has ended). Letting it go, it answers
    // with the current login's token (logged out and in again in another tab, the page's
    // own no longer holds).
    fetch(check, { headers: headers, credentials: "same-origin" })
      .then(function (response) {
        if (response.headers.get("X-Renew-Token")) {
          tokenStale = true;
        }
        if ([401, 403, 409].indexOf(response.status) !== -1) {
          delete form.dataset.submitting;  // not sent: the form can be sent again
          return response.text().then(showMessage);
        }
        var json = /json/.test(response.headers.get("Content-Type") || "");
        return (response.ok && json ? response.json() : Promise.resolve({})).then(function (data) {
          if (data.token) {
            setToken(data.token);
          }
          send();
        });
      })
      .catch(send);  // no answer: the server's own check still guards the save
  });

  // When the server cannot be reached, say so where messages appear instead of failing silently.
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("messages");
    if (box) {
      box.innerHTML = "";
      var p = document.createElement("p");
      p.className = "flash flash-error";
      p.setAttribute("role", "alert");
      p.textContent = document.body.dataset.offlineMessage || "Ingen forbindelse til serveren.";
      box.appendChild(p);
    }
  });

  // An action that redraws a region (save another card, move an item, change a status,
  // cancel) would throw away text typed into a form in that region and not yet saved: ask
  // first. A form that came back refused with text in it counts as unsaved too, though its
  // fields hold what was typed. Only the user's own clicks, keys, choices and drags ask: a
  // projector's timed refresh does not.
  function differs(el) {
    if (el.type === "hidden" || el.disabled || el.hasAttribute("hx-post")) {
      return false;
    }
    if (el.type === "checkbox" || el.type === "radio") {
      return el.checked !== el.defaultChecked;
    }
    if (el.tagName === "SELECT") {
      var initial = Array.prototype.findIndex.call(el.options, function (o) { return o.defaultSelected; });
      return !el.multiple && el.selectedIndex !== Math.max(initial, 0);
    }
    return (el.tagName === "TEXTAREA" || el.tagName === "INPUT") && el.value !== el.defaultValue;
  }

  function holdsUnsavedText(form) {
    // Filters (GET) and forms that save on change hold nothing waiting to be saved.
    var writes = form.method === "post" || form.hasAttribute("hx-post");
    if (!writes || /change/.test(form.getAttribute("hx-trigger") || "")) {
      return false;
    }
    var refusedWithText = form.querySelector("[aria-invalid='true']") &&
      Array.prototype.some.call(form.elements, function (el) {
        return (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type === "text")) &&
          el.value.trim() !== "";
      });
    return Boolean(refusedWithText) || Array.prototype.some.call(form.elements, differs);
  }

  // Sortable's "end" event names the item and its old and new index in the list; after a
  // move down, the item now at its old index is the one that followed it.
  function putBack(drop) {
    var list = drop.from;
    var after = drop.newIndex < drop.oldIndex ? drop.oldIndex + 1 : drop.oldIndex;
    list.insertBefore(drop.item, list.children[after] || null);
  }

  function restoreSaved(select) {
    Array.prototype.forEach.call(select.options, function (o) { o.selected = o.defaultSelected; });
  }

  // A choice or a drop saves itself, and says "Nothing was saved" if it could not: then it
  // shows what is saved again, so the page does not show as done what was not, and making
  // the same choice again after logging in is a change that saves. A drop goes back to its
  // place, a choice to the saved one (a select's saved option, an answer form's saved
  // radio button; see below); the board's cards listen for "app:notSaved".
  function savesOnChange(form) {
    return /change/.test(form.getAttribute("hx-trigger") || "");
  }

  function notSaved(elt, trigger) {
    var field = trigger && trigger.target;
    if (trigger && trigger.type === "end" && trigger.from) {
      putBack(trigger);
    } else if (field && field.tagName === "SELECT") {
      restoreSaved(field);
    } else if (field && field.form && /^(radio|checkbox)$/.test(field.type) && savesOnChange(field.form)) {
      Array.prototype.forEach.call(field.form.elements, function (other) {
        other.checked = other.defaultChecked;
      });
    }
    elt.dispatchEvent(new CustomEvent("app:notSaved", { bubbles: true }));
  }

  // Not saved: answered in the message area instead of in the item (logged out, rights
  // gone, the item deleted) or by a server error, or not answered (no connection). Not a
  // request aborted for a newer one (hx-sync): that one's answer counts. A form that saves
  // on change without being redrawn (a self-assessment answer) keeps what it saved as its
  // fields' defaults, to go back to.
  function isWrite(event) {
    var elt = event.detail.elt;
    var config = event.detail.requestConfig;
    var box = document.getElementById("messages");
    return elt.tagName && !(config && config.verb === "get") && !(box && box.contains(elt));
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    var xhr = event.detail.xhr;
    if (!isWrite(event) || !xhr || !xhr.status) {
      return;  // no answer: aborted, or htmx:sendError below
    }
    if (!event.detail.successful || event.detail.target === document.getElementById("messages")) {
      notSaved(elt, event.detail.requestConfig.triggeringEvent);
    } else if (elt.tagName === "FORM" && savesOnChange(elt)) {
      Array.prototype.forEach.call(elt.elements, function (field) {
        field.defaultChecked = field.checked;
      });
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    if (isWrite(event)) {
      notSaved(event.detail.elt, event.detail.requestConfig.triggeringEvent);
    }
  });

  // A write that carries nothing the user typed (a card dragged or moved, a choice made) is
  // marked, so that a refusal does not tell them their text is still in the form.
  function carriesText(elt) {
    var form = elt.tagName === "FORM" ? elt : elt.form || (elt.closest && elt.closest("form"));
    return Boolean(form) && Array.prototype.some.call(form.elements, function (el) {
      var typed = el.tagName === "TEXTAREA" ||
        (el.tagName === "INPUT" && /^(text|search|email|url|tel|number|date|password)$/.test(el.type));
      return typed && el.value.trim() !== "";
    });
  }
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (event.detail.verb !== "get" && elt.tagName && !carriesText(elt)) {
      event.detail.headers["X-Nothing-Typed"] = "1";
    }
  });

  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    var target = event.detail.target;
    var trigger = event.detail.triggeringEvent;
    var question = document.body.dataset.discardMessage;
    if (!question || !target || !trigger || !/^(click|submit|keydown|change|end)$/.test(trigger.type)) {
      return;
    }
    // SortableJS fires "end" also for a drag let go where it started: nothing to save.
    var dragged = trigger.type === "end";
    if (dragged && trigger.oldIndex === trigger.newIndex) {
      event.preventDefault();
      return;
    }
    // A form whose save redraws more than its target (the server retargets it: a theory
    // box's text moves the arrows and the link labels) names that region.
    var redraws = elt.getAttribute && elt.getAttribute("data-redraws");
    var region = (redraws && document.querySelector(redraws)) || target;
    var forms = Array.prototype.slice.call(region.querySelectorAll("form"));
    if (region.tagName === "FORM") {
      forms.push(region);
    }
    var lost = forms.some(function (form) { return form !== elt && holdsUnsavedText(form); });
    if (lost && !window.confirm(question)) {
      event.preventDefault();
      notSaved(elt, trigger);  // a choice or a drop that was not sent
    }
  });

  // Choosing a person to add to a team chooses the professional role their role in the
  // organisation suggests, until the user chooses a role themselves.
  document.addEventListener("change", function (event) {
    var el = event.target;
    var form = el.form;
    var role = form && form.elements.professional_role;
    if (!role || !role.tagName) {
      return;
    }
    if (el === role) {
      role.dataset.chosen = "1";
      return;
    }
    var option = el.selectedOptions && el.selectedOptions[0];
    if (!option || option.dataset.professionalRole === undefined || role.dataset.chosen) {
      return;
    }
    // A person whose role suggests nothing (an admin) gets the form's own default.
    role.value = option.dataset.professionalRole || role.dataset.fallback || role.value;
  });

  // A theory-of-change link goes one column to the right: the "to" list offers only the
  // items of the kind the chosen "from" item links to (the server refuses any other).
  function offerLinkTargets(source) {
    var option = source.selectedOptions && source.selectedOptions[0];
    var kind = option && option.dataset.linksTo;
    var target = kind && source.form && source.form.elements.target_id;
    if (!target || !target.options) {
      return;
    }
    var current = target.selectedOptions[0];
    Array.prototype.forEach.call(target.options, function (o) {
      o.hidden = o.disabled = o.dataset.kind !== kind;
    });
    if (!current || current.disabled) {
      var first = Array.prototype.find.call(target.options, function (o) { return !o.disabled; });
      target.value = first ? first.value : "";
      // Chosen by this script, not by the user: nothing typed, nothing to warn about.
      Array.prototype.forEach.call(target.options, function (o) { o.defaultSelected = o.selected; });
    }
  }

  function offerAllLinkTargets(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("select[name=source_id]").forEach(offerLinkTargets);
  }

  document.addEventListener("change", function (event) {
    if (event.target.name === "source_id") {
      offerLinkTargets(event.target);
    }
  });
  document.addEventListener("DOMContentLoaded", function () { offerAllLinkTargets(document); });
  document.addEventListener("htmx:afterSettle", function (event) { offerAllLinkTargets(event.detail.elt || document); });

  // A select that saves on change and has consequences for the user (their own role) asks
  // first; declined, it shows its saved value again.
  document.addEventListener("htmx:confirm", function (event) {
    var select = event.detail.elt;
    var chosen = select.selectedOptions && select.selectedOptions[0];
    var question = select.getAttribute && (select.getAttribute("data-confirm-change") ||
      (chosen && chosen.getAttribute("data-confirm")));
    if (!question || event.defaultPrevented || window.confirm(question)) {
      return;
    }
    event.preventDefault();
    restoreSaved(select);
  });

  // A message that asks for the next step ("Gem igen") goes once that step has succeeded.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    var box = document.getElementById("messages");
    if (!box || !event.detail.successful || !xhr || event.detail.target === box ||
        (event.detail.requestConfig && event.detail.requestConfig.verb === "get")) {
      return;
    }
    box.querySelectorAll("[data-transient]").forEach(function (el) { el.remove(); });
  });

  // A form submitted twice while its first request is on its way (a double click, Enter
  // pressed twice) would create the thing twice: htmx queues the second submit and sends
  // it when the first returns, and a form answered by a redirect is still there to send
  // it. The second submit is dropped instead. Only submits: a select that saves on
  // change must still send the user's last choice.
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.detail.elt;
    var trigger = event.detail.triggeringEvent;
    if (event.defaultPrevented || form.tagName !== "FORM" || !trigger || trigger.type !== "submit") {
      return;
    }
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    var xhr = event.detail.xhr;
    // Answered by a redirect, the page is about to change: the form stays closed.
    if (form.dataset && form.dataset.submitting && !(xhr && xhr.getResponseHeader("HX-Redirect"))) {
      delete form.dataset.submitting;
    }
  });

  // Back and Forward may show a page as the server first sent it, from the browser's
  // cache, without what HTMX changed on it since (a new action item, a moved card). A
  // page changed in place is remembered for the tab, and shown again from the server
  // when history brings it back. (A page restored whole from the back/forward cache is
  // the live page, changes included: nothing to do.)
  var CHANGED = "changed-in-place:";
  function pageKey() {
    return CHANGED + window.location.pathname + window.location.search;
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var verb = event.detail.requestConfig && event.detail.requestConfig.verb;
    if (event.detail.successful && verb && verb !== "get") {
      try {
        window.sessionStorage.setItem(pageKey(), "1");
      } catch (e) {
        // Storage full or refused: Back then shows the cached page, as without this.
      }
    }
  });

  window.addEventListener("pageshow", function (event) {
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
    });
    if (event.persisted) {
      return;
    }
    var entry = window.performance && window.performance.getEntriesByType &&
      window.performance.getEntriesByType("navigation")[0];
    var changed = false;
    try {
      changed = window.sessionStorage.getItem(pageKey()) === "1";
      window.sessionStorage.removeItem(pageKey());
    } catch (e) {
      return;
    }
    if (changed && entry && entry.type === "back_forward") {
      window.location.reload();
    }
  });

  // A form marked data-warn-unsaved (the PDSA worksheet, a meeting's minutes and action
  // items) warns before the page is left or reloaded while it holds text not saved; the
  // browser asks in its own words. Typing marks the form (for one whose field saves itself,
  // the self-assessment's justification, only a save replaces it), and the form as it is
  // now counts too, read as holdsUnsavedText reads it: a form that HTMX drew again, sent
  // back refused with the text in it, warns though nothing was typed into it since. A form
  // on its way to be saved (data-submitting, above) does not warn.
  var unsaved = null;
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-warn-unsaved")) {
      unsaved = form;
    }
  });
  // A worksheet sent back refused holds text that is not saved either.
  document.addEventListener("DOMContentLoaded", function () {
    var refused = document.querySelector(
      "form[data-warn-unsaved] [aria-invalid='true'], form[data-warn-unsaved] .flash-error");
    if (refused) {
      unsaved = refused.closest("form");
    }
  });
  function leavesTextBehind() {
    return Array.prototype.some.call(document.querySelectorAll("form[data-warn-unsaved]"), function (form) {
      return !form.dataset.submitting && (form === unsaved || holdsUnsavedText(form));
    });
  }
  window.addEventListener("beforeunload", function (event) {
    if (leavesTextBehind()) {
      event.preventDefault();
      event.returnValue = "";
      // Another plain form whose sending asked this (the organisation switcher) stays on
      // the page if the user chooses to: it can be sent again.
      if (leaving) {
        delete leaving.dataset.submitting;
      }
    }
  });

  // htmx focuses the [autofocus] field of new content when it settles. A form that comes
  // back refused should put the keyboard on the first field at fault instead, so the user
  // can correct it at once (and the usual first field does not take focus from them while
  // they are already typing there). event.target is the new content; detail.target can be
  // the element an outerHTML swap replaced.
  document.addEventListener("htmx:afterSwap", function (event) {
    var root = event.target;
    var invalid = root.querySelector && root.querySelector("[aria-invalid='true']");
    if (!invalid) {
      return;
    }
    root.querySelectorAll("[autofocus]").forEach(function (el) {
      el.removeAttribute("autofocus");
    });
    invalid.setAttribute("autofocus", "");
  });

  // A swap that replaces the focused control (a section redrawn after "move up", a form
  // after "create") would leave focus on <body>, and a keyboard user back at the top of
  // the page. Focus goes to the same control in the new content: same id, or same kind
  // of control with the same label or text; failing that, to the swapped region.
  var lastFocus = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var el = document.activeElement;
    lastFocus = el && el !== document.body ? {
      id: el.id,
      tag: el.tagName,
      label: el.getAttribute("aria-label"),
      text: (el.textContent || "").trim(),
      region: event.detail.target ? event.detail.target.id : "",
      within: ancestorIds(el)
    } : null;
  });

  function ancestorIds(el) {
    var ids = [];
    for (var up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (up.id) {
        ids.push(up.id);
      }
    }
    return ids;
  }

  // The swapped region after an outerHTML swap is the new element with the old one's id.
  // In it, an inline editor's card offers its Edit button: where a keyboard user who has
  // just saved or cancelled would go on from.
  // Narrowed to the nearest element that held the focused control and still exists (the
  // card whose editor was saved), so a section redrawn whole does not send focus to its
  // first card.
  function swappedRegion(event, seen) {
    var region = event.detail.target;
    if (!region || !region.isConnected) {
      region = seen.region ? document.getElementById(seen.region) : null;
    }
    region = region || document.getElementById("main");
    var holder = seen.within.map(function (id) { return document.getElementById(id); })
      .filter(function (el) { return el && region.contains(el); })[0];
    return holder || region;
  }

  // The buttons that open an inline editor (a card's, the Model for Improvement's, the aim's).
  var EDIT_TRIGGERS = ["[hx-get$='/rediger']", "[hx-get$='/model']", "[hx-get$='/formaal']"];

  // Those inside `scope`: every part of the list scoped, not only the first (".a .b, .c"
  // would take any .c in the page: the aim's button for a link removed far below it).
  function editTriggers(scope) {
    return EDIT_TRIGGERS.map(function (trigger) { return scope ? scope + " " + trigger : trigger; }).join(", ");
  }

  // A control in a closed <details> (a create form folded away) cannot take focus.
  // (Chromium keeps boxes for a closed <details>' content, so getClientRects alone is not
  // enough; checkVisibility knows.)
  function visible(el) {
    if (!el) {
      return null;
    }
    var shown = el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0;
    return shown ? el : null;
  }

  // The control that had focus was in an item that is gone (deleted, archived, removed):
  // another item's button of the same name ("Slet") is no counterpart, and pressing Enter
  // on it would act on something the user never chose.
  function holderGone(seen) {
    return seen.within.length > 0 && !document.getElementById(seen.within[0]);
  }

  function counterpart(root, seen) {
    if (seen.id && document.getElementById(seen.id)) {
      return document.getElementById(seen.id);
    }
    if (holderGone(seen)) {
      return null;
    }
    var same = Array.prototype.filter.call(root.querySelectorAll(seen.tag), function (el) {
      return seen.label ? el.getAttribute("aria-label") === seen.label :
        seen.text && (el.textContent || "").trim() === seen.text;
    });
    return same[0] || null;
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var seen = lastFocus;
    lastFocus = null;
    if (!seen || (document.activeElement && document.activeElement !== document.body)) {
      return;
    }
    var region = swappedRegion(event, seen);
    var target = region && (visible(counterpart(region, seen)) ||
      visible(region.querySelector(editTriggers(".just-created"))) ||
      (!holderGone(seen) && visible(region.querySelector(editTriggers()))));
    if (!target && region) {
      target = region;
      if (!target.hasAttribute("tabindex")) {
        target.setAttribute("tabindex", "-1");
      }
    }
    if (target) {
      target.focus({preventScroll: true});
    }
  });

  // Escape in an inline editor cancels it, as its Cancel button does (the last button in
  // the form that fetches instead of saving); unsaved text is asked about first, as above.
  document.addEventListener("keydown", function (event) {
    var form = event.key === "Escape" && !event.defaultPrevented && event.target.closest &&
      event.target.closest("form[hx-post]");
    if (!form) {
      return;
    }
    var cancels = form.querySelectorAll("button[type=button][hx-get]");
    if (cancels.length) {
      event.preventDefault();
      cancels[cancels.length - 1].click();
    }
  });

  // An error answering an in-page action lands in #messages at the top of the page. When
  // the user has scrolled away from there, it floats in view until closed, so a refused
  // save never looks as if nothing happened.
  document.addEventListener("htmx:afterSettle", function (event) {
    var box = document.getElementById("messages");
    if (!box || event.detail.target !== box) {
      return;
    }
    box.classList.remove("is-floating");
    var old = box.querySelector(".flash-close");
    if (old) {
      old.remove();
    }
    if (!box.querySelector(".flash-error") || box.getBoundingClientRect().top >= 0) {
      return;
    }
    box.classList.add("is-floating");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "flash-close secondary outline small";
    close.setAttribute("aria-label", document.body.dataset.closeLabel || "Luk");
    close.textContent = "×";
    close.addEventListener("click", function () {
      box.classList.remove("is-floating");
      box.innerHTML = "";
    });
    box.querySelector(".flash-error").appendChild(close);
  });
})();

// Excel exports: a plain download link, but when the file takes more than a second to
// prepare, say so. The server sets the cookie export_<token> when the file is sent.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-export]");
    if (!link) {
      return;
    }
    var token = Math.random().toString(36).slice(2, 12) + Date.now().toString(36);
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("token", token);
    link.href = url.toString();
    var note = null;
    var timer = window.setTimeout(function () {
      note = document.createElement("p");
      note.className = "flash flash-info export-progress";
      note.setAttribute("role", "status");
      note.textContent = link.dataset.export;
      var box = document.getElementById("messages");
      if (box) {
        box.appendChild(note);
      }
    }, 1000);
    var poll = window.setInterval(function () {
      if (document.cookie.indexOf("export_" + token + "=") === -1) {
        return;
      }
      window.clearInterval(poll);
      window.clearTimeout(timer);
      document.cookie = "export_" + token + "=; Max-Age=0; path=/";
      if (note) {
        note.remove();
      }
    }, 250);
  });
})();

// ---------------------------------------------------------------- description (phase 1)
(function () {
  "use strict";

  // Drag and drop lists: <ol data-sortable hx-post=... hx-trigger="end" hx-include="this">.
  // SortableJS fires "end"; htmx posts the hidden ids in their new order. Buttons do the same
  // for keyboard users.
  function initSortables(root) {
    if (!window.Sortable) return;
    root.querySelectorAll("[data-sortable]").forEach(function (list) {
      if (list.dataset.sortableReady) return;
      list.dataset.sortableReady = "1";
      window.Sortable.create(list, { handle: ".drag-handle", animation: 150, draggable: "li", forceFallback: true });
    });
  }

  // Theory of change: draw an arrow from each source card to each target card.
  var SVG = "http://www.w3.org/2000/svg";
  function drawArrows(root) {
    root.querySelectorAll(".toc-diagram").forEach(function (diagram) {
      var svg = diagram.querySelector("svg.toc-arrows");
      if (!svg) return;
      var pairs = [];
      try { pairs = JSON.parse(diagram.dataset.tocLinks || "[]"); } catch (e) { pairs = []; }
      while (svg.firstChild) svg.removeChild(svg.firstChild);
      var box = diagram.getBoundingClientRect();
      svg.setAttribute("width", box.width);
      svg.setAttribute("height", box.height);
      var defs = document.createElementNS(SVG, "defs");
      var marker = document.createElementNS(SVG, "marker");
      marker.setAttribute("id", "toc-arrowhead");
      marker.setAttribute("markerWidth", "8");
      marker.setAttribute("markerHeight", "8");
      marker.setAttribute("refX", "7");
      marker.setAttribute("refY", "4");
      marker.setAttribute("orient", "auto");
      var tip = document.createElementNS(SVG, "path");
      tip.setAttribute("d", "M0,0 L8,4 L0,8 z");
      tip.setAttribute("class", "toc-arrowhead");
      marker.appendChild(tip);
      defs.appendChild(marker);
      svg.appendChild(defs);
      pairs.forEach(function (pair) {
        var a = diagram.querySelector('[data-toc-id="' + pair[0] + '"]');
        var b = diagram.querySelector('[data-toc-id="' + pair[1] + '"]');
        if (!a || !b) return;
        var ra = a.getBoundingClientRect();
        var rb = b.getBoundingClientRect();
        var x1 = ra.right - box.left, y1 = ra.top + ra.height / 2 - box.top;
        var x2 = rb.left - box.left - 2, y2 = rb.top + rb.height / 2 - box.top;
        var mid = (x1 + x2) / 2;
        var path = document.createElementNS(SVG, "path");
        path.setAttribute("d", "M" + x1 + "," + y1 + " C" + mid + "," + y1 + " " + mid + "," + y2 + " " + x2 + "," + y2);
        path.setAttribute("class", "toc-arrow");
        path.setAttribute("marker-end", "url(#toc-arrowhead)");
        svg.appendChild(path);
      });
    });
  }

  function init(root) {
    initSortables(root);
    drawArrows(document);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.detail.elt || document); });
  window.addEventListener("resize", function () { drawArrows(document); });
  window.addEventListener("beforeprint", function () { drawArrows(document); });
})();

// ---- improvement_work: the board (tavle) ----
// Cards move by drag and drop (SortableJS) as well as by their buttons; a drop becomes the
// same small HTMX request as a button press. The server answers with the card in the column
// where it really is (also when the move is refused) plus the column counts.
(function () {
  "use strict";

  // What a drop sends besides the move: the filter, and which board the page shows (the
  // buttons send the same by hx-include, templates/pdsa/_card.html).
  function filterValues() {
    var values = {};
    var form = document.getElementById("board-filters");
    if (form) {
      new FormData(form).forEach(function (value, key) { values[key] = value; });
    }
    var seen = document.getElementById("board-seen");
    if (seen) {
      values[seen.name] = seen.value;
    }
    return values;
  }

  function initBoard(root) {
    if (!window.Sortable || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll(".board[data-sortable] .cards").forEach(function (list) {
      if (list.dataset.sortableReady) {
        return;
      }
      list.dataset.sortableReady = "1";
      // A card is picked up anywhere but on its buttons, its title too: the title link
      // is not draggable itself (draggable="false"), so pressing on it and moving drags the
      // card, and a plain click still opens the test. On a touch screen a card is picked up
      // after a short press, so a swipe over the cards still scrolls the page.
      window.Sortable.create(list, {
        group: "pdsa-board",
        animation: 120,
        filter: "button, select",
        preventOnFilter: false,
        delay: 200,
        delayOnTouchOnly: true,
        onEnd: function (event) {
          if (event.from === event.to) {
            return;
          }
          var card = event.item;
          // A refused drop sends the card back here (see focusMovedCard).
          dropOrigin = {id: card.id, list: event.from, index: event.oldIndex};
          var values = filterValues();
          values.to = event.to.dataset.phase;
          values.version = card.dataset.version;
          window.htmx.ajax("POST", card.dataset.moveUrl, {
            source: card, target: card, swap: "outerHTML", values: values
          });
        }
      });
    });
  }

  // After a move, keyboard users keep their place: focus goes to the moved card's button
  // in the same direction (or its other button, or its title).
  var lastDirection = null;
  var dropOrigin = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    lastDirection = elt && elt.closest && elt.closest(".card-moves") ?
      (elt.classList.contains("outline") ? "back" : "forward") : null;
  });

  function returnDropped(card) {
    if (dropOrigin && dropOrigin.id === card.id) {
      dropOrigin.list.insertBefore(card, dropOrigin.list.children[dropOrigin.index] || null);
    }
    dropOrigin = null;
  }

  function focusMovedCard() {
    var card = document.querySelector(".card[data-just-moved]");
    if (!card) {
      return;
    }
    card.removeAttribute("data-just-moved");
    // A card refused where it was dropped goes back to where it came from.
    if (card.parentElement.dataset.phase !== card.dataset.phase) {
      returnDropped(card);
    }
    dropOrigin = null;
    // The card, and the refusal it may carry, stay in sight (the page may be scrolled).
    card.scrollIntoView({block: "nearest"});
    if (!lastDirection) {
      return;
    }
    var buttons = card.querySelectorAll(".card-moves button");
    var preferred = lastDirection === "back" ? card.querySelector(".card-moves button.outline") :
      card.querySelector(".card-moves button:not(.outline)");
    var target = preferred || buttons[0] || card.querySelector(".card-title a");
    if (target) {
      target.focus();
    }
  }

  // Presentation mode polls the board; when nothing has changed the browser shows its
  // cached copy (304), so the time of the last check is stamped here, not by the server.
  function stampChecked() {
    var stamp = document.querySelector("[data-board-checked]");
    if (!stamp) {
      return;
    }
    var now = new Date();
    stamp.textContent = [now.getHours(), now.getMinutes(), now.getSeconds()].map(function (n) {
      return String(n).padStart(2, "0");
    }).join(":");
  }

  // A drop whose move was not saved (logged out, no connection; see notSaved) goes back.
  document.addEventListener("app:notSaved", function (event) {
    if (event.target.classList && event.target.classList.contains("card")) {
      returnDropped(event.target);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    initBoard(document);
    stampChecked();
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    initBoard(document);
    focusMovedCard();
    // Only a board that came back counts: a refused poll is swapped into #messages.
    if (event.target.id === "board") {
      stampChecked();
    }
  });
})();

// --- wide tables of rounds or quarters ---------------------------------------------------
// A scroll box marked data-scroll-end (the self-assessment's table over time, the quality
// page's trend per quarter) holds a column per round or quarter, oldest first: it opens
// scrolled to its newest, right-hand end, where the first column (sticky, app.css) names
// the rows. Only a box new to the page is placed: an htmx swap elsewhere leaves a box the
// user has scrolled where it is, and a box the swap replaces keeps its user's place (or its
// end, if it was there, so a new column comes into view).
(function () {
  "use strict";
  var kept = {};

  function atEnd(box) {
    return box.scrollWidth - box.clientWidth - box.scrollLeft < 2;
  }

  function place() {
    document.querySelectorAll("[data-scroll-end]").forEach(function (box) {
      if (box.dataset.scrollPlaced) {
        return;
      }
      box.dataset.scrollPlaced = "1";
      var left = box.id && Object.prototype.hasOwnProperty.call(kept, box.id) ? kept[box.id] : null;
      box.scrollLeft = left === null ? box.scrollWidth : left;
    });
    kept = {};
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.shouldSwap) {
      return;
    }
    document.querySelectorAll("[data-scroll-end][id]").forEach(function (box) {
      kept[box.id] = atEnd(box) ? null : box.scrollLeft;
    });
  });
  // A page restored from htmx's history holds the boxes' marks, not their places.
  document.addEventListener("htmx:historyRestore", function () {
    document.querySelectorAll("[data-scroll-placed]").forEach(function (box) {
      delete box.dataset.scrollPlaced;
    });
    place();
  });
  document.addEventListener("DOMContentLoaded", place);
  document.addEventListener("htmx:afterSettle", place);
})();

// --- a wide table's scroll box, reachable by the keyboard (WCAG 2.1.1) -----------------
// A .table-scroll box whose table is wider than it scrolls sideways; only Chromium lets
// the keyboard into a scroller of its own accord (and only one with no control inside, as
// a row's buttons are). A box that overflows becomes a named tab
// stop (tabindex 0, a region named by its table's caption or the nearest heading), where
// the arrow keys scroll it; one that fits the screen is none, so it costs no extra Tab.
// Checked on load, after every swap, when a <details> opens or closes and when the window
// has settled at a new size. A box whose template makes it a region itself is left alone.
(function () {
  "use strict";
  var FALLBACK = "Tabel, kan rulles vandret";
  var MARK = "scrollFocus";  // data-scroll-focus: the attributes are this script's own

  function text(el) {
    return el ? (el.textContent || "").replace(/\s+/g, " ").trim() : "";
  }

  function isHeading(el) {
    return /^H[1-6]$/.test(el.tagName);
  }

  // The heading just before the box: a sibling before it, or before one of its ancestors.
  // Inside a sibling, only the head of a page or panel counts, or the page's title: a
  // heading deep in another panel (the overdue follow-ups above the cases) names that.
  function nearestHeading(box) {
    for (var el = box; el && el !== document.body; el = el.parentElement) {
      for (var sib = el.previousElementSibling; sib; sib = sib.previousElementSibling) {
        if (isHeading(sib)) {
          return sib;
        }
        var inner = sib.matches("hgroup, header, .page-head, .summary-head") ?
          sib.querySelector("h1, h2, h3, h4, h5, h6") : sib.querySelector("h1");
        if (inner) {
          return inner;
        }
      }
    }
    return null;
  }

  function name(box) {
    var caption = box.querySelector("caption");
    return text(caption) || text(nearestHeading(box)) || FALLBACK;
  }

  function update(box) {
    var own = MARK in box.dataset;
    if (!own && box.hasAttribute("tabindex")) {
      return;
    }
    if (box.scrollWidth > box.clientWidth) {
      box.dataset[MARK] = "";
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", name(box));
    } else if (own) {
      delete box.dataset[MARK];
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }

  function updateAll() {
    document.querySelectorAll(".table-scroll").forEach(update);
  }

  var timer = null;
  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(updateAll, 150);
  }

  document.addEventListener("DOMContentLoaded", updateAll);
  document.addEventListener("htmx:afterSettle", updateAll);
  document.addEventListener("htmx:historyRestore", updateAll);
  document.addEventListener("toggle", function (event) {
    if (event.target.tagName === "DETAILS") {
      updateAll();
    }
  }, true);
  window.addEventListener("resize", later);
})();

// --- assessments: radar and line charts of the self-assessment --------------------------
// A <canvas data-chart='{"type": "radar"|"line", "labels": [...], "datasets": [...]}'>
// is drawn with Chart.js (loaded by the page). Colours and point shapes differ per series,
// and every chart has a table with the same numbers beside it.
(function () {
  "use strict";
  var COLOURS = ["#1f5f8b", "#b3541e", "#2e7d32", "#6a1b9a", "#c62828", "#00838f",
    "#8d6e00", "#37474f", "#ad1457", "#4e5ba6", "#5d4037"];
  var SHAPES = ["circle", "rect", "triangle", "rectRot", "star", "crossRot", "rectRounded",
    "cross", "circle", "rect", "triangle"];
  var TRACK_COLOURS = { intervention: "#1f5f8b", organisation: "#7a4100" };

  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a + ")";
  }

  // Type a projector shows from the back of the room: the elements' names around the
  // radar, the axes' numbers and the legend. A name longer than a line's worth is put on
  // two lines ("9. Individuel" / "tilrettelæggelse"), so the larger type does not shrink
  // the radar between its labels. The print page (drawn at the paper's size) keeps
  // paper's type, which leaves the radar its room on half a page.
  var PAPER = document.body && document.body.classList.contains("print-page");
  var LABEL_FONT = { size: PAPER ? 12 : 15, weight: "600" };
  var TICK_FONT = { size: PAPER ? 12 : 14 };
  var LEGEND_FONT = { size: PAPER ? 12 : 14 };
  function twoLines(label) {
    var middle = label.length / 2;
    var at = -1;
    for (var i = label.indexOf(" "); i !== -1; i = label.indexOf(" ", i + 1)) {
      if (at === -1 || Math.abs(i - middle) < Math.abs(at - middle)) {
        at = i;
      }
    }
    return label.length > 18 && at !== -1 ? [label.slice(0, at), label.slice(at + 1)] : label;
  }

  function config(spec) {
    var radar = spec.type === "radar";
    var datasets = spec.datasets.map(function (d, i) {
      var colour = COLOURS[i % COLOURS.length];
      return {
        label: d.label,
        data: d.data,
        borderColor: colour,
        backgroundColor: radar ? alpha(colour, 0.15) : colour,
        pointBackgroundColor: colour,
        pointStyle: SHAPES[i % SHAPES.length],
        pointRadius: radar ? 4 : 5,
        borderWidth: 2,
        borderDash: radar && i > 0 ? [6, 4] : (!radar && i >= 6 ? [6, 4] : []),
        // An element without a score (null) is a gap in the line, on the radar as over
        // time. Chart.js 4.5.1 otherwise draws a radar's line straight past it (spanGaps,
        // the closing segment too when it is the last), which crosses its axis at a
        // score nobody gave; and it fills a broken radar down to the centre at the gap,
        // which reads as 0. So only a round with every element scored is filled.
        fill: radar && d.data.indexOf(null) === -1,
        spanGaps: false
      };
    });
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { position: "bottom", labels: { usePointStyle: true, font: LEGEND_FONT } } }
    };
    if (radar) {
      options.scales = {
        r: {
          // The axis numbers are drawn over the lines and points (z above 0): under them,
          // "75" was hidden by element 1's point when its score was near 75.
          min: 0, max: 100, ticks: { stepSize: 25, backdropColor: "rgba(255,255,255,0.8)", font: TICK_FONT, z: 1 },
          pointLabels: {
            font: LABEL_FONT,
            color: function (ctx) {
              var track = spec.tracks && spec.tracks[ctx.index];
              return TRACK_COLOURS[track] || "#2b3a45";
            }
          }
        }
      };
    } else {
      options.scales = {
        x: { offset: true, ticks: { font: TICK_FONT } },
        y: { min: 0, max: 100, ticks: { stepSize: 25, font: TICK_FONT } }
      };
    }
    // The name of an element no round has a score for is followed by why ("ingen score"),
    // so its empty axis is not read as a score of 0.
    var labels = !radar ? spec.labels : spec.labels.map(function (label, i) {
      var name = PAPER ? label : twoLines(label);
      var note = spec.notes && spec.notes[i];
      return note ? [].concat(name, "(" + note + ")") : name;
    });
    return { type: spec.type, data: { labels: labels, datasets: datasets }, options: options };
  }

  function draw(root) {
    if (typeof window.Chart === "undefined") {
      return;
    }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      // A canvas that has its chart is left; one htmx's history brought back has none.
      if (window.Chart.getChart(canvas)) {
        return;
      }
      new window.Chart(canvas, config(JSON.parse(canvas.dataset.chart)));
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.detail.elt || document); });
  document.addEventListener("htmx:historyRestore", function () { draw(document); });
  // A board left open overnight prints today's date, not the day it was loaded (Danish
  // dates in both languages, as the server writes them).
  window.addEventListener("beforeprint", function () {
    var now = new Date();
    var today = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map(function (n) {
      return String(n).padStart(2, "0");
    }).join("-");
    document.querySelectorAll("[data-printed-day]").forEach(function (el) {
      if (el.dataset.printedDay === today) {
        return;
      }
      var date = now.toLocaleDateString("da-DK", { day: "numeric", month: "long", year: "numeric" });
      el.textContent = el.textContent.replace(el.dataset.printed, date);
      el.dataset.printed = date;
      el.dataset.printedDay = today;
    });
  });

  // Charts redraw at the paper's size when printed. At beforeprint the page is still laid
  // out for the screen, so Chart.js is given the printable width of A4 (210 mm less two
  // 16 mm margins, at 96 px per inch) and its box's height; afterprint gives back the
  // screen's size.
  var PAPER_WIDTH = 672;
  function charts() {
    return window.Chart ? Object.values(window.Chart.instances) : [];
  }
  window.addEventListener("beforeprint", function () {
    charts().forEach(function (chart) {
      var box = chart.canvas.parentElement;
      chart.resize(Math.min(PAPER_WIDTH, box.clientWidth), box.clientHeight);
    });
  });
  window.addEventListener("afterprint", function () {
    charts().forEach(function (chart) { chart.resize(); });
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();

// ---- cases: the keyboard-first rating grid (kvalitet i kerneelementer) ----
(function () {
  "use strict";

  function grid(el) {
    return el.closest && el.closest("[data-rating-grid]");
  }

  function cellInput(table, row, col) {
    return table.querySelector('.rating-input[data-row="' + row + '"][data-col="' + col + '"]');
  }

  function setState(input, state, text) {
    var box = document.getElementById("state-" + input.dataset.phase + "-" + input.dataset.element);
    if (!box) {
      return;
    }
    box.className = "cell-state " + state;
    box.textContent = text;
    if (state === "failed") {
      box.setAttribute("role", "alert");
    } else {
      box.removeAttribute("role");
    }
  }

  function paint(input) {
    var td = input.closest("td");
    var value = input.value;
    td.className = td.className.replace(/\bscore-\S+/g, "").trim() + " score-" + (/^[1-5]$/.test(value) ? value : "none");
  }

  function openComment(input) {
    var form = document.getElementById("comment-form");
    if (!form) {
      return;
    }
    var text = form.querySelector("textarea[name=comment]");
    // Back to the comment this cell's is being written in (after Escape): as it was left.
    if (commentCell(form) === input && text.value !== text.defaultValue) {
      text.focus();
      return;
    }
    // The cell's mark holds its current comment; it is swapped when the cell is rated again.
    var mark = document.querySelector("#mark-" + input.dataset.phase + "-" + input.dataset.element + " .comment-mark");
    var comment = mark ? mark.dataset.comment : "";
    // A comment being written for another cell is not replaced without asking.
    var question = document.body.dataset.discardMessage;
    if (text.value !== text.defaultValue && text.value !== comment && question && !window.confirm(question)) {
      text.focus();
      return;
    }
    form.querySelector("[name=phase_id]").value = input.dataset.phase;
    form.querySelector("[name=core_element_id]").value = input.dataset.element;
    form.querySelector("[name=score]").value = "";
    text.value = comment;
    text.defaultValue = comment;  // what the cell holds: unchanged until the user types
    text.focus();
  }

  // From the comment form, keyboard users go back to the grid: Escape returns to the cell
  // of the phase and core element chosen (the text stays), and so does a saved comment.
  function commentCell(form) {
    var phase = form.querySelector("[name=phase_id]");
    var element = form.querySelector("[name=core_element_id]");
    return phase && element && document.getElementById("cell-" + phase.value + "-" + element.value);
  }

  document.addEventListener("keydown", function (event) {
    var form = event.key === "Escape" && event.target.closest && event.target.closest("#comment-form");
    var cell = form && commentCell(form);
    if (cell) {
      event.preventDefault();
      cell.focus();
    }
  });

  var savedCommentCell = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.id === "comment-form") {
      var cell = commentCell(event.detail.elt);
      savedCommentCell = cell ? cell.id : null;
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var xhr = event.detail.xhr;
    if (!event.detail.target || event.detail.target.id !== "comment-panel" || !xhr) {
      return;
    }
    var cell = xhr.status === 200 && savedCommentCell && document.getElementById(savedCommentCell);
    savedCommentCell = null;
    // Saved: back to the cell. Refused (the text is still in the form): back to the text.
    var text = document.querySelector("#comment-form textarea[name=comment]");
    var target = cell || (xhr.status !== 200 && text);
    if (target) {
      target.focus();
    }
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("rating-input")) {
      return;
    }
    var table = grid(input);
    var row = parseInt(input.dataset.row, 10);
    var col = parseInt(input.dataset.col, 10);
    var moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    if (moves[event.key]) {
      var next = cellInput(table, row + moves[event.key][0], col + moves[event.key][1]);
      event.preventDefault();
      if (next) {
        next.focus();
        next.select();
      }
      return;
    }
    if (/^[1-5]$/.test(event.key)) {
      event.preventDefault();
      // The digit is sent also when the cell shows it already: after a failed save that is
      // "prøv igen", and on a page opened before a colleague rated the cell the answer tells
      // so (the server writes nothing when the score is the one saved).
      input.value = event.key;
      paint(input);
      input.dispatchEvent(new Event("change", { bubbles: true }));
      input.select();
      return;
    }
    if (event.key === "c" || event.key === "C") {
      event.preventDefault();
      openComment(input);
      return;
    }
    // Anything else that would type a character is not a rating: say so, change nothing.
    if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      setState(input, "failed", input.closest("table").dataset.scaleHint || "1–5");
    }
  });

  // Focus selects the cell's digit, so typing replaces it.
  document.addEventListener("focusin", function (event) {
    if (event.target.classList && event.target.classList.contains("rating-input")) {
      event.target.select();
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var input = event.detail.elt;
    if (input.classList && input.classList.contains("rating-input")) {
      setState(input, "saving", input.closest("table").dataset.savingText || "…");
    }
  });

  // Did the server answer into the cell's own state box (saved, or refused with a reason)?
  document.addEventListener("htmx:afterSwap", function (event) {
    var input = event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt;
    var target = event.detail.target;
    if (input.classList && input.classList.contains("rating-input") && target && target.classList && target.classList.contains("cell-state")) {
      input.dataset.answered = "1";
    }
  });

  // The cell shows what is saved: the new value once saved; after a refusal the value it
  // held, or the one someone else saved meanwhile (data-score), which typing the digit
  // again then replaces. After the settle: until then the answer has the old state's class.
  document.addEventListener("htmx:afterSettle", function (event) {
    var input = event.detail.requestConfig && event.detail.requestConfig.elt;
    var box = event.detail.target;
    if (!input || !input.classList || !input.classList.contains("rating-input") ||
        !box || !box.classList || !box.classList.contains("cell-state")) {
      return;
    }
    box = document.getElementById(box.id) || box;
    if (box.classList.contains("saved")) {
      input.defaultValue = input.value;
    } else if (box.classList.contains("failed")) {
      if (box.dataset.score) {
        input.defaultValue = box.dataset.score;
      }
      input.value = input.defaultValue;
      paint(input);
    }
  });

  // A failed request that was not answered into the cell (403, 500, no network) marks the cell.
  document.addEventListener("htmx:afterRequest", function (event) {
    var input = event.detail.elt;
    if (!input.classList || !input.classList.contains("rating-input")) {
      return;
    }
    var xhr = event.detail.xhr;
    var bad = !event.detail.successful || !xhr || xhr.status === 0 || xhr.status >= 400;
    if (bad && input.dataset.answered !== "1") {
      setState(input, "failed", input.closest("table").dataset.failedText || "✗");
    }
    delete input.dataset.answered;
  });
})();

// ---- cases: trend per quarter as a line chart (data in data-trend-chart, numbers also in a table) ----
(function () {
  "use strict";
  var COLOURS = ["#1f5f8b", "#b5541c", "#2e7d4f", "#7b3f9e", "#8a6d00", "#4d565e"];
  var DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3], [1, 1], [12, 6]];

  function draw(root) {
    if (typeof window.Chart === "undefined") {
      return;
    }
    (root && root.querySelectorAll ? root : document).querySelectorAll("canvas[data-trend-chart]").forEach(function (canvas) {
      if (window.Chart.getChart(canvas)) {
        return;
      }
      var spec = JSON.parse(canvas.dataset.trendChart);
      spec.datasets.forEach(function (set, i) {
        // Colour and dash pattern together, so the lines differ without colour vision too.
        // After the sixth line the dashes shift by one, so no two of 36 lines look alike.
        set.borderColor = COLOURS[i % COLOURS.length];
        set.backgroundColor = COLOURS[i % COLOURS.length];
        set.borderDash = DASHES[(i + Math.floor(i / COLOURS.length)) % DASHES.length];
        set.spanGaps = false;
        set.tension = 0;
        set.pointRadius = 4;
      });
      new window.Chart(canvas, {
        type: "line",
        data: { labels: spec.labels, datasets: spec.datasets },
        options: {
          animation: false,
          maintainAspectRatio: false,
          // Type a projector shows from the back of the room, as the self-assessment's charts.
          scales: {
            // Offset: the first and last quarter's labels are not cut at the chart's edges.
            x: { offset: true, ticks: { font: { size: 14 } } },
            y: { min: 1, max: 5, ticks: { stepSize: 1, font: { size: 14 } }, title: { display: true, text: spec.yLabel, font: { size: 14 } } }
          },
          plugins: { legend: { position: "bottom", labels: { font: { size: 14 } } } }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.detail.target); });
  document.addEventListener("htmx:historyRestore", function () { draw(document); });
})();

// A filter form's empty choices stay out of the request, so the address bar it updates
// reads ?soeg=is-007, not ?soeg=is-007&ansvarlig=&status=&fase= (data-drop-empty): an
// address people copy and send on.
(function () {
  "use strict";
  function dropEmpty(form, data) {
    if (!form.matches || !form.matches("form[data-drop-empty]")) {
      return;
    }
    Array.from(data.entries()).forEach(function (entry) {
      if (entry[1] === "") {
        data.delete(entry[0]);
      }
    });
  }
  // A plain GET form (the quality page's filter) opens its address from this form data;
  // an htmx filter sends what configRequest holds.
  document.addEventListener("formdata", function (event) {
    if (!event.target.hasAttribute("hx-get")) {
      dropEmpty(event.target, event.formData);
    }
  });
  document.addEventListener("htmx:configRequest", function (event) {
    dropEmpty(event.detail.elt, event.detail.formData);
  });
  // Back and Forward bring back a page htmx kept, with the fields as first drawn: they are
  // set from the address, so what is filtered on is what the controls show.
  document.addEventListener("htmx:historyRestore", function () {
    var params = new URLSearchParams(window.location.search);
    document.querySelectorAll("form[data-drop-empty]").forEach(function (form) {
      Array.from(form.elements).forEach(function (field) {
        if (field.name && field.type !== "hidden" && field.type !== "submit") {
          field.value = params.get(field.name) || "";
        }
      });
    });
  });
})();

// Long texts (minutes, descriptions) have a limit the server checks on saving; near it, a
// count under the field says how much is left, and past it, how much to shorten. The
// browser's own maxlength would cut pasted text without a word (forms.BaseForm).
(function () {
  "use strict";
  var NEAR = 0.9;
  function counterOf(area) {
    var id = area.id + "-count";
    var counter = document.getElementById(id);
    if (!counter) {
      counter = document.createElement("small");
      counter.id = id;
      counter.className = "char-count";
      counter.setAttribute("aria-live", "polite");
      area.insertAdjacentElement("afterend", counter);
    }
    return counter;
  }
  function count(area) {
    var max = Number(area.dataset.maxLength);
    var length = Array.from(area.value).length;  // characters, as the server counts
    var existing = document.getElementById(area.id + "-count");
    if (length < max * NEAR) {
      if (existing) { existing.remove(); }
      return;
    }
    var counter = counterOf(area);
    counter.textContent = area.dataset.lengthMessage
      .replace("{count}", length.toLocaleString("da-DK"))
      .replace("{max}", max.toLocaleString("da-DK"));
    counter.classList.toggle("over", length > max);
  }
  function init(root) {
    root.querySelectorAll("[data-max-length]").forEach(count);
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-max-length]")) {
      count(event.target);
    }
  });
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.detail.elt || document); });
})();

// --- the presented board: what scrolls inside it keeps its place through the refresh ---
// Presentation mode swaps the whole board every 45 s (#board, outerHTML). A column or a
// list of the standup that scrolls inside itself (data-keep-scroll, app.css) would jump
// back to its top at every refresh: each keeps the place its user scrolled it to.
(function () {
  "use strict";
  var kept = {};

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.shouldSwap || event.detail.target.id !== "board") {
      return;
    }
    kept = {};
    event.detail.target.querySelectorAll("[data-keep-scroll][id]").forEach(function (box) {
      kept[box.id] = box.scrollTop;
    });
  });
  document.addEventListener("htmx:afterSwap", function () {
    Object.keys(kept).forEach(function (id) {
      var box = document.getElementById(id);
      if (box) {
        box.scrollTop = kept[id];
      }
    });
    kept = {};
  });
})();
