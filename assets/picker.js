// The country picker (templates/picker.html), a progressive enhancement: a WAI-ARIA combobox over the
// links marked data-codes, matching their text, data-en, data-alt or codes, case and accents aside.
(() => {
  const $ = (id) => document.getElementById(`picker${id}`);
  const [box, input, list, status] = ['', '-q', '-list', '-status'].map($);
  if (!box) return;
  const lang = document.documentElement.lang;
  const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[’‘ʼ]/g, "'").toLowerCase().replace(/\s+/g, ' ').trim();
  const all = [];
  for (const a of document.querySelectorAll('a[data-codes]')) {
    const names = [a.textContent.trim(), a.dataset.en, a.dataset.alt];
    const folded = names.map((n) => fold(n || ''));
    all.push({ a, names, folded, words: folded.map((n) => n.split(/[\s'(),./-]+/)), codes: fold(a.dataset.codes).split(' ') });
  }
  const collator = new Intl.Collator(lang);
  all.sort((x, y) => collator.compare(x.names[0], y.names[0])); // the countries page lists them by region
  const plural = new Intl.PluralRules(lang);
  let matches = [];
  let active = -1;
  let timer;

  // [rank, which name]: 0 a code, 1 a name's start, 2 a word's or a code's start, 3 inside a name.
  const rank = (c, q) => {
    if (c.codes.includes(q)) return [0, 0];
    let best = [9, 0];
    c.folded.forEach((n, i) => {
      const r = !n ? 9 : n.startsWith(q) ? 1 : c.words[i].some((w) => w.startsWith(q)) ? 2 : n.includes(q) ? 3 : 9;
      if (r < best[0]) best = [r, i];
    });
    return best[0] > 2 && c.codes.some((k) => k.startsWith(q)) ? [2, 0] : best;
  };
  const select = (i) => {
    list.children[active]?.removeAttribute('aria-selected');
    active = i;
    const option = list.children[i];
    if (!option) return input.removeAttribute('aria-activedescendant');
    option.setAttribute('aria-selected', 'true');
    input.setAttribute('aria-activedescendant', option.id);
    option.scrollIntoView({ block: 'nearest' });
  };
  const open = (yes) => {
    if (!yes) select(-1);
    list.hidden = !yes;
    input.setAttribute('aria-expanded', yes);
  };
  const say = (n) => (n ? (box.getAttribute(`data-n-${plural.select(n)}`) || box.dataset.nOther).replace('{n}', n) : box.dataset.none);
  const update = () => {
    const q = fold(input.value);
    select(-1);
    matches = q ? all.map((c) => [c, ...rank(c, q)]).filter((m) => m[1] < 9) : [];
    matches.sort((x, y) => x[1] - y[1]); // stable: the names' order within a rank
    list.replaceChildren(
      ...matches.map(([c, , via], i) => {
        const li = document.createElement('li');
        li.id = `picker-o${i}`;
        li.setAttribute('role', 'option');
        li.textContent = c.names[0];
        if (via) {
          const why = document.createElement('span');
          if (via === 1) why.lang = 'en';
          why.textContent = c.names[via];
          li.append(' ', why);
        }
        return li;
      }),
    );
    open(matches.length > 0);
    clearTimeout(timer);
    timer = setTimeout(() => (status.textContent = q ? say(matches.length) : ''), 300);
  };
  const go = (i) => location.assign(matches[i][0].a.href);

  input.addEventListener('input', update);
  input.addEventListener('blur', () => open(false));
  input.addEventListener('keydown', (e) => {
    const n = matches.length;
    const down = e.key === 'ArrowDown';
    if (down || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!n) return;
      open(true);
      select(active < 0 ? (down ? 0 : n - 1) : (active + (down ? 1 : n - 1)) % n);
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      go(active);
    } else if (e.key === 'Escape') {
      if (!list.hidden) open(false);
      else if (input.value) (input.value = ''), update();
    }
  });
  list.addEventListener('mousedown', (e) => e.preventDefault()); // the focus stays in the box
  list.addEventListener('click', (e) => {
    const option = e.target.closest('[role="option"]');
    if (option) go([...list.children].indexOf(option));
  });
  box.hidden = false;
})();
