// Combined filters for the listings of initiatives and practices, a progressive enhancement. Without
// this script a listing filters by one facet at a time (a pre-rendered page for each target, country
// and kind). With it, the first page of /initiatives/ and /practices/ fetches the listing's data file
// (entries.json, next to it), shows the controls its <template id="filter-ui"> holds (every word in
// the page's language) and lists the entries that match every filter chosen, in the same markup as
// the server's list, sorted by title (the page language's collation) or by date (undated last). The
// state is in the URL (?target=1.4&country=KEN&year=2022&sort=date), so a filtered listing can be
// shared and reloads as it was. Contributor text only ever goes in as textContent.
(() => {
  const ui = document.getElementById('filter-ui');
  const list = document.querySelector('.results ul.entries');
  if (!ui || !list || !window.fetch || !window.URLSearchParams) return;
  const lang = document.documentElement.lang || undefined;
  const collator = new Intl.Collator(lang, { numeric: true });
  const plural = new Intl.PluralRules(lang);
  const number = new Intl.NumberFormat(lang, { numberingSystem: 'latn' });
  const KEYS = ['target', 'country', 'kind', 'year', 'sort'];
  const size = Number(ui.dataset.size) || 50;

  const span = (cls, text, tongue) => {
    const s = document.createElement('span');
    s.className = cls;
    s.textContent = text;
    if (tongue) Object.assign(s, { lang: tongue, dir: 'auto' });
    return s;
  };
  // One entry as the server writes it: <li><a>title</a> <span class="tag"> <br> fig <br> sum</li>.
  const item = (e) => {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.setAttribute('href', ui.dataset.base + e.path);
    if (e.lang) Object.assign(a, { lang: e.lang, dir: 'auto' });
    a.textContent = e.title;
    li.append(a, ' ', span('tag', e.tag), '\n', document.createElement('br'), span('fig', e.line), '\n');
    if (e.summary) li.append(document.createElement('br'), span('sum', e.summary, e.lang));
    return li;
  };
  const matches = (e, s) =>
    (!s.target || e.targets.includes(s.target)) &&
    (!s.country || e.countries.includes(s.country)) &&
    (!s.kind || e.kind === s.kind) &&
    (!s.year || e.when.slice(0, 4) === s.year);
  const byTitle = (a, b) => collator.compare(a.title, b.title) || a.index - b.index;
  const byDate = (sign) => (a, b) => {
    if (!a.when || !b.when) return !a.when - !b.when || byTitle(a, b);
    return sign * (a.when < b.when ? -1 : a.when > b.when ? 1 : 0) || byTitle(a, b);
  };
  const ORDERS = { title: byTitle, date: byDate(-1), oldest: byDate(1) };
  const counted = (n) => {
    const form = ui.dataset['count' + plural.select(n).replace(/^./, (c) => c.toUpperCase())];
    return (form || ui.dataset.countOther).replace('%(num)s', number.format(n));
  };

  const start = (entries) => {
    entries.forEach((e, index) => { e.index = index; });
    const form = ui.content.firstElementChild.cloneNode(true);
    const controls = Object.fromEntries(KEYS.map((k) => [k, form.querySelector(`select[name="${k}"]`)]));
    const status = form.querySelector('.count');
    const heading = document.querySelector('.results > h2');
    const pager = document.querySelector('.results .pager');
    const more = document.getElementById('filter-more').content.firstElementChild.cloneNode(true);
    const none = document.getElementById('filter-none').content.firstElementChild.cloneNode(true);
    let shown = [];
    let matching = [];

    const state = () => Object.fromEntries(KEYS.map((k) => [k, controls[k].value]));
    const fromUrl = () => {
      const query = new URLSearchParams(window.location.search);
      for (const k of KEYS) {
        const select = controls[k];
        select.selectedIndex = 0;
        const wanted = query.get(k);
        if (wanted !== null) select.value = wanted;
        if (select.selectedIndex < 0) select.selectedIndex = 0; // not one of the choices: ignored
      }
    };
    const toUrl = (s) => {
      const query = new URLSearchParams(window.location.search);
      for (const k of KEYS) {
        if (s[k] && !(k === 'sort' && s[k] === 'title')) query.set(k, s[k]);
        else query.delete(k);
      }
      const q = query.toString();
      window.history.replaceState(window.history.state, '', window.location.pathname + (q ? '?' + q : '') + window.location.hash);
    };
    const showMore = () => {
      const next = matching.slice(shown.length, shown.length + size);
      list.append(...next.map(item));
      shown = shown.concat(next);
      more.hidden = shown.length >= matching.length;
      return next.length ? list.children[list.children.length - next.length] : null;
    };
    const update = () => {
      const s = state();
      matching = entries.filter((e) => matches(e, s)).sort(ORDERS[s.sort] || byTitle);
      shown = [];
      list.replaceChildren();
      showMore();
      list.hidden = matching.length === 0;
      none.hidden = matching.length > 0;
      const filtered = s.target || s.country || s.kind || s.year;
      heading.textContent = filtered ? ui.dataset.matching : ui.dataset.all;
      status.textContent = counted(matching.length);
      toUrl(s);
    };

    fromUrl();
    for (const k of KEYS) controls[k].addEventListener('change', update);
    form.querySelector('.reset').addEventListener('click', () => {
      for (const k of KEYS) controls[k].selectedIndex = 0;
      update();
    });
    more.querySelector('button').addEventListener('click', () => {
      const first = showMore();
      if (first) first.querySelector('a').focus(); // the keyboard goes on from the first one added
    });
    ui.after(form);
    list.after(more, none);
    if (pager) pager.hidden = true; // every entry is a "show more" away
    update();
  };

  fetch(ui.dataset.src, { credentials: 'same-origin' })
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
    .then((data) => start(data.entries))
    .catch(() => {}); // no data: the listing stays as published, with its facet links
})();
