// Search page: full-text search and facet filters over the site's search index, in the browser.
// Builds every element with the DOM API and textContent (never innerHTML), so nothing from
// the index can inject markup. State lives in the URL (?q=…&theme=…), so searches are shareable.

import { excerpt, openIndex } from "./search-engine.js";

// Results are shown ten at a time: each ten cost a few small downloads (their texts).
const RESULTS_PER_BATCH = 10;

const root = document.querySelector("[data-search]");
if (root) start(root).catch((error) => fail(root, error));

async function start(root) {
  const base = root.dataset.base || "/";
  const form = root.querySelector("form");
  const input = form.querySelector("input[name=q]");
  const filtersBox = root.querySelector(".search-filters");
  const resultsBox = root.querySelector(".search-results");
  const clear = filtersBox.querySelector("button");
  // The filters and their options are in the page: the index's own lists of every filter
  // value would cost hundreds of kilobytes on a large catalog.
  const fieldsets = [...filtersBox.querySelectorAll("fieldset[data-key]")];
  const state = readState(fieldsets.map((f) => f.dataset.key));
  input.value = state.query;
  for (const fieldset of fieldsets) {
    const chosen = state.filters[fieldset.dataset.key];
    // A value from the URL that the page does not offer (past the most common ones) is added.
    for (const value of chosen)
      if (!checkboxes(fieldset).some((box) => box.value === value)) addOption(fieldset, value);
    for (const box of checkboxes(fieldset)) box.checked = chosen.includes(box.value);
  }

  const index = await openIndex(async (path) => {
    const url = `${base}search-index/${path}`;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.json();
  });

  let run = 0;
  const search = async () => {
    const current = ++run;
    writeState(state);
    const query = state.query.trim() === "" ? null : state.query.trim();
    const filters = Object.fromEntries(
      Object.entries(state.filters).filter(([, values]) => values.length > 0),
    );
    const hasFilters = Object.keys(filters).length > 0;
    clear.hidden = !hasFilters;
    if (query === null && !hasFilters) {
      resultsBox.replaceChildren();
      return;
    }
    status(resultsBox, root.dataset.loading);
    const found = await index.search(query ?? "", filters);
    if (current !== run) return;
    await renderResults(resultsBox, found, index, root, base, () => current !== run);
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    state.query = input.value;
    search();
  });
  filtersBox.addEventListener("change", (event) => {
    const box = event.target;
    const key = box.closest("fieldset").dataset.key;
    const list = state.filters[key];
    state.filters[key] = box.checked ? [...list, box.value] : list.filter((v) => v !== box.value);
    search();
  });
  clear.addEventListener("click", () => {
    for (const fieldset of fieldsets) {
      state.filters[fieldset.dataset.key] = [];
      for (const box of checkboxes(fieldset)) box.checked = false;
    }
    search();
  });
  filtersBox.hidden = false;
  await search();
}

function checkboxes(fieldset) {
  return [...fieldset.querySelectorAll("input[type=checkbox]")];
}

function addOption(fieldset, value) {
  const option = element("label", {}, [element("input", { type: "checkbox", value }), value]);
  const options = fieldset.querySelectorAll(":scope > label");
  if (options.length > 0) options[options.length - 1].after(option);
  else fieldset.querySelector("legend").after(option);
}

function readState(filterKeys) {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const key of filterKeys) filters[key] = params.getAll(key);
  return { query: params.get("q") || "", filters };
}

function writeState(state) {
  const params = new URLSearchParams();
  if (state.query) params.set("q", state.query);
  for (const [key, values] of Object.entries(state.filters))
    for (const v of values) params.append(key, v);
  const search = params.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

// Values within one filter widen the result (any of them); different filters narrow it.
async function renderResults(box, found, index, root, base, stale) {
  const count = found.ids.length;
  const template = count === 1 ? root.dataset.resultsOne : root.dataset.resultsOther;
  const heading = element("p", {
    className: "count",
    textContent: template.replace("#", count.toLocaleString(root.dataset.lang)),
  });
  if (count === 0) {
    box.replaceChildren(heading, element("p", { textContent: root.dataset.none }));
    return;
  }
  const list = element("ol", { className: "results" });
  let shown = 0;
  const more = element("button", { type: "button", textContent: root.dataset.more });
  const showMore = async () => {
    const batch = await index.documents(found.ids.slice(shown, shown + RESULTS_PER_BATCH));
    for (const doc of batch) list.append(resultItem(doc, found.words, base));
    shown += batch.length;
    if (shown >= count) more.remove();
  };
  more.addEventListener("click", showMore);
  // The first results are loaded before anything is shown: the count and its list appear together.
  await showMore();
  // A newer search may have started while these results loaded: it will show its own.
  if (stale()) return;
  box.replaceChildren(heading, list, ...(shown < count ? [more] : []));
}

function resultItem(doc, searched, base) {
  const item = element("li");
  const link = element("a", { textContent: doc.title || doc.path });
  // Only our own dataset pages are linked, relative to the site's base.
  if (/^datasets\/[^/?#:\\]+\/$/.test(doc.path)) link.href = `${base}${doc.path}`;
  const text = element(
    "p",
    {},
    excerpt(doc.text || "", searched).map((piece) =>
      piece.mark
        ? element("mark", { textContent: piece.text })
        : document.createTextNode(piece.text),
    ),
  );
  item.append(element("h2", {}, [link]), text);
  return item;
}

function status(box, text) {
  box.replaceChildren(element("p", { className: "muted", textContent: text }));
}

function fail(root, error) {
  const box = root.querySelector(".search-results");
  if (box) status(box, root.dataset.failed);
  console.warn(error);
}

function element(tag, properties = {}, children = []) {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
}
