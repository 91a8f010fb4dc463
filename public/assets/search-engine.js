// The search index's reader (the index is written by src/search/index.ts, which describes its
// files). No DOM here: the search page runs it, the tests run it in Node on a built index, and
// the build splits words and names filter files with its very functions, so both agree.

// Where a word appears (WHERE in src/search/index.ts), and what each place adds to a rank.
const WEIGHTS = [
  [1, 8], // title
  [2, 4], // keywords, themes, publisher
  [4, 2], // description
  [8, 1], // field names and labels
];

/**
 * The words of a text as the index sees them: lower case, accents removed, split on anything
 * but letters and digits, two to 40 characters.
 */
export function words(text) {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 2 && word.length <= 40);
}

/**
 * The filter file of a facet value, of `files`: FNV-1a (32 bits, over UTF-16 code units) of
 * `key\0label`, modulo `files`.
 */
export function filterFile(key, label, files) {
  const text = `${key}\0${label}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return filterPath(hash % files);
}

/** The `n`th filter file. */
export function filterPath(n) {
  return `filters/${n}.json`;
}

/**
 * Opens an index. `load(path)` fetches one of its files (relative to its folder) as JSON;
 * each file is loaded once.
 */
export async function openIndex(load) {
  const meta = await load("meta.json");
  if (meta.version !== 1) throw new Error(`Unknown search index version ${meta.version}`);
  const stop = new Set(meta.stopWords);
  const files = new Map();
  const get = (path) => {
    if (!files.has(path)) files.set(path, load(path));
    return files.get(path);
  };

  /** The datasets a query word finds, each with its rank: `Map<number, number>`. */
  const find = async (word) => {
    const found = new Map();
    const shard = shardOf(meta.shards, word);
    if (shard < 0) return found;
    const terms = await get(`terms/${shard}.json`);
    // Words of three letters or more also find longer words: "donn" finds "données".
    const prefix = word.length >= 3;
    for (const [term, postings] of Object.entries(terms)) {
      if (term !== word && !(prefix && term.startsWith(word))) continue;
      // The word itself ranks above the longer words it starts.
      const factor = term === word ? 2 : 1;
      let id = 0;
      for (const value of postings) {
        id += Math.floor(value / 16);
        const rank = factor * rankOf(value % 16);
        if ((found.get(id) ?? 0) < rank) found.set(id, rank);
      }
    }
    return found;
  };

  /** The datasets having any of a filter's values, as a Set of numbers. */
  const having = async (key, values) => {
    const ids = new Set();
    const lists = await Promise.all(
      values.map(async (label) => {
        const file = await get(filterFile(key, label, meta.filterFiles));
        return file[`${key}\0${label}`] ?? [];
      }),
    );
    for (const list of lists) {
      let id = 0;
      for (const gap of list) {
        id += gap;
        ids.add(id);
      }
    }
    return ids;
  };

  return {
    /**
     * The datasets matching every word of `query` (its stop words aside) and, for each filter
     * key, any of its values (`{theme: ["Environnement"]}`): their numbers, best first.
     * `words` are the query's words that were searched, for `excerpt`.
     */
    async search(query, filters = {}) {
      const terms = [...new Set(words(query))].filter((word) => !stop.has(word));
      const chosen = Object.entries(filters).filter(([, values]) => values.length > 0);
      // A query of stop words alone, or none, finds nothing by its words.
      if (terms.length === 0 && (query.trim() !== "" || chosen.length === 0))
        return { ids: [], words: terms };
      const [found, sets] = await Promise.all([
        Promise.all(terms.map(find)),
        Promise.all(chosen.map(([key, values]) => having(key, values))),
      ]);
      let ranks = null;
      for (const each of found) {
        const next = new Map();
        for (const [id, rank] of each) {
          if (ranks === null) next.set(id, rank);
          else if (ranks.has(id)) next.set(id, ranks.get(id) + rank);
        }
        ranks = next;
      }
      if (ranks === null) {
        ranks = new Map();
        for (const id of sets[0] ?? []) ranks.set(id, 0);
      }
      const ids = [...ranks.keys()].filter((id) => sets.every((set) => set.has(id)));
      ids.sort((a, b) => ranks.get(b) - ranks.get(a) || a - b);
      return { ids, words: terms };
    },
    /** What each dataset shows: `{path, title, text}`, in the order given. */
    async documents(ids) {
      return Promise.all(
        ids.map(async (id) => {
          const chunk = await get(`docs/${Math.floor(id / meta.docsPerFile)}.json`);
          const [path, title, text] = chunk[id % meta.docsPerFile];
          return { path, title, text };
        }),
      );
    },
  };
}

/**
 * About `length` words of `text` around the first word a search word starts, as pieces
 * `{text, mark}` (mark: that piece is a found word), with "…" where the text was cut.
 */
export function excerpt(text, searched, length = 30) {
  const pieces = text.split(/([^\p{L}\p{N}]+)/u);
  const matches = (piece) => {
    const [word] = words(piece);
    return word !== undefined && searched.some((s) => word.startsWith(s));
  };
  // Pieces alternate: words at even positions, what separates them at odd ones.
  const first = pieces.findIndex((piece, i) => i % 2 === 0 && matches(piece));
  const start = Math.max(0, first - 10);
  const end = Math.min(pieces.length, start + 2 * length);
  const shown = pieces.slice(start, end).map((piece, i) => ({
    text: piece,
    mark: i % 2 === 0 && matches(piece),
  }));
  if (start > 0) shown.unshift({ text: "… ", mark: false });
  if (end < pieces.length) shown.push({ text: " …", mark: false });
  return shown.filter((piece) => piece.text !== "");
}

/** The shard holding a word: the one named by its longest prefix (see `planShards`). */
function shardOf(names, word) {
  let best = -1;
  for (const [i, name] of names.entries())
    if (word.startsWith(name) && (best < 0 || name.length > names[best].length)) best = i;
  return best;
}

function rankOf(where) {
  let rank = 0;
  for (const [bit, weight] of WEIGHTS) if (where & bit) rank += weight;
  return rank;
}
