// Calibration: the "Calibrate" view of /assess/<level>/. Loads the person's and the
// manager's record files (record.js), blind first: your own exported record before
// theirs. Shows per competency and behaviour the two ratings side by side with their
// evidence and notes, counts the differences of a step or more, and keeps an agreed
// rating per behaviour, an agreed outcome (the site's vocabulary; never computed), a
// target level and the plan that follows. Exports the agreed record as JSON (which
// reopens here), Markdown and CSV. An earlier record adds "what changed since the last
// check-in". Every string from a file goes into the page as text, never as HTML.
(function () {
  'use strict';
  var A = window.__rungsAssess;
  var R = window.__rungsRecord;
  if (!A || !R) return;
  var C = window.__rungsChange;
  var page = A.page;
  var out = document.getElementById('calibrate-out');
  var status = document.getElementById('calibrate-status');
  var own = document.getElementById('calibrate-own');
  var other = document.getElementById('calibrate-other');
  var blindNote = document.getElementById('calibrate-blind');
  var key = 'rungs-assess:' + location.pathname + '#calibrate';
  var cal = { self: null, manager: null, earlier: null, agreed: {}, outcome: '', note: '', target: '' };
  var ROLE = { self: 'the person\'s self-assessment', manager: 'the manager\'s assessment', agreed: 'an agreed record' };

  function say(t) { status.textContent = t; }
  function el(tag, cls, words) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (words != null) n.textContent = words;
    return n;
  }
  function save() { try { localStorage.setItem(key, JSON.stringify(cal)); } catch (e) { /* kept in the page only */ } }
  function mine() { return A.role(); }
  function theirs() { return mine() === 'self' ? 'manager' : 'self'; }

  function labels() {
    document.getElementById('calibrate-own-label').textContent = mine() === 'self' ? 'Your self-assessment record' : 'Your record (as the manager)';
    document.getElementById('calibrate-other-label').textContent = mine() === 'self' ? 'Your manager\'s record' : 'Their self-assessment record';
    var ready = !!cal[mine()];
    other.disabled = !ready;
    blindNote.textContent = ready
      ? 'Your record is loaded; now load theirs.'
      : 'Blind first: load your own exported record before theirs, so that their ratings cannot shape yours' + (A.exported() ? '.' : ' (export yours first: rate, then "Export my ratings and use them").');
  }
  document.addEventListener('rungs-assess-state', labels);
  page.querySelectorAll('input[name="assess-role"]').forEach(function (i) { i.addEventListener('change', labels); });

  function read(input, then) {
    var file = input.files[0];
    input.value = '';
    if (!file) return;
    file.text().then(function (body) {
      var rec;
      try { rec = R.open(body, A.expect); } catch (e) { say(e.message); return; }
      then(rec);
    });
  }
  function take(rec, want) {
    if (rec.role !== want) {
      say('This is ' + ROLE[rec.role] + ', but this box wants ' + ROLE[want] + '.');
      return false;
    }
    cal[want] = rec;
    if (rec.dropped) say(rec.dropped + ' ratings in this record are not on this site\'s scale any more and were left out.');
    return true;
  }
  own.addEventListener('change', function () {
    read(own, function (rec) { if (take(rec, mine())) { say('Loaded your record of ' + rec.date + '.'); done(); } });
  });
  document.getElementById('calibrate-use-mine').addEventListener('click', function () {
    var rec = R.open(A.exportRecord(), A.expect);
    take(rec, mine());
    var unrated = rec.behaviours.filter(function (b) { return !b.rating; }).length;
    say('Exported your record and loaded it' + (unrated ? ' (' + unrated + ' of ' + rec.behaviours.length + ' behaviours unrated)' : '') + '. Now load theirs.');
    done();
  });
  other.addEventListener('change', function () {
    if (!cal[mine()]) { say('Blind first: load your own record before theirs.'); return; }
    read(other, function (rec) { if (take(rec, theirs())) { say('Loaded ' + ROLE[rec.role] + ' of ' + rec.date + '.'); done(); } });
  });
  document.getElementById('calibrate-earlier').addEventListener('change', function (ev) {
    read(ev.target, function (rec) { cal.earlier = rec; say('Loaded the earlier check-in of ' + rec.date + '.'); done(); });
  });
  document.getElementById('calibrate-agreed').addEventListener('change', function (ev) {
    read(ev.target, function (rec) {
      if (rec.role !== 'agreed') { say('This is ' + ROLE[rec.role] + ', not an agreed record.'); return; }
      reopen(rec);
      say('Reopened the agreed record of ' + rec.date + '.');
      done();
    });
  });
  /** An agreed record back into the two sides, the agreed ratings and the outcome. */
  function reopen(rec) {
    ['self', 'manager'].forEach(function (k) {
      var p = rec.parties[k];
      cal[k] = {
        role: k, person: p.person || rec.person, date: p.date, notes: p.notes, summary: p.summary, dropped: 0,
        behaviours: rec.behaviours.map(function (b) { return { competency: b.competency, anchor: b.anchor, hash: b.hash, text: b.text, rating: b[k].rating, evidence: b[k].evidence, note: b[k].note }; }),
      };
    });
    cal.agreed = {};
    var m = R.match(rec.behaviours, A.desc, R.aligner(C));
    Object.keys(m.at).forEach(function (i) { if (m.at[i].entry.rating) cal.agreed[A.desc[i].anchor] = m.at[i].entry.rating; });
    cal.outcome = rec.outcome.id;
    cal.note = rec.outcome.note;
    cal.target = rec.target;
  }
  function done() { save(); labels(); render(); }

  /** Each side matched to the page: { at, removed, fresh } per loaded record. */
  function matches() {
    var m = {};
    ['self', 'manager', 'earlier'].forEach(function (k) { if (cal[k]) m[k] = R.match(cal[k].behaviours, A.desc, R.aligner(C)); });
    return m;
  }
  function step(r) { return A.ratings.indexOf(r); }
  function title(r) { return r ? A.titleOf[r] || r : 'Not rated'; }
  function entry(m, k, i) { return m[k] && m[k].at[i] ? m[k].at[i] : null; }

  function sideBox(who, hit, i) {
    var box = el('div', 'cal-side cal-' + who.cls);
    box.appendChild(el('p', 'cal-who', who.name));
    var e = hit ? hit.entry : {};
    box.appendChild(el('p', 'cal-rating', title(e.rating)));
    if (e.evidence) box.appendChild(el('p', 'cal-evidence', 'Evidence: ' + (A.evidenceTitle[e.evidence] || e.evidence)));
    if (e.note) box.appendChild(el('p', 'cal-note', e.note));
    if (hit && hit.changed) {
      box.appendChild(el('span', 'tag tag-changed', 'Changed since rated'));
      if (e.text && e.text !== A.desc[i].text) box.appendChild(A.was(e.text, A.desc[i].text));
    }
    return box;
  }

  /** One behaviour: its words, the sides, the difference and the agreed rating. */
  function row(i, m, tally) {
    var d = A.desc[i];
    var li = el('li', 'cal-item');
    li.dataset.anchor = d.anchor;
    li.appendChild(el('p', 'cal-text', d.text));
    var s = entry(m, 'self', i), g = entry(m, 'manager', i);
    if (!s && !g) li.appendChild(el('span', 'tag tag-added', 'New since these records: not rated'));
    var sides = el('div', 'cal-sides');
    sides.appendChild(sideBox({ cls: 'self', name: 'Self' }, s, i));
    sides.appendChild(sideBox({ cls: 'manager', name: 'Manager' }, g, i));
    if (cal.earlier) sides.appendChild(sideBox({ cls: 'earlier', name: 'Last check-in (' + cal.earlier.date + ')' }, entry(m, 'earlier', i), i));
    li.appendChild(sides);
    var a = s && s.entry.rating, b = g && g.entry.rating;
    if (a && b) {
      tally.both++;
      var gap = Math.abs(step(a) - step(b));
      if (gap >= 1) {
        tally.differ++;
        if (gap >= 2) tally.far++;
        li.classList.add('cal-differs');
        li.appendChild(el('p', 'cal-gap', 'Differs by ' + gap + (gap === 1 ? ' step' : ' steps')));
      }
      if (!(d.anchor in cal.agreed) && gap === 0) cal.agreed[d.anchor] = a;
    }
    li.appendChild(agreedPicker(i));
    var agreed = cal.agreed[d.anchor];
    if (agreed) tally.agreed++;
    // An earlier agreed record's rating is its agreed one; any other, its rater's.
    var e = entry(m, 'earlier', i);
    var before = e && e.entry.rating;
    if (before && agreed && before !== agreed) tally[step(agreed) > step(before) ? 'up' : 'down']++;
    return li;
  }
  function agreedPicker(i) {
    var d = A.desc[i];
    var wrap = el('div', 'cal-agreed');
    var id = 'agreed-' + i;
    var label = el('label', null, 'Agreed');
    label.setAttribute('for', id);
    var sel = el('select');
    sel.id = id;
    sel.dataset.anchor = d.anchor;
    sel.appendChild(el('option', null, 'Not agreed yet')).value = '';
    A.ratings.forEach(function (r) { sel.appendChild(el('option', null, title(r))).value = r; });
    sel.value = cal.agreed[d.anchor] || '';
    wrap.appendChild(label);
    wrap.appendChild(sel);
    return wrap;
  }

  function render() {
    out.textContent = '';
    if (!cal.self || !cal.manager) return;
    var m = matches();
    var tally = { both: 0, differ: 0, far: 0, agreed: 0, up: 0, down: 0 };
    var body = el('div', 'cal-body');
    page.querySelectorAll('.assess-area').forEach(function (area) {
      body.appendChild(el('h3', 'cal-area', area.querySelector('h2').textContent.trim()));
      area.querySelectorAll('.assess-competency').forEach(function (c) {
        body.appendChild(el('h4', 'cal-competency', c.dataset.title));
        var ol = el('ol', 'cal-items');
        c.querySelectorAll('.assess-item').forEach(function (f) { ol.appendChild(row(A.items.indexOf(f), m, tally)); });
        body.appendChild(ol);
        notesSideBySide(body, c.dataset.competency);
      });
    });
    out.appendChild(counts(tally));
    out.appendChild(removed(m));
    out.appendChild(body);
    out.appendChild(summaries());
    out.appendChild(outcome());
    out.appendChild(planBox());
    out.appendChild(exportsBox());
    save();
  }
  function counts(t) {
    var box = el('div', 'cal-counts');
    var who = (cal.self.person || cal.manager.person) ? ' for ' + (cal.manager.person || cal.self.person) : '';
    box.appendChild(el('p', 'cal-count', 'Self-assessment of ' + cal.self.date + ' and manager\'s assessment of ' + cal.manager.date + who + '.'));
    box.appendChild(el('p', 'cal-count cal-differ-count', t.differ + ' of ' + t.both + ' behaviours rated by both differ by a step or more (' + t.far + ' by two or more). ' + t.agreed + ' of ' + A.items.length + ' agreed.'));
    if (cal.earlier) box.appendChild(el('p', 'cal-count', 'Since the last check-in (' + cal.earlier.date + '): ' + t.up + ' agreed higher, ' + t.down + ' lower.'));
    return box;
  }
  function removed(m) {
    var box = el('div', 'cal-removed');
    [['self', 'Self'], ['manager', 'Manager'], ['earlier', 'Last check-in']].forEach(function (k) {
      if (!m[k[0]] || !m[k[0]].removed.length) return;
      box.appendChild(el('p', null, k[1] + ': rated but no longer in the framework (' + m[k[0]].removed.length + ')'));
      var ul = el('ul');
      m[k[0]].removed.forEach(function (e) { ul.appendChild(el('li', null, title(e.rating) + ': ' + e.text)); });
      box.appendChild(ul);
    });
    return box;
  }
  function notesSideBySide(body, cid) {
    var a = cal.self.notes[cid], b = cal.manager.notes[cid];
    if (!a && !b) return;
    var sides = el('div', 'cal-sides cal-notes');
    [['Self', a], ['Manager', b]].forEach(function (p) {
      var box = el('div', 'cal-side');
      box.appendChild(el('p', 'cal-who', p[0] + ': notes'));
      box.appendChild(el('p', 'cal-note', p[1] || '—'));
      sides.appendChild(box);
    });
    body.appendChild(sides);
  }
  function summaries() {
    var box = el('div', 'cal-sides cal-summaries');
    [['Self', cal.self.summary], ['Manager', cal.manager.summary]].forEach(function (p) {
      var s = el('div', 'cal-side');
      s.appendChild(el('p', 'cal-who', p[0] + ': summary'));
      s.appendChild(el('p', 'cal-note', p[1] || '—'));
      box.appendChild(s);
    });
    return box;
  }
  function outcome() {
    var fs = el('fieldset', 'cal-outcome');
    fs.appendChild(el('legend', null, 'Agreed outcome'));
    fs.appendChild(el('p', 'muted', 'Agreed by the two of you in conversation, never computed from the ratings.'));
    var list = el('div', 'cal-outcome-options');
    Array.prototype.forEach.call(document.getElementById('assess-outcomes').content.querySelectorAll('option'), function (o) {
      var label = el('label');
      var input = el('input');
      input.type = 'radio';
      input.name = 'cal-outcome';
      input.value = o.value;
      input.checked = o.value === cal.outcome;
      label.appendChild(input);
      label.appendChild(document.createTextNode(' ' + o.textContent));
      list.appendChild(label);
    });
    fs.appendChild(list);
    var nl = el('label', null, 'Why, in a sentence or two');
    nl.setAttribute('for', 'cal-outcome-note');
    var note = el('textarea', 'assess-note');
    note.id = 'cal-outcome-note';
    note.rows = 3;
    note.value = cal.note;
    fs.appendChild(nl);
    fs.appendChild(note);
    return fs;
  }
  function planBox() {
    var box = el('section', 'cal-plan');
    box.setAttribute('aria-labelledby', 'cal-plan-heading');
    var h = el('h3', null, 'Development plan from the agreed ratings');
    h.id = 'cal-plan-heading';
    box.appendChild(h);
    var list = el('div', 'plan-current');
    A.plan(cal.agreed, list, true);
    box.appendChild(list);
    var targets = document.getElementById('plan-target');
    if (targets) {
      var label = el('label', null, 'Toward');
      label.setAttribute('for', 'cal-target');
      var sel = targets.cloneNode(true);
      sel.id = 'cal-target';
      sel.insertBefore(el('option', null, 'No target level'), sel.firstChild).value = '';
      sel.value = cal.target;
      var pick = el('div', 'plan-target-picker');
      pick.appendChild(label);
      pick.appendChild(sel);
      box.appendChild(pick);
      var t = cal.target && page.querySelector('.plan-target[data-target="' + CSS.escape(cal.target) + '"]');
      if (t) {
        var copy = t.cloneNode(true);
        copy.hidden = false;
        copy.removeAttribute('aria-labelledby');
        copy.querySelectorAll('[id]').forEach(function (n) { n.removeAttribute('id'); });
        box.appendChild(copy);
      }
    }
    return box;
  }
  function exportsBox() {
    var box = el('div', 'assess-actions cal-exports');
    [['cal-export-json', 'Export agreed record'], ['cal-export-md', 'Export Markdown'], ['cal-export-csv', 'Export CSV'], ['cal-print', 'Print']].forEach(function (b) {
      var btn = el('button', 'button button-quiet', b[1]);
      btn.type = 'button';
      btn.id = b[0];
      box.appendChild(btn);
    });
    return box;
  }

  out.addEventListener('change', function (e) {
    var t = e.target;
    // An agreed rating set back to "Not agreed yet" stays so (''), not pre-filled again.
    if (t.dataset.anchor) cal.agreed[t.dataset.anchor] = t.value;
    else if (t.name === 'cal-outcome') cal.outcome = t.value;
    else if (t.id === 'cal-target') cal.target = t.value;
    else return;
    var focus = t.id || null;
    render();
    var back = focus && document.getElementById(focus);
    if (back) back.focus();
    else if (t.name === 'cal-outcome') out.querySelector('input[name="cal-outcome"][value="' + CSS.escape(t.value) + '"]').focus();
  });
  out.addEventListener('input', function (e) { if (e.target.id === 'cal-outcome-note') { cal.note = e.target.value; save(); } });
  out.addEventListener('click', function (e) {
    var id = e.target.id;
    if (id === 'cal-print') window.print();
    else if (EXPORTS[id]) EXPORTS[id](matches());
  });

  // Exports of the agreed record.
  function sideOf(hit) {
    var e = hit ? hit.entry : {};
    return { rating: e.rating || null, evidence: e.evidence || null, note: e.note || '' };
  }
  function who() { return cal.manager.person || cal.self.person || ''; }
  function outcomeTitle() {
    var o = document.getElementById('assess-outcomes').content.querySelector('option[value="' + CSS.escape(cal.outcome || '-') + '"]');
    return o ? o.textContent : '';
  }
  function gone(e) {
    return { competency: e.competency, anchor: e.anchor, hash: e.hash, text: e.text, rating: e.rating, evidence: e.evidence, note: e.note };
  }
  function agreedRecord(m) {
    return {
      format: R.FORMAT, schema: R.SCHEMA, site: A.expect.site, framework_version: page.dataset.version,
      level: { id: A.expect.level, title: page.dataset.levelTitle }, build: R.build(A.desc), role: 'agreed',
      person: who(), date: A.today(), scale: A.ratings,
      behaviours: A.desc.map(function (d, i) {
        return {
          competency: d.competency, anchor: d.anchor, hash: R.textHash(d.text), text: d.text,
          rating: cal.agreed[d.anchor] || null, evidence: null, note: '',
          self: sideOf(entry(m, 'self', i)), manager: sideOf(entry(m, 'manager', i)),
        };
      }),
      notes: {}, summary: '',
      // Ratings given to behaviours this build no longer lists: kept, never dropped.
      no_longer_listed: {
        self: m.self ? m.self.removed.map(gone) : [],
        manager: m.manager ? m.manager.removed.map(gone) : [],
      },
      outcome: { id: cal.outcome || '', title: outcomeTitle(), note: cal.note || '' },
      target: cal.target || '',
      parties: {
        self: { person: cal.self.person, date: cal.self.date, summary: cal.self.summary, notes: cal.self.notes },
        manager: { person: cal.manager.person, date: cal.manager.date, summary: cal.manager.summary, notes: cal.manager.notes },
      },
    };
  }
  function stem() { return 'calibration-' + page.dataset.level + (who() ? '-' + A.fileSlug(who()) : '') + '-' + A.today(); }
  function side(hit) {
    var e = hit ? hit.entry : {};
    return title(e.rating) + (e.evidence ? ' (evidence: ' + (A.evidenceTitle[e.evidence] || e.evidence) + ')' : '') + (e.note ? ', note: ' + e.note : '');
  }
  function quote(t) { return String(t).trim().split('\n').map(function (l) { return '> ' + l; }).join('\n'); }
  function changedNote(hit, i) {
    if (!hit || !hit.changed) return '';
    var was = hit.entry.text && hit.entry.text !== A.desc[i].text ? ' when it read: "' + hit.entry.text + '"' : '';
    return ' _(changed since rated; rated' + (was || ' under other words') + ')_';
  }
  function markdown(m) {
    var lines = ['# Calibration: ' + page.dataset.levelTitle + (who() ? ', ' + who() : ''), '',
      '_' + A.expect.site + ', agreed ' + A.today() + '. Self-assessment of ' + cal.self.date + ', manager\'s assessment of ' + cal.manager.date + '. A guide for conversations, not a promotion checklist._', '',
      '**Outcome:** ' + (outcomeTitle() || 'not agreed yet') + (cal.note ? '. ' + cal.note : ''), ''];
    page.querySelectorAll('.assess-area').forEach(function (area) {
      lines.push('## ' + area.querySelector('h2').textContent.trim(), '');
      area.querySelectorAll('.assess-competency').forEach(function (c) {
        lines.push('### ' + c.dataset.title, '');
        c.querySelectorAll('.assess-item').forEach(function (f) {
          var i = A.items.indexOf(f);
          var s = entry(m, 'self', i), g = entry(m, 'manager', i);
          lines.push('- ' + A.desc[i].text + (!s && !g ? ' _(new since these records)_' : ''),
            '  - Self: ' + side(s) + changedNote(s, i), '  - Manager: ' + side(g) + changedNote(g, i),
            '  - **Agreed: ' + (cal.agreed[A.desc[i].anchor] ? title(cal.agreed[A.desc[i].anchor]) : 'not agreed yet') + '**');
        });
        lines.push('');
        var cid = c.dataset.competency;
        [['Self', cal.self.notes[cid]], ['Manager', cal.manager.notes[cid]]].forEach(function (n) {
          if (n[1]) lines.push(n[0] + ', notes:', '', quote(n[1]), '');
        });
      });
    });
    var gone = [];
    [['self', 'Self'], ['manager', 'Manager']].forEach(function (k) {
      (m[k[0]] ? m[k[0]].removed : []).forEach(function (e) { gone.push('- ' + e.text + ' (' + k[1] + ': ' + title(e.rating) + ')'); });
    });
    if (gone.length) lines.push.apply(lines, ['## Rated but no longer in the framework', ''].concat(gone, ['']));
    lines.push('## Summaries', '');
    [['Self', cal.self.summary], ['Manager', cal.manager.summary]].forEach(function (n) {
      lines.push('**' + n[0] + ':**', '', n[1] ? quote(n[1]) : '> —', '');
    });
    lines.push('## Development plan', '');
    A.items.forEach(function (f, i) {
      var v = cal.agreed[A.desc[i].anchor];
      if (v && v !== A.top) lines.push('- ' + f.closest('.assess-competency').dataset.title + ': ' + A.desc[i].text + ' (' + title(v) + ')');
    });
    lines.push.apply(lines, A.targetLines(cal.target));
    return lines.join('\n') + '\n';
  }
  function csv(m) {
    var rows = [['level', 'area', 'competency', 'behaviour', 'self', 'self_evidence', 'self_note', 'manager', 'manager_evidence', 'manager_note', 'difference', 'agreed']];
    A.items.forEach(function (f, i) {
      var s = sideOf(entry(m, 'self', i)), g = sideOf(entry(m, 'manager', i));
      var gap = s.rating && g.rating ? Math.abs(step(s.rating) - step(g.rating)) : '';
      rows.push([page.dataset.levelTitle, A.areaOf(f), f.closest('.assess-competency').dataset.title, A.desc[i].text,
        s.rating ? title(s.rating) : '', s.evidence ? A.evidenceTitle[s.evidence] || s.evidence : '', s.note,
        g.rating ? title(g.rating) : '', g.evidence ? A.evidenceTitle[g.evidence] || g.evidence : '', g.note, gap,
        cal.agreed[A.desc[i].anchor] ? title(cal.agreed[A.desc[i].anchor]) : '']);
    });
    return A.csvText(rows);
  }
  var EXPORTS = {
    'cal-export-json': function (m) { A.download(stem() + '.json', 'application/json', R.seal(agreedRecord(m))); say('Exported the agreed record.'); },
    'cal-export-md': function (m) { A.download(stem() + '.md', 'text/markdown;charset=utf-8', markdown(m)); },
    'cal-export-csv': function (m) { A.download(stem() + '.csv', 'text/csv;charset=utf-8', csv(m)); },
  };

  // Start: what was being calibrated here last time.
  try {
    var kept = JSON.parse(localStorage.getItem(key) || 'null');
    if (kept && kept.self && kept.manager) { cal = kept; }
  } catch (e) { /* start empty */ }
  labels();
  render();
  window.__rungsCalibrate = { state: function () { return cal; } };
})();
