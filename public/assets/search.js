// Search page: full-text search and facet filters over the Pagefind index, in the browser.
// Builds every element with the DOM API and textContent (never innerHTML), so nothing from
// the index can inject markup. State lives in the URL (?q=…&theme=…), so searches are shareable.

const root = document.querySelector("[data-search]");
if (root) start(root).catch((error) => fail(root, error));

async function start(root) {
  const base = root.dataset.base || "/";
  const form = root.querySelector("form");
  const input = form.querySelector("input[name=q]");
  const filtersBox = root.querySelector(".search-filters");
  const resultsBox = root.querySelector(".search-results");
  const filterKeys = (root.dataset.filters || "").split(" ").filter(Boolean);
  const state = readState(filterKeys);
  input.value = state.query;

  const pagefind = await import(`${base}pagefind/pagefind.js`);
  await pagefind.options({ baseUrl: base, excerptLength: 24 });
  pagefind.init();
  const allFilters = await pagefind.filters();

  let run = 0;
  const search = async () => {
    const current = ++run;
    writeState(state);
    status(resultsBox, root.dataset.loading);
    const query = state.query.trim() === "" ? null : state.query.trim();
    const filters = Object.fromEntries(
      Object.entries(state.filters).filter(([, values]) => values.length > 0),
    );
    const hasFilters = Object.keys(filters).length > 0;
    if (query === null && !hasFilters) {
      renderFilters(filtersBox, filterKeys, allFilters, state, root, search);
      resultsBox.replaceChildren();
      return;
    }
    const response = await pagefind.search(query, { filters: orFilters(filters) });
    if (current !== run) return;
    renderFilters(filtersBox, filterKeys, response.filters || allFilters, state, root, search);
    await renderResults(resultsBox, response.results, root, base, () => current !== run);
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    state.query = input.value;
    search();
  });
  await search();
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
function orFilters(filters) {
  return Object.fromEntries(Object.entries(filters).map(([key, values]) => [key, { any: values }]));
}

function renderFilters(box, keys, counts, state, root, search) {
  box.hidden = false;
  const parts = [];
  for (const key of keys) {
    const values = Object.entries(counts[key] || {})
      .filter(([value, n]) => n > 0 || state.filters[key].includes(value))
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 12);
    for (const chosen of state.filters[key])
      if (!values.some(([v]) => v === chosen)) values.push([chosen, 0]);
    if (values.length === 0) continue;
    const fieldset = element("fieldset", { className: "filter" });
    fieldset.append(
      element("legend", {
        textContent: root.dataset[`label${key[0].toUpperCase()}${key.slice(1)}`] || key,
      }),
    );
    values.forEach(([value, n], i) => {
      const id = `f-${key}-${i}`;
      const checkbox = element("input", {
        type: "checkbox",
        id,
        checked: state.filters[key].includes(value),
      });
      checkbox.addEventListener("change", () => {
        const list = state.filters[key];
        state.filters[key] = checkbox.checked ? [...list, value] : list.filter((v) => v !== value);
        search();
      });
      const label = element("label", { htmlFor: id });
      label.append(
        document.createTextNode(`${value} `),
        element("span", { className: "n", textContent: String(n) }),
      );
      fieldset.append(element("div", {}, [checkbox, label]));
    });
    parts.push(fieldset);
  }
  if (Object.values(state.filters).some((v) => v.length > 0)) {
    const clear = element("button", {
      type: "button",
      className: "link",
      textContent: root.dataset.clear,
    });
    clear.addEventListener("click", () => {
      for (const key of Object.keys(state.filters)) state.filters[key] = [];
      search();
    });
    parts.push(clear);
  }
  box.replaceChildren(
    element("h2", { className: "visually-hidden", textContent: root.dataset.filter }),
    ...parts,
  );
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
    const batch = await Promise.all(results.slice(shown, shown + 20).map((r) => r.data()));
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
