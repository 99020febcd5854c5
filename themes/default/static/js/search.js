// The search page. Pagefind's index (built by bundel into pagefind/) is loaded the first time
// someone searches; only the parts of the index for the words typed are fetched. Without
// JavaScript the form still submits to this page, which then says where else to look.

const form = document.querySelector('form[data-search]');
if (form) setUp(form);

function setUp(form) {
  const input = form.querySelector('input[name="q"]');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const more = document.getElementById('search-more');
  const text = form.dataset;
  const lang = document.documentElement.lang || 'nl';
  const perPage = 10;

  let pagefind = null;
  let generation = 0; // answers to an older query are dropped
  let results = [];
  let shown = 0;
  let timer;

  async function load() {
    if (!pagefind) {
      // Relative to this page, so the site works from any folder.
      const url = new URL(text.bundle, document.baseURI).href;
      const pf = await import(url);
      await pf.options({ excerptLength: 24 });
      pagefind = pf;
    }
    return pagefind;
  }

  function say(template, n, query) {
    return template.replace('{n}', n.toLocaleString(lang)).replace('{q}', query);
  }

  async function run(raw, remember) {
    const query = raw.trim();
    const mine = ++generation;
    if (remember) {
      const url = new URL(location.href);
      if (query) url.searchParams.set('q', query);
      else url.searchParams.delete('q');
      history.replaceState(null, '', url);
    }
    if (!query) {
      list.replaceChildren();
      status.textContent = '';
      more.hidden = true;
      return;
    }
    status.textContent = text.busy;
    let found;
    try {
      const pf = await load();
      found = await pf.search(query);
    } catch (e) {
      if (mine === generation) status.textContent = text.failed;
      return;
    }
    if (mine !== generation || !found) return;
    results = found.results;
    shown = 0;
    list.replaceChildren();
    await showMore(mine);
    if (mine !== generation) return;
    const n = results.length;
    status.textContent = say(n === 0 ? text.none : n === 1 ? text.one : text.many, n, query);
  }

  async function showMore(mine) {
    const batch = results.slice(shown, shown + perPage);
    const pages = await Promise.all(batch.map((r) => r.data()));
    if (mine !== generation) return;
    for (const page of pages) list.append(item(page));
    shown += batch.length;
    more.hidden = shown >= results.length;
  }

  function el(name, className) {
    const e = document.createElement(name);
    if (className) e.className = className;
    return e;
  }

  function item(page) {
    const li = el('li', 'search-result');
    const title = (page.meta && page.meta.title) || page.url;
    const h = el('h2', 'search-result__title');
    const a = el('a');
    a.href = page.url;
    a.textContent = title;
    h.append(a);
    li.append(h);
    const excerpt = el('p', 'search-result__excerpt');
    // Pagefind escapes the page text and only adds <mark> around the words found.
    excerpt.innerHTML = page.excerpt;
    li.append(excerpt);
    const sections = (page.sub_results || [])
      .filter((s) => s.url !== page.url && s.title && s.title !== title)
      .slice(0, 3);
    if (sections.length) {
      const ul = el('ul', 'search-result__sections');
      for (const s of sections) {
        const sli = el('li');
        const sa = el('a');
        sa.href = s.url;
        sa.textContent = s.title;
        sli.append(sa);
        ul.append(sli);
      }
      li.append(ul);
    }
    return li;
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    run(input.value, true);
  });
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value, true), 300);
  });
  more.addEventListener('click', async () => {
    const first = shown;
    await showMore(generation);
    // Keyboard and screen reader users continue at the first new result.
    const link = list.children[first] && list.children[first].querySelector('a');
    if (link) link.focus();
  });

  const query = new URL(location.href).searchParams.get('q');
  if (query) {
    input.value = query;
    run(query, false);
  }
}
