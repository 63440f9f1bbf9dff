// The search page: Pagefind's JS API and a plain, accessible list of results.
//
// Served as pagefind/search-page.js, beside Pagefind's own pagefind.js, so both the
// search bundle and the site root are found from this file's URL: the site works under
// any sub-path. Pagefind loads the index of the page's <html lang>. Text from the index
// is only ever inserted as text (its <mark> highlights rebuilt as elements), never as
// HTML, and nothing here needs an inline style or script (a strict CSP holds).

const root = new URL("../", import.meta.url);
const ui = document.getElementById("search-ui");
const input = document.getElementById("search-q");
const go = document.getElementById("search-go");
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const PAGE = 10;

let pagefind = null;
let results = [];
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

async function showMore(run) {
  const batch = await Promise.all(results.slice(shown, shown + PAGE).map((r) => r.data()));
  if (run !== latest) return;
  let first = null;
  for (const data of batch) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = sameSite(data.url);
    a.textContent = (data.meta && data.meta.title) || data.url;
    li.append(a, excerpt(data.excerpt || ""));
    list.append(li);
    first = first || a;
  }
  shown += batch.length;
  more.hidden = shown >= results.length;
  return first;
}

async function search(query) {
  const run = ++latest;
  query = query.trim();
  const url = new URL(location.href);
  if (query) url.searchParams.set("q", query);
  else url.searchParams.delete("q");
  history.replaceState(null, "", url);
  if (!query) {
    list.replaceChildren();
    more.hidden = true;
    statusLine.textContent = "";
    return;
  }
  try {
    const found = await pagefind.search(query);
    if (run !== latest || !found) return;
    results = found.results;
    shown = 0;
    list.replaceChildren();
    await showMore(run);
    if (run !== latest) return;
    say(results.length ? "found" : "none", query, results.length);
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
  more.addEventListener("click", async () => {
    const first = await showMore(latest);
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
