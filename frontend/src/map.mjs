// The network map: progressive enhancement of the map pages, which without
// this script point to the same facts as tables on /network.
//
// The layout is ForceAtlas2 (graphology-layout-forceatlas2), run in a web
// worker in the browser and kept in IndexedDB under the data's `version`.
// Why there and not on the server: ForceAtlas2 is a JavaScript library, the
// server would need its own implementation or a Node process; in a worker
// it never blocks the page (sigma stays interactive while it settles, which
// is what keeps 10,000 organisations smooth), each reader's browser pays it
// once per data version, and the server's two cores stay free for the
// analysis. The map is drawn at once from a community-seeded start, so the
// first render does not wait for the layout.
import Graph from 'graphology'
import Sigma from 'sigma'
import { NodeCircleProgram } from 'sigma/rendering'
import { createNodeBorderProgram } from '@sigma/node-border'
import { search, passes, sizes, colours, neighbours, seed } from './map-logic.mjs'

const ITERATIONS = 200

// A single point of failure is ringed: a dark ring outside a white one,
// seen whatever the dot's colour (the legend says so in words).
const RingProgram = createNodeBorderProgram({
  borders: [
    { size: { value: 2, mode: 'pixels' }, color: { value: '#0b0c0c' } },
    { size: { value: 1.5, mode: 'pixels' }, color: { value: '#ffffff' } },
    { size: { fill: true }, color: { attribute: 'color' } }
  ]
})
const root = document.querySelector('[data-app-map]')
if (root) start(root)

function el (tag, attributes = {}, text) {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v)
  if (text !== undefined) node.textContent = text
  return node
}

