// The compare view (issue 15, item 2): up to five countries side by side, per focus target and
// indicator, with a bar chart per indicator. Built from compare/<iso3>.json, one small file per
// country chosen (its figures written as its page writes them, in the page's language), and from the
// page's own templates (the controls, the targets and indicators); the selection is in the address
// (?c=KEN,RWA,TZA) so that a comparison can be shared. Without this script the page links to the
// region pages, each of which compares its countries.
(() => {
  const words = document.getElementById('compare-words');
  const ui = document.getElementById('compare-ui');
  if (!words || !ui) return;
  const MAX = 5;
  const SVG = 'http://www.w3.org/2000/svg';
  const el = (name, attrs = {}, text) => {
    const node = name.startsWith('svg:') ? document.createElementNS(SVG, name.slice(4)) : document.createElement(name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, k) => values[k]);

  const targets = Array.from(document.getElementById('compare-indicators').content.querySelectorAll('ul'), (ul) => ({
    id: ul.dataset.target,
    title: ul.dataset.title,
    indicators: Array.from(ul.querySelectorAll('li'), (li) => ({
      id: li.dataset.id, unit: li.dataset.unit, top: li.dataset.top ? Number(li.dataset.top) : null, title: li.textContent,
    })),
  }));
  const figures = new Map(); // iso3 -> a promise of its figures (compare/<iso3>.json)
  const load = (code) => {
    if (!figures.has(code)) {
      figures.set(code, fetch(words.dataset.url + code.toLowerCase() + '.json').then((r) => (r.ok ? r.json() : {})).catch(() => ({})));
    }
    return figures.get(code);
  };
  const staticPart = document.getElementById('compare-static');
  staticPart.replaceWith(ui.content.cloneNode(true));
  const form = document.getElementById('compare-form');
  const select = document.getElementById('compare-add');
  const chosenList = document.getElementById('compare-chosen');
  const status = document.getElementById('compare-status');
  const result = document.getElementById('compare-result');
  const limit = document.getElementById('compare-limit');
  const names = Object.fromEntries(Array.from(select.options, (o) => [o.value, o.textContent]).filter((o) => o[0]));
  const wanted = (new URLSearchParams(location.search).get('c') || '').toUpperCase().split(',');
  let chosen = wanted.filter((c, i) => c in names && wanted.indexOf(c) === i).slice(0, MAX);
  let values = {};
  let sources = {};

  const draw = (focusAfter) => {
    const url = new URL(location.href);
    if (chosen.length) url.searchParams.set('c', chosen.join(','));
    else url.searchParams.delete('c');
    history.replaceState(null, '', url);
    for (const option of select.options) option.disabled = chosen.includes(option.value);
    limit.hidden = chosen.length < MAX;
    select.disabled = chosen.length >= MAX;
    form.querySelector('button').disabled = chosen.length >= MAX;
    status.textContent = chosen.length === 0 ? status.dataset.none
      : chosen.length === 1 ? status.dataset.one : fill(status.dataset.many, { n: chosen.length.toLocaleString(document.documentElement.lang) });
    chosenList.replaceChildren(...chosen.map((code) => {
      const name = names[code];
      const item = el('li');
      item.append(el('a', { href: words.dataset.countries + code.toLowerCase() + '/' }, name), ' ');
      const remove = el('button', { type: 'button', 'data-code': code }, fill(words.dataset.remove, { country: name }));
      remove.addEventListener('click', () => {
        chosen = chosen.filter((c) => c !== code);
        draw(select.disabled ? null : select);
      });
      item.append(remove);
      return item;
    }));
    if (focusAfter) focusAfter.focus();
    const now = chosen.slice();
    Promise.all(now.map(load)).then((loaded) => {
      if (now.join() !== chosen.join()) return; // a newer choice is being drawn
      values = Object.fromEntries(now.map((c, k) => [c, loaded[k].values || {}]));
      sources = Object.assign({}, ...loaded.map((d) => d.sources || {}));
      result.replaceChildren(...(chosen.length ? tables() : []));
    });
  };

  const tables = () => targets.map((target) => {
    const section = el('section', { 'aria-labelledby': 'cmp-' + target.id.replace('.', '-') });
    section.append(el('h2', { id: 'cmp-' + target.id.replace('.', '-') }, target.title));
    const inds = target.indicators.filter((i) => chosen.some((c) => i.id in values[c]));
    if (!inds.length) {
      section.append(el('p', { class: 'empty' }, words.dataset.nodata));
      return section;
    }
    const wrap = el('div', { class: 'scroll-x', role: 'region', tabindex: '0', 'aria-labelledby': 'cmp-' + target.id.replace('.', '-') });
    const table = el('table', { class: 'data wide compare' });
    const head = el('tr');
    head.append(el('th', { scope: 'col' }, words.dataset.indicator));
    for (const c of chosen) head.append(el('th', { scope: 'col' }, names[c]));
    table.appendChild(el('thead')).append(head);
    const body = table.appendChild(el('tbody'));
    for (const ind of inds) {
      const row = body.appendChild(el('tr', { 'data-indicator': ind.id }));
      row.append(el('th', { scope: 'row' }, ind.title));
      for (const c of chosen) {
        const cell = values[c][ind.id];
        row.append(el('td', { 'data-country': c }, cell ? cell[0] : ''));
      }
    }
    wrap.append(table);
    section.append(wrap, cited(inds));
    for (const ind of inds) if (ind.top !== null) section.append(chart(ind));
    return section;
  });

  // Every number has its source: those of the table's cells, linked, in the page's words.
  const cited = (inds) => {
    const ids = [...new Set(inds.flatMap((i) => chosen.map((c) => values[c][i.id]).filter(Boolean).map((cell) => cell[2])))].sort();
    const note = el('p', { class: 'note' });
    const [before, after] = words.dataset.sources.split('{sources}');
    note.append(before);
    ids.forEach((id, k) => {
      if (k) note.append('; ');
      note.append(sources[id] ? el('a', { href: sources[id][1] }, sources[id][0]) : id);
    });
    note.append(after || '');
    return note;
  };

  // One bar per country on the indicator's own scale (0 to 100%, to 1 for an index, to the score's maximum).
  const chart = (ind) => {
    const rows = chosen.map((c) => [names[c], values[c][ind.id]]).filter((r) => r[1] && r[1][1] !== null);
    const figure = el('figure', { class: 'chart' });
    const label = fill(words.dataset.chart, { indicator: ind.title });
    const height = 8 + rows.length * 28;
    const svg = el('svg:svg', { viewBox: `0 0 320 ${height}`, role: 'img', 'aria-label': label + ': ' + rows.map((r) => r[0] + ' ' + r[1][0]).join('; ') });
    svg.append(el('svg:title', {}, label));
    rows.forEach(([name, cell], k) => {
      const y = 4 + k * 28;
      const width = Math.max(0, Math.min(1, cell[1] / ind.top)) * 200;
      svg.append(el('svg:text', { x: 0, y: y + 11, class: 'lbl' }, name));
      svg.append(el('svg:rect', { x: 0, y: y + 14, width: width.toFixed(1), height: 10, class: 'bar' }));
      svg.append(el('svg:text', { x: (width + 4).toFixed(1), y: y + 23, class: 'val' }, cell[0]));
    });
    figure.append(svg, el('figcaption', {}, label));
    return figure;
  };

  form.querySelector('button').addEventListener('click', () => {
    const code = select.value;
    if (code && !chosen.includes(code) && chosen.length < MAX) chosen.push(code);
    select.value = '';
    draw(chosen.length < MAX ? select : chosenList.querySelector('button'));
  });
  draw(null);
})();
