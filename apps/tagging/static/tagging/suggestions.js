// The Tags tab's suggestion panel: asks the debounced admin endpoint for suggestions over the
// editor's current form text, and turns an accepted one into a new tag row of the draft.
(function () {
  "use strict";
  const DEBOUNCE_MS = 800;
  const FORMSETS = { actor: "actor_tags", place: "place_tags", event: "event_tags" };

  function init(panel) {
    const form = panel.closest("form");
    if (!form) return;
    const results = panel.querySelector("[data-tagging-results]");
    const status = panel.querySelector("[data-tagging-status]");
    const accepted = panel.querySelector("[data-tagging-accepted]");
    const threshold = panel.querySelector("[data-tagging-threshold]");
    let timer = null;
    let current = null;

    function csrf() {
      const input = form.querySelector("input[name=csrfmiddlewaretoken]");
      return input ? input.value : "";
    }

    function post(url, data) {
      return fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
      }).then((r) => (r.ok ? r.json() : Promise.reject(r.status)));
    }

    function taggedIds(type) {
      const prefix = FORMSETS[type];
      const ids = new Set();
      form.querySelectorAll(`input[name^="${prefix}-"][name$="-${type}"]`).forEach((input) => {
        const deleted = form.querySelector(`input[name="${input.name.replace(new RegExp(type + "$"), "DELETE")}"]`);
        if (input.value && !(deleted && deleted.value)) ids.add(String(input.value));
      });
      return ids;
    }

    function refresh() {
      const data = new FormData(form);
      data.set("page_id", panel.dataset.pageId || "");
      status.textContent = "…";
      post(panel.dataset.suggestUrl, data)
        .then((json) => {
          current = json;
          render(json);
          status.textContent = "";
        })
        .catch(() => {
          status.textContent = "Suggestions unavailable";
        });
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(refresh, DEBOUNCE_MS);
    }

    function button(label, handler) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "button button-small button-secondary";
      b.textContent = label;
      b.addEventListener("click", handler);
      return b;
    }

    function render(json) {
      results.replaceChildren();
      const groups = [
        ["Actors", "actor", json.actors],
        ["Places", "place", json.places],
        ["Events", "event", json.events],
      ];
      for (const [title, type, items] of groups) {
        const tagged = taggedIds(type);
        const open = (items || []).filter((s) => !tagged.has(String(s.id)));
        if (!open.length) continue;
        const group = document.createElement("div");
        group.className = "tagging-group";
        const h = document.createElement("h3");
        h.textContent = title;
        group.append(h);
        for (const s of open) {
          const row = document.createElement("div");
          row.className = "tagging-item";
          const conf = document.createElement("span");
          conf.className = "tagging-confidence";
          conf.textContent = Math.round(100 * (s.confidence ?? s.relevance)) + "%";
          const name = document.createElement("strong");
          name.textContent = `${s.name} (${s.role}${s.count ? ", ×" + s.count : ""})`;
          const snippet = document.createElement("q");
          snippet.textContent = s.snippet || (s.evidence || []).join("; ");
          row.append(conf, name, snippet);
          row.append(button("Accept", () => accept(type, s)));
          if (panel.dataset.rejectUrl) row.append(button("Reject", () => reject(type, s, row)));
          group.append(row);
        }
        results.append(group);
      }
      for (const amb of json.ambiguous || []) {
        const p = document.createElement("p");
        p.className = "help";
        p.textContent = `“${amb.text}” could be ${amb.candidates.map((c) => c.name).join(" or ")}: choose by hand.`;
        results.append(p);
      }
      if ((json.candidates || []).length) {
        const group = document.createElement("div");
        group.className = "tagging-group";
        const h = document.createElement("h3");
        h.textContent = "Not in the registry";
        group.append(h);
        for (const c of json.candidates) {
          const row = document.createElement("div");
          row.className = "tagging-item";
          const name = document.createElement("strong");
          name.textContent = `${c.name} (${c.kind})`;
          const snippet = document.createElement("q");
          snippet.textContent = c.snippet;
          row.append(name, snippet, button("Propose", () => propose(c, row)));
          group.append(row);
        }
        results.append(group);
      }
    }

    function accept(type, s) {
      const prefix = FORMSETS[type];
      const add = document.getElementById(`id_${prefix}-ADD`);
      const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
      if (!add || !total) return;
      const index = Number(total.value);
      add.click();
      const field = document.getElementById(`id_${prefix}-${index}-${type}`);
      if (!field) return;
      field.value = s.id;
      field.dispatchEvent(new Event("change", { bubbles: true }));
      const chooser = document.getElementById(`id_${prefix}-${index}-${type}-chooser`);
      if (chooser) {
        chooser.classList.remove("blank");
        const title = chooser.querySelector("[data-chooser-title]");
        if (title) title.textContent = s.name;
      }
      const role = document.getElementById(`id_${prefix}-${index}-role`);
      if (role) role.value = s.role;
      const relevance = document.getElementById(`id_${prefix}-${index}-relevance`);
      if (relevance && s.relevance !== undefined) relevance.value = s.relevance;
      const list = JSON.parse(accepted.value || "[]");
      list.push([type, s.id]);
      accepted.value = JSON.stringify(list);
      if (current) render(current);
    }

    function reject(type, s, row) {
      const data = new FormData();
      data.set("type", type);
      data.set("id", s.id);
      post(panel.dataset.rejectUrl, data).then(() => row.remove());
    }

    function propose(c, row) {
      const data = new FormData();
      data.set("name", c.name);
      data.set("kind", c.kind);
      post(panel.dataset.proposeUrl, data).then((json) => {
        row.replaceChildren(document.createTextNode(`${json.name}: proposed, waiting for an editor's approval.`));
      });
    }

    panel.querySelector("[data-tagging-accept-all]").addEventListener("click", () => {
      if (!current) return;
      const min = Number(threshold.value) / 100;
      for (const [type, items] of [["actor", current.actors], ["place", current.places], ["event", current.events]]) {
        const tagged = taggedIds(type);
        for (const s of items || []) {
          if ((s.confidence ?? s.relevance) >= min && !tagged.has(String(s.id))) accept(type, s);
        }
      }
    });

    form.addEventListener("input", (event) => {
      if (!panel.contains(event.target)) schedule();
    });
    // Draftail and the StreamField write to hidden inputs without input events: poll them too.
    let last = "";
    setInterval(() => {
      const text = Array.from(form.querySelectorAll('input[name^="body-"], textarea[name^="body-"]'))
        .map((i) => i.value)
        .join("|");
      if (text !== last) {
        last = text;
        schedule();
      }
    }, 2000);
    refresh();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-tagging-panel]").forEach(init);
  });
})();
