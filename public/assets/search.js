// Search page: full-text search and facet filters over the Pagefind index, in the browser.
// Builds every element with the DOM API and textContent (never innerHTML), so nothing from
// the index can inject markup. State lives in the URL (?q=…&theme=…), so searches are shareable.

// Each result shown costs a download (its Pagefind fragment): ten at first, ten more on demand.
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

  // A large catalog is indexed in several parts, listed in parts.json and merged here.
  const [pagefind, parts] = await Promise.all([
    import(`${base}pagefind/pagefind.js`),
    fetch(`${base}pagefind/parts.json`).then((response) => (response.ok ? response.json() : [])),
  ]);
  const options = { baseUrl: base, excerptLength: 24 };
  // On the page's own thread: a worker would be one more script (40 KB) for a search that
  // takes milliseconds.
  await pagefind.options({ ...options, noWorker: true });
  pagefind.init();
  for (const part of parts.filter((p) => /^part-\d+$/.test(p)))
    await pagefind.mergeIndex(`${base}pagefind/${part}/`, options);

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
    const response = await pagefind.search(query, {
      // Each part of a split index holds a record of the words it lacks, never to be shown
      // (VOCABULARY_FILTER in src/search/index.ts).
      filters: { all: byValue(filters), not: { vocabulary: "1" } },
    });
    if (current !== run) return;
    await renderResults(resultsBox, response.results, root, base, () => current !== run);
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
// The index has one filter per facet value, "theme:Environnement" (filterKey in
// src/search/index.ts), so that a search loads only the values it uses.
function byValue(filters) {
  return Object.entries(filters).map(([key, values]) => ({
    any: values.map((value) => ({ [`${key}:${value}`]: "1" })),
  }));
}

async function renderResults(box, results, root, base, stale) {
  const count = results.length;
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
    const batch = await Promise.all(
      results.slice(shown, shown + RESULTS_PER_BATCH).map((r) => r.data()),
    );
    for (const data of batch) list.append(resultItem(data, base));
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

function resultItem(data, base) {
  const item = element("li");
  const link = element("a", { textContent: data.meta?.title || data.url });
  // Only our own dataset pages are linked.
  if (typeof data.url === "string" && data.url.startsWith(base)) link.href = data.url;
  const excerpt = element("p");
  // Pagefind marks matches with <mark>; the indexed text holds no angle brackets, so the
  // excerpt is split on those two tags and every other piece is plain text.
  (data.excerpt || "").split(/(<mark>|<\/mark>)/).reduce((marked, piece) => {
    if (piece === "<mark>") return true;
    if (piece === "</mark>") return false;
    if (piece)
      excerpt.append(
        marked ? element("mark", { textContent: piece }) : document.createTextNode(piece),
      );
    return marked;
  }, false);
  item.append(element("h2", {}, [link]), excerpt);
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
