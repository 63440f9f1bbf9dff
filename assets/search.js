// The search page: Pagefind's JS API and a plain, accessible list of results.
//
// Served as pagefind/search-page.js, beside Pagefind's own pagefind.js, so both the
// search bundle and the site root are found from this file's URL: the site works under
// any sub-path. Pagefind loads the index of the page's <html lang>. Text from the index
// is only ever inserted as text (its <mark> highlights rebuilt as elements), never as
// HTML, and nothing here needs an inline style or script (a strict CSP holds).
//
// A result is shown only if its page contains the reader's words (see `wanted`).

const root = new URL("../", import.meta.url);
const ui = document.getElementById("search-ui");
const input = document.getElementById("search-q");
const go = document.getElementById("search-go");
const statusLine = document.getElementById("search-status");
const none = document.getElementById("search-none");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const PAGE = 10;

let pagefind = null;
let results = []; // Pagefind's, best first
let checked = 0; // how many of them have been looked at
let kept = []; // the data of those whose page contains the query's words
let shown = 0;
let latest = 0;
let timer = 0;

function say(key, query, count) {
  const text = ui.dataset[key] || "";
  statusLine.textContent = text.replace("{q}", query).replace("{n}", String(count));
}

// Pagefind's excerpt is HTML with <mark> around the matches. Parse it inertly (a
// DOMParser document runs nothing and loads nothing) and keep only text and <mark>.
function excerpt(html) {
  const p = document.createElement("p");
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const node of doc.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      p.append(mark);
    } else {
      p.append(document.createTextNode(node.textContent));
    }
  }
  return p;
}

// A result's path on this site ("/connect2030/fr/countries/ken/"); anything else goes home.
function sameSite(url) {
  const target = new URL(url, root);
  const inside = target.origin === root.origin && target.pathname.startsWith(root.pathname);
  return inside ? target.pathname + target.hash : root.pathname;
}

// Pagefind matches a word it does not know by a shorter and shorter prefix of it, down to
// one letter: "кибербезопасность" found the pages with the preposition "к", "ciberseguridad"
// Côte d'Ivoire by its code "CI". So a result is kept only if each word of the query
// begins a word of its page with its first half, and at least four letters
// ("cybersecurity" keeps "cybersécurité", "connectivity" "connected"); a shorter word, in
// full. A page's short word never stands for a longer one of the query. Chinese and
// Japanese, written without spaces, must appear as typed. Case and accents do not count;
// Arabic words are compared without the article (ال, and و ف ب ك ل before it), a page's
// also without و ف ب ك ل alone ("ومدارس", and schools); "e-government" is also
// "egovernment".
const WORD = /[\p{L}\p{N}]+(?:\.\p{N}+)*/gu; // "3.5", a target id, is one word
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const ARTICLE = /^[وف]?(?:[بكل]?ال|لل)(?=\p{L}{2})/u;
const PROCLITIC = /^[وفبكل](?=\p{L}{3})/u;

function fold(text) {
  return text.normalize("NFD").replace(/\p{Mn}/gu, "").toLowerCase();
}

function bare(word) {
  while (ARTICLE.test(word)) word = word.replace(ARTICLE, "");
  return word;
}

// The words of a space-separated piece of text: "e-government" is "e", "government"
// (and, as a whole, "egovernment").
function parts(piece) {
  const found = (piece.match(WORD) || []).map(bare);
  return found.length > 1 ? [found, [found.join("")]] : [found];
}

function head(word) {
  const letters = [...word];
  return letters.slice(0, letters.length <= 3 ? letters.length : Math.max(4, Math.ceil(letters.length / 2))).join("");
}

// What a page offers to the comparison: its folded text and its words.
function page(data) {
  const text = fold(`${(data.meta && data.meta.title) || ""} ${data.content || ""}`);
  const words = new Set();
  for (const piece of text.split(/\s+/)) {
    for (const way of parts(piece)) for (const word of way) words.add(word).add(word.replace(PROCLITIC, ""));
  }
  return { text, words: [...words] };
}

