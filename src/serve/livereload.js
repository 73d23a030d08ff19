// rungs serve: live reload. Injected into served pages only, never into `rungs build` output.
(() => {
  if (window.__rungsLive) return;
  window.__rungsLive = true;
  const me = document.currentScript;
  let server = me && me.dataset.server;
  let seq = me ? Number(me.dataset.seq) : 0;
  let retry = 250;

  const swapCss = (n) => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.getAttribute('href'), location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set('rungs', n);
      const next = link.cloneNode();
      next.href = url.href;
      next.onload = next.onerror = () => link.remove();
      link.after(next);
    }
  };

  // Diagnostics are shown with textContent only: nothing in a message is ever parsed as HTML.
  const overlay = (errors) => {
    let el = document.getElementById('rungs-overlay');
    if (!errors) { if (el) el.remove(); return; }
    if (!el) {
      el = document.createElement('div');
      el.id = 'rungs-overlay';
      el.setAttribute('role', 'alertdialog');
      el.setAttribute('aria-label', 'Build errors');
      el.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;' +
        'background:rgba(20,20,24,.94);color:#f4f4f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace';
      document.body.appendChild(el);
    }
    el.replaceChildren();
    const h = document.createElement('h2');
    h.style.cssText = 'margin:0 0 .5rem;color:#fca5a5;font-size:1.1rem';
    h.textContent = `rungs: the last edit broke the build (${errors.summary}). The page shows the last good version.`;
    const list = document.createElement('ul');
    list.style.cssText = 'margin:0 0 1rem;padding-left:1.2rem;color:#f4f4f5';
    for (const d of errors.list) {
      const li = document.createElement('li');
      li.className = 'rungs-diagnostic';
      li.textContent = `${d.severity}: ${d.file}:${d.line}:${d.column}: ${d.message}` + (d.help ? ` (help: ${d.help})` : '');
      list.appendChild(li);
    }
    const pre = document.createElement('pre');
    // Its own colours: the site's stylesheet styles `pre` too (a light background in
    // the light scheme, which made the quoted source unreadable).
    pre.style.cssText = 'white-space:pre-wrap;margin:0;padding:.75rem;border:0;border-radius:6px;' +
      'background:#0f0f12;color:#f4f4f5;font:inherit;box-shadow:none';
    pre.textContent = errors.text;
    el.append(h, list, pre);
  };

  const connect = () => {
    const es = new EventSource('/__rungs/events');
    es.onopen = () => { retry = 250; };
    es.onmessage = (e) => {
      const s = JSON.parse(e.data);
      if (server && s.server !== server) { location.reload(); return; }
      server = s.server;
      overlay(s.errors);
      if (s.full > seq) location.reload();
      else if (s.seq > seq) swapCss(s.seq);
      seq = Math.max(seq, s.seq);
    };
    es.onerror = () => {
      // Connection refused (the server restarted): the browser gives up; try again.
      if (es.readyState === EventSource.CLOSED) {
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 4000);
      }
    };
  };
  connect();
})();
