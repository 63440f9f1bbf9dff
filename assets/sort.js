// Sortable tables, a progressive enhancement (issue 15, item 5). Without this script a table is
// complete, in its published order. With it, each column header of a table marked data-sortable
// becomes a button that sorts the rows by that column, ascending and then descending, and says so
// with aria-sort. A cell sorts by its data-v (a number) when it has one, else by its text in the
// page's language; empty cells stay last in either direction, and ties keep the published order.
// The rows sorted are those of the table's last tbody: an earlier one (a region's and the world's
// figures above its countries) stays where it is.
(() => {
  const collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true });
  const key = (cell) => {
    if (!cell) return null;
    if (cell.dataset.v !== undefined && cell.dataset.v !== '') return Number(cell.dataset.v);
    const text = cell.textContent.trim();
    return text === '' ? null : text;
  };
  const order = (a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : collator.compare(String(a), String(b));
  for (const table of document.querySelectorAll('table[data-sortable]')) {
    const body = table.tBodies[table.tBodies.length - 1];
    const heads = Array.from(table.tHead.rows[0].cells);
    const published = Array.from(body.rows);
    heads.forEach((th, column) => {
    if (th.querySelector('a, button, input, select')) return; // a header that is a control already stays one
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.append(...th.childNodes);
      th.append(button);
      button.addEventListener('click', () => {
        const direction = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        for (const other of heads) other.removeAttribute('aria-sort');
        th.setAttribute('aria-sort', direction);
        const sign = direction === 'ascending' ? 1 : -1;
        const rows = published.map((row, index) => ({ row, index, key: key(row.cells[column]) }));
        rows.sort((a, b) => {
          if (a.key === null || b.key === null) return (a.key === null) - (b.key === null) || a.index - b.index;
          return sign * order(a.key, b.key) || a.index - b.index;
        });
        body.append(...rows.map((r) => r.row));
      });
    });
  }
})();