function has(seen, word) {
  if (UNSPACED.test(word)) return seen.text.includes(word);
  const start = head(word);
  return seen.words.some((w) => w.startsWith(start));
}

// Whether a page has each word of the query (in one of its forms).
function wanted(query) {
  const pieces = fold(query).split(/\s+/).filter(Boolean).map(parts);
  return (seen) => pieces.every((ways) => ways.some((way) => way.every((word) => has(seen, word))));
}

// Look at Pagefind's results, best first and `batch` at a time, until `count` are kept or
// none is left. False when a newer search has started.
async function keep(run, matches, count, size) {
  while (kept.length < count && checked < results.length) {
    const batch = results.slice(checked, checked + size);
    checked += batch.length;
    const data = await Promise.all(batch.map((r) => r.data()));
    if (run !== latest) return false;
    kept.push(...data.filter((d) => matches(page(d))));
  }
  return run === latest;
}

function showMore() {
  let first = null;
  for (const data of kept.slice(shown, shown + PAGE)) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = sameSite(data.url);
    a.textContent = (data.meta && data.meta.title) || data.url;
    li.append(a, excerpt(data.excerpt || ""));
    list.append(li);
    first = first || a;
  }
  shown = Math.min(kept.length, shown + PAGE);
  more.hidden = shown >= kept.length;
  return first;
}

async function search(query) {
  const run = ++latest;
  query = query.trim();
  const url = new URL(location.href);
  if (query) url.searchParams.set("q", query);
  else url.searchParams.delete("q");
  history.replaceState(null, "", url);
  list.replaceChildren();
  more.hidden = true;
  none.hidden = true;
  statusLine.textContent = "";
  if (!query) return;
  try {
    const found = await pagefind.search(query);
    if (run !== latest || !found) return;
    const matches = wanted(query);
    [results, checked, kept, shown] = [found.results, 0, [], 0];
    if (!(await keep(run, matches, PAGE, PAGE))) return;
    showMore(); // the first page, as soon as it is known
    if (!(await keep(run, matches, results.length, 5 * PAGE))) return; // the others, for the count
    more.hidden = shown >= kept.length;
    none.hidden = kept.length > 0;
    say(kept.length ? "found" : "none", query, kept.length);
  } catch (err) {
    if (run === latest) say("failed", query, 0);
    throw err;
  }
}

function later() {
  clearTimeout(timer);
  timer = setTimeout(() => search(input.value), 250);
}

async function start() {
  ui.hidden = false;
  document.getElementById("search-nojs").hidden = true;
  try {
    // The index comes in shards, one language each (a large language in several):
    // pagefind/shards.json lists each language's folders. Import the first of this
    // page's language and merge the others, so that only this language is loaded.
    const listed = await fetch(new URL("pagefind/shards.json", root)).then((r) => (r.ok ? r.json() : {}));
    const mine = (listed[document.documentElement.lang.toLowerCase()] || [""]).filter((s) => /^(shard-[0-9]+\/)?$/.test(s));
    const [first, ...others] = mine.length ? mine : [""];
    pagefind = await import(new URL(`pagefind/${first}pagefind.js`, root).href);
    await pagefind.options({ baseUrl: root.pathname });
    for (const shard of others) {
      await pagefind.mergeIndex(new URL(`pagefind/${shard}`, root).pathname, { baseUrl: root.pathname });
    }
  } catch (err) {
    say("failed", "", 0);
    input.disabled = true;
    go.disabled = true;
    throw err;
  }
  input.addEventListener("input", later);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(timer);
      search(input.value);
    }
  });
  go.addEventListener("click", () => {
    clearTimeout(timer);
    search(input.value);
  });
  more.addEventListener("click", () => {
    const first = showMore();
    if (first) first.focus();
  });
  const query = new URLSearchParams(location.search).get("q");
  if (query) {
    input.value = query;
    search(query);
  } else if (input.value.trim()) {
    search(input.value); // typed while the index was loading
  }
}

start();
