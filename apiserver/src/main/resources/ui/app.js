// kubehop's live web view: every open session as its chain of hops, from the apiserver's /ui/events.
'use strict';

// Where each role sits along the path: a connection is drawn from the lower to the higher (as kubehop trace prints).
const RANK = { client: 0, apiserver: 1, kubelet: 2, runtime: 3, pod: 4 };
const ENDED_SHOWN = 20;

let token = sessionStorage.getItem('kubehop-token');
let selected = null;
let latest = [];

function authHeaders() {
  return token ? { Authorization: 'Bearer ' + token } : {};
}

function setStatus(state, text) {
  const status = document.getElementById('status');
  status.dataset.state = state;
  status.textContent = text;
}

function bytes(n) {
  if (n === undefined || n === null) return '';
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KiB';
  if (n < 1024 * 1024 * 1024) return (n / 1048576).toFixed(1) + ' MiB';
  return (n / 1073741824).toFixed(1) + ' GiB';
}

function wire(protocol) {
  const p = (protocol || '').toLowerCase();
  if (p.includes('tunnelled in websocket') || p.startsWith('websocket')) return 'websocket';
  if (p.startsWith('spdy')) return 'spdy';
  return p.split(' ')[0] || 'unknown';
}

/** Each connection once, from the side that dialled it; bytes as seen from that side. */
function edges(s) {
  const out = [];
  const client = s.hops.find((h) => h.peer === 'client');
  if (client) {
    out.push({ from: 'client', fromAddr: client.remote, to: client.tier, toAddr: client.local,
      protocol: client.protocol, tls: client.tls, up: client.bytesIn, down: client.bytesOut, idle: client.idleSeconds });
  }
  for (const h of s.hops) {
    const from = RANK[h.tier];
    const to = RANK[h.peer];
    if (from === undefined || to === undefined || to <= from) continue;
    out.push({ from: h.tier, fromAddr: h.local, to: h.peer, toAddr: h.remote,
      protocol: h.protocol, tls: h.tls, up: h.bytesOut, down: h.bytesIn, idle: h.idleSeconds });
  }
  return out;
}

/** spliced (one protocol end to end), translated (WebSocket in, SPDY on), redirect (the apiserver dials the runtime). */
function mode(es) {
  if (es.some((e) => e.from === 'apiserver' && e.to === 'runtime')) return 'redirect';
  const wires = new Set(es.map((e) => wire(e.protocol)));
  return wires.size > 1 ? 'translated' : 'spliced';
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('data-')) node.setAttribute(k, String(v));
    else node[k] = v;
  }
  for (const c of children) node.append(c);
  return node;
}

function title(s) {
  const where = s.pod ? (s.namespace ? s.namespace + '/' : '') + s.pod + (s.container ? '/' + s.container : '') : s.id;
  return (s.kind || 'session') + ' ' + where + (s.command ? '  ' + s.command.join(' ') : '');
}

function chain(s) {
  const es = edges(s);
  const m = mode(es);
  const section = el('div', { class: 'chain' + (s.id === selected ? ' selected' : ''), 'data-session': s.id,
    'data-state': s.state, 'data-mode': m, 'data-kind': s.kind });
  section.append(el('div', { class: 'title' }, title(s), el('span', { class: 'mode' }, m)));
  const path = el('div', { class: 'path' });
  es.forEach((e, i) => {
    if (i === 0) path.append(el('div', { class: 'tier', 'data-tier': e.from }, el('b', {}, e.from)));
    path.append(el('div', { class: 'edge', 'data-from': e.from, 'data-to': e.to, 'data-from-addr': e.fromAddr,
      'data-to-addr': e.toAddr, 'data-protocol': e.protocol, 'data-wire': wire(e.protocol),
      'data-bytes-up': e.up, 'data-bytes-down': e.down },
    el('span', { class: 'proto' }, (e.protocol || '') + (e.tls ? ' over tls' : '')),
    el('div', { class: 'line' }),
    el('span', { class: 'addrs' }, e.fromAddr + ' → ' + e.toAddr),
    el('span', { class: 'bytes' }, bytes(e.up) + ' up · ' + bytes(e.down) + ' down' +
      (e.idle !== undefined && e.idle !== null ? ' · idle ' + e.idle + 's' : ''))));
    path.append(el('div', { class: 'tier', 'data-tier': e.to }, el('b', {}, e.to)));
  });
  if (s.process) {
    path.append(el('div', { class: 'edge', 'data-wire': 'pty' }, el('span', { class: 'proto' }, s.process.tty ? 'pty' : 'pipes'),
      el('div', { class: 'line' })));
    path.append(el('div', { class: 'tier', 'data-tier': 'process', 'data-pid': s.process.pid },
      el('b', {}, 'pid ' + s.process.pid), el('small', {}, (s.process.argv || []).join(' '))));
  }
  section.append(path);
  section.addEventListener('click', () => select(s.id));
  return section;
}