async function start (root) {
  const status = root.querySelector('[data-app-map-status]')
  const say = (text) => { status.textContent = text }
  say('Loading the map…')
  let doc
  try {
    const reply = await fetch(root.dataset.source, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    if (!reply.ok) throw new Error(String(reply.status))
    doc = await reply.json()
  } catch {
    say('The map could not be loaded. The network page has the same facts as tables.')
    return
  }
  const map = new MapView(root, doc, say)
  map.show()
}

class MapView {
  constructor (root, doc, say) {
    this.root = root
    this.doc = doc
    this.say = say
    this.embed = root.closest('.app-embed') !== null
    this.links = neighbours(doc)
    this.filters = { mission: '', lever: '', kind: '', ward: '' }
    this.selected = null
    this.details = root.querySelector('[data-app-map-details]')
    this.matches = root.querySelector('[data-app-map-matches]')
    this.legend = root.querySelector('[data-app-map-legend]')
    this.names = {
      mission: new Map(doc.missions.map(m => [m.id, m.name])),
      lever: new Map(doc.levers.map(l => [l.id, l.name])),
      kind: new Map(doc.kinds.map(k => [k.id, k.name]))
    }
  }

  show () {
    const { root, doc } = this
    root.querySelector('[data-app-map-fallback]').hidden = true
    root.querySelector('[data-app-map-ui]').hidden = false
    this.fillFilters()
    const start = seed(doc)
    this.graph = new Graph({ type: 'undirected', multi: false })
    doc.organisations.forEach((o, i) => this.graph.addNode(String(i), { x: start.x[i], y: start.y[i], label: o.name, size: 4, color: '#1d70b8' }))
    for (const l of doc.links) this.graph.mergeEdge(String(l.source), String(l.target), { size: Math.min(1 + Math.log2(l.weight), 4), color: '#c0c4c6' })
    this.restyle()
    try {
      this.renderer = new Sigma(this.graph, root.querySelector('[data-app-map-canvas]'), {
        hideEdgesOnMove: doc.links.length > 20000,
        labelRenderedSizeThreshold: 8,
        zIndex: true,
        nodeProgramClasses: { circle: NodeCircleProgram, ring: RingProgram },
        nodeReducer: (key, data) => key === this.selected ? { ...data, highlighted: true, forceLabel: true, zIndex: 1 } : data
      })
      this.renderer.on('clickNode', ({ node }) => this.select(Number(node), true))
      root.dataset.appMapState = 'drawn'
      this.layout(start)
    } catch {
      // No WebGL: everything but the drawing still works.
      root.querySelector('[data-app-map-canvas]').hidden = true
      root.dataset.appMapState = 'no-webgl'
    }
    this.count()
    root.querySelector('[data-app-map-search]').addEventListener('submit', (event) => {
      event.preventDefault()
      this.find(root.querySelector('#map-search').value)
    })
    for (const select of root.querySelectorAll('[data-app-map-filter]')) {
      select.addEventListener('change', () => { this.filters[select.dataset.appMapFilter] = select.value; this.restyle(); this.count() })
    }
    root.querySelector('[data-app-map-colour]').addEventListener('change', () => this.restyle())
    root.querySelector('[data-app-map-size]').addEventListener('change', () => this.restyle())
  }

  fillFilters () {
    const { root, doc } = this
    const choices = {
      mission: doc.missions.map(m => [m.id, m.name]),
      lever: doc.levers.map(l => [l.id, l.name]),
      kind: doc.kinds.map(k => [k.id, k.name]),
      ward: doc.wards.map(w => [w, w])
    }
    for (const [filter, list] of Object.entries(choices)) {
      const select = root.querySelector(`[data-app-map-filter="${filter}"]`)
      for (const [value, text] of list) select.append(el('option', { value }, text))
    }
  }

  // Colours, sizes and what the filters hide, onto the graph's nodes.
  restyle () {
    const colourBy = this.root.querySelector('[data-app-map-colour]').value
    const sizeBy = this.root.querySelector('[data-app-map-size]').value
    const { of, legend } = colours(this.doc, colourBy)
    const size = sizes(this.doc.organisations, sizeBy)
    this.doc.organisations.forEach((o, i) => {
      this.graph.mergeNodeAttributes(String(i), { color: of[i], size: size[i], hidden: !passes(o, this.filters), type: o.articulation_point ? 'ring' : 'circle' })
    })
    this.legend.replaceChildren(...legend.map(({ label, colour }) => {
      const item = el('li', { class: 'app-map__legend-item' })
      item.append(el('span', { class: 'app-map__swatch', 'aria-hidden': 'true' }), document.createTextNode(label))
      item.firstChild.style.backgroundColor = colour
      return item
    }))
  }

  count () {
    const shown = this.doc.organisations.filter(o => passes(o, this.filters)).length
    const total = this.doc.organisations.length
    this.say(`Showing ${shown} of ${total} organisation${total === 1 ? '' : 's'} and their links.`)
  }

  find (query) {
    const found = search(this.doc.organisations, query)
    this.matches.replaceChildren()
    if (found.length === 0) {
      this.matches.append(el('li', {}, query.trim() === '' ? 'Enter part of a name.' : `No organisation on the map is called “${query.trim()}”.`))
      return
    }
    if (found.length === 1) { this.select(found[0], true); return }
    for (const i of found) {
      const item = el('li')
      const button = el('button', { type: 'button', class: 'app-map__choice' }, this.doc.organisations[i].name)
      button.addEventListener('click', () => this.select(i, true))
      item.append(button)
      this.matches.append(item)
    }
  }

  // Shows an organisation's details, centres the map on it and moves focus
  // to the details so a keyboard or screen reader user lands there.
  select (i, focus) {
    this.selected = String(i)
    this.describe(i)
    if (this.renderer) {
      const at = this.renderer.getNodeDisplayData(this.selected)
      if (at) this.renderer.getCamera().animate({ x: at.x, y: at.y, ratio: 0.3 }, { duration: 400 })
      this.renderer.refresh()
    }
    if (focus) this.details.focus()
  }

  describe (i) {
    const o = this.doc.organisations[i]
    const named = (kind, ids) => ids.map(id => this.names[kind].get(id) || id).join(', ') || 'None'
    const heading = el('h2', { class: 'govuk-heading-m', id: 'map-details-heading' })
    // Staff (in the staff view only) are people, with no page of their own.
    if (o.kind === 'staff') {
      heading.append(o.name)
    } else {
      const link = el('a', { class: 'govuk-link', href: `/organisations/${encodeURIComponent(o.id)}` }, o.name)
      if (this.embed) link.target = '_top'
      heading.append(link)
    }
    const rows = [
      ['Kind', this.names.kind.get(o.kind) || o.kind],
      ['Wards', o.wards.join(', ') || 'None given'],
      ['Levers', named('lever', o.levers)],
      ['Missions committed to', named('mission', o.missions)],
      ['Linked organisations', String(o.degree)],
      ['Betweenness', o.betweenness.toFixed(4)],
      ['Closeness', o.closeness === null ? 'Not computed at this size' : o.closeness.toFixed(4)],
      ['Core number', String(o.core)],
      ['Community', String(o.community + 1)],
      ['Single point of failure', o.articulation_point ? 'Yes: some organisations reach the rest only through it' : 'No']
    ]
    const list = el('dl', { class: 'govuk-summary-list govuk-summary-list--no-border' })
    for (const [key, value] of rows) {
      const row = el('div', { class: 'govuk-summary-list__row' })
      row.append(el('dt', { class: 'govuk-summary-list__key' }, key), el('dd', { class: 'govuk-summary-list__value' }, value))
      list.append(row)
    }
    const near = this.links[i]
    const shown = near.slice(0, 30)
    const parts = [heading, list, el('h3', { class: 'govuk-heading-s' }, near.length === 0 ? 'Not linked to any organisation' : `Linked to (strongest first${near.length > shown.length ? `, ${shown.length} of ${near.length}` : ''})`)]
    if (shown.length > 0) {
      const ul = el('ul', { class: 'govuk-list' })
      for (const n of shown) {
        const button = el('button', { type: 'button', class: 'app-map__choice' }, this.doc.organisations[n].name)
        button.addEventListener('click', () => this.select(n, true))
        const item = el('li')
        item.append(button)
        ul.append(item)
      }
      parts.push(ul)
    }
    this.details.replaceChildren(...parts)
  }

  async layout (start) {
    const cached = await readLayout(this.doc.version)
    if (cached) {
      this.place(cached.x, cached.y)
      this.root.dataset.appMapState = 'laid-out'
      return
    }
    if (this.doc.links.length === 0 || typeof Worker === 'undefined') return
    const worker = new Worker(new URL('./map-worker.js', import.meta.url))
    worker.onmessage = ({ data }) => {
      this.place(data.x, data.y)
      if (data.finished) {
        worker.terminate()
        writeLayout(this.doc.version, data.x, data.y)
        this.root.dataset.appMapState = 'laid-out'
      }
    }
    worker.postMessage({ x: start.x, y: start.y, links: this.doc.links.map(l => [l.source, l.target, l.weight]), iterations: ITERATIONS })
  }

  place (x, y) {
    if (x.length !== this.doc.organisations.length) return
    this.graph.updateEachNodeAttributes((key, a) => ({ ...a, x: x[Number(key)], y: y[Number(key)] }), { attributes: ['x', 'y'] })
  }
}

// The layout kept per data version; a new version (any change the reader
// can see) lays the map out afresh. Failing storage just means no cache.
function store () {
  return new Promise((resolve) => {
    try {
      const open = indexedDB.open('placeweave-map', 1)
      open.onupgradeneeded = () => open.result.createObjectStore('layouts')
      open.onsuccess = () => resolve(open.result)
      open.onerror = () => resolve(null)
    } catch { resolve(null) }
  })
}

async function readLayout (version) {
  const db = await store()
  if (!db) return null
  return new Promise((resolve) => {
    const get = db.transaction('layouts').objectStore('layouts').get(version)
    get.onsuccess = () => resolve(get.result || null)
    get.onerror = () => resolve(null)
  })
}

async function writeLayout (version, x, y) {
  const db = await store()
  if (!db) return
  const tx = db.transaction('layouts', 'readwrite')
  const layouts = tx.objectStore('layouts')
  // Only the latest layout is worth keeping.
  layouts.clear()
  layouts.put({ x, y }, version)
}