function render(sessions) {
  latest = sessions;
  const open = sessions.filter((s) => s.state === 'open');
  const list = document.getElementById('sessions');
  list.dataset.count = String(open.length);
  list.replaceChildren(...(open.length ? open.map(chain) : [el('p', { class: 'empty' }, 'No open streaming sessions.')]));
  const ended = sessions.filter((s) => s.state !== 'open').slice(-ENDED_SHOWN).reverse();
  document.getElementById('ended').replaceChildren(...ended.map((s) => {
    const item = el('li', { 'data-session': s.id }, title(s) + (s.ended && s.ended.first ? ' — ' + s.ended.first + ' first, ' + s.ended.how : ''));
    item.addEventListener('click', () => select(s.id));
    return item;
  }));
}

async function get(path) {
  const resp = await fetch(path, { headers: authHeaders(), cache: 'no-store' });
  return resp.ok ? resp.text() : null;
}

function frameLine(e) {
  const what = e.error ? 'error: ' + e.error : [e.frame, e.stream !== undefined ? 'stream=' + e.stream : null,
    e.channel !== undefined ? 'channel=' + e.channel : null, e.streamType, e.length !== undefined ? 'len=' + e.length : null,
    e.text !== undefined ? JSON.stringify(e.text) : e.hex !== undefined ? 'hex ' + e.hex : null].filter((x) => x !== null && x !== undefined).join(' ');
  return (e.time || '').slice(11, 23) + ' ' + (e.tier || '').padEnd(9) + ' ' + (e.from + '->' + e.to).padEnd(20) + ' ' + (e.protocol || '') + ' ' + what;
}

async function select(id) {
  selected = id;
  render(latest);
  document.getElementById('details').hidden = false;
  document.getElementById('details-id').textContent = id;
  const session = latest.find((s) => s.id === id);
  const nodes = new Set((session ? session.hops : []).map((h) => h.node).filter(Boolean));
  const sources = ['../debug/frames?session=' + encodeURIComponent(id)];
  for (const n of nodes) sources.push('../api/v1/nodes/' + encodeURIComponent(n) + '/proxy/debug/frames?session=' + encodeURIComponent(id));
  const events = [];
  for (const src of sources) {
    const text = await get(src);
    if (text) events.push(...JSON.parse(text).events);
  }
  events.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  document.getElementById('frames').textContent = events.length
    ? events.slice(-200).map(frameLine).join('\n')
    : 'No frames: start the cluster with --trace-frames to see them.';
  const player = document.getElementById('player');
  player.replaceChildren();
  const cast = await get('recordings/' + encodeURIComponent(id) + '.cast');
  if (cast && selected === id) {
    player.dataset.session = id;
    AsciinemaPlayer.create({ data: cast }, player, { fit: 'width', idleTimeLimit: 2 });
  }
}

async function follow() {
  for (;;) {
    try {
      const resp = await fetch('events', { headers: authHeaders(), cache: 'no-store' });
      if (resp.status === 401 || resp.status === 403) {
        setStatus('denied', resp.status === 401 ? 'credentials needed' : 'not allowed');
        document.getElementById('login').hidden = false;
        return;
      }
      setStatus('live', 'live');
      const reader = resp.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (data) render(JSON.parse(data).sessions);
        }
      }
    } catch (e) {
      // the apiserver went away: try again
    }
    setStatus('reconnecting', 'reconnecting…');
    await new Promise((r) => setTimeout(r, 1000));
  }
}

document.getElementById('login').addEventListener('submit', (e) => {
  e.preventDefault();
  token = document.getElementById('token').value.trim();
  sessionStorage.setItem('kubehop-token', token);
  document.getElementById('login').hidden = true;
  follow();
});

follow();
